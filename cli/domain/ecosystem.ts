// The ecosystem is the name every AWS resource of one deployment carries (a sanitized git branch name), so two
// branches can live side by side in one account. The sanitizer turns any branch into a valid name; the validator
// guards names the user types. Both share one rule so a sanitized name always validates.
import { createHash } from 'node:crypto';
import { UsageError } from '../core/errors.ts';
import { shown } from './shown.ts';

/**
 * Why 24: the infra template allows 25 (its tightest name is the ALB's "${Ecosystem}-hw-alb", 32 max); one spare
 * character keeps us inside it if a resource name grows. Keep this ≤ the templates' Ecosystem MaxLength.
 */
export const ECOSYSTEM_MAX_LENGTH = 24;

/** Lowercase letters, digits and single inner hyphens, starting with a letter (ALB, target group and ECR rules). */
const ECOSYSTEM_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * AWS refuses load balancer names that begin with "internal-" (its own prefix for internal ALBs' DNS names), and
 * the ALB is named "${Ecosystem}-hw-alb"; moto does not enforce it, so only this check catches it before the infra
 * stack fails half-way. A branch like `internal/api` is sanitized to `b-internal-api`.
 */
const RESERVED_PREFIX = 'internal-';

/** Prefix for branch names that start with a digit (`2024-release` → `b-2024-release`); stripping the digits instead would make `2024-x` and `2025-x` collide. */
const DIGIT_PREFIX = 'b-';

/** `-` and 6 hex characters of the branch's SHA-256: what keeps two branches that sanitize alike apart. */
const HASH_LENGTH = 6;

/**
 * `Feature/ABC_12` → `feature-abc-12-<hash>`: lowercase, every run of other characters becomes one hyphen, hyphens
 * trimmed, a leading digit (or "internal-") gets the `b-` prefix. A branch that is already a valid ecosystem
 * (`main`, `dev-2`) is used as it is; any other is cut to leave room for `-` and 6 hex characters of the SHA-256 of
 * the branch as typed, so `feature/login-page-redesign-v1` and `-v2`, or `Über` and `ber`, get different ecosystems
 * (a hash match is a 1-in-16-million chance per pair, and the stacks' branch tag catches even that at deploy time).
 * Throws UsageError when nothing usable is left.
 */
export function sanitizeEcosystem(branch: string): string {
  let name = branch.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (/^[0-9]/.test(name) || name.startsWith(RESERVED_PREFIX)) name = DIGIT_PREFIX + name;
  if (name === '') {
    throw new UsageError('ECOSYSTEM_UNUSABLE', `The branch name ${shown(branch)} leaves no letters or digits to name an ecosystem.`, {
      hint: 'Pass --ecosystem <name> (lowercase letters, digits and hyphens, starting with a letter).',
    });
  }
  if (name === branch && name.length <= ECOSYSTEM_MAX_LENGTH) return name;
  // UTF-8 turns every lone surrogate into the same U+FFFD, so two such names would hash alike; their UTF-16 code
  // units do not. A well-formed name (every name git can give) hashes as UTF-8, as it always has.
  const bytes = /\p{Cs}/u.test(branch) ? Buffer.from(branch, 'utf16le') : Buffer.from(branch, 'utf8');
  const suffix = `-${createHash('sha256').update(bytes).digest('hex').slice(0, HASH_LENGTH)}`;
  const cut = (stem: string) => stem.slice(0, ECOSYSTEM_MAX_LENGTH - suffix.length).replace(/-+$/, '');
  let stem = cut(name);
  // `Internal` → `internal` + suffix would begin with the reserved "internal-".
  if (`${stem}-`.startsWith(RESERVED_PREFIX)) stem = cut(DIGIT_PREFIX + stem);
  return stem + suffix;
}

/**
 * The git branch that owns `ecosystem`: `branch` when `ecosystem` is the name derived from it (what `--yes` uses
 * without --ecosystem, and what the wizards offer first), so the deploy records the branch on the stacks and checks
 * it. Undefined for any other name (one typed in a wizard, or given with --ecosystem): that is the person's own
 * choice, and keeps whatever owner the stacks record.
 */
export function owningBranch(ecosystem: string, branch: string | undefined): string | undefined {
  if (branch === undefined) return undefined;
  try {
    return sanitizeEcosystem(branch) === ecosystem ? branch : undefined;
  } catch {
    return undefined; // a branch that names nothing owns nothing
  }
}

/** The stack tag that records which git branch an ecosystem was derived from: the owner a deploy checks. */
export const BRANCH_TAG = 'hello-deploy:branch';

/**
 * The branch as a tag value. CloudFormation tag values are at most 256 characters
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Tag.html) of letters, digits, spaces and
 * `_ . : / = + - @` (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html, "Tag naming limits and
 * requirements"): every other character (`#`, `~`, non-ASCII letters, which other AWS services tagged in turn may
 * refuse) becomes `_`, and the value is cut to 256. Compare branches through this, never raw.
 */
export const branchTagValue = (branch: string): string => branch.replace(/[^A-Za-z0-9 _.:/=+\-@]/g, '_').slice(0, 256);

/**
 * Returns the name unchanged when it is a valid ecosystem; otherwise a UsageError that says what is wrong, naming
 * the value as `label` does (the flag, `--ecosystem`, on a command line).
 */
export function validateEcosystem(name: string, label = 'The ecosystem name'): string {
  const hint = `Use 1-${ECOSYSTEM_MAX_LENGTH} lowercase letters, digits and single hyphens, starting with a letter (e.g. main or feature-login).`;
  const quoted = shown(name);
  if (name.length === 0) throw new UsageError('ECOSYSTEM_INVALID', `${label} is empty.`, { hint });
  if (name.length > ECOSYSTEM_MAX_LENGTH) {
    throw new UsageError('ECOSYSTEM_INVALID', `${label} ${quoted} is ${name.length} characters; the limit is ${ECOSYSTEM_MAX_LENGTH} (it becomes part of load balancer names, which AWS caps at 32).`, { hint });
  }
  if (!ECOSYSTEM_PATTERN.test(name)) {
    const why = /^[^a-z]/.test(name) ? 'must start with a lowercase letter'
      : /[^a-z0-9-]/.test(name) ? 'may only contain lowercase letters, digits and hyphens'
        : 'may not end with a hyphen or contain two hyphens in a row';
    throw new UsageError('ECOSYSTEM_INVALID', `${label} ${quoted} ${why}.`, { hint });
  }
  if (name.startsWith(RESERVED_PREFIX)) {
    throw new UsageError('ECOSYSTEM_INVALID', `${label} ${quoted} may not begin with "${RESERVED_PREFIX}": AWS reserves it for load balancer names, and the load balancer is named after the ecosystem.`, { hint });
  }
  return name;
}
