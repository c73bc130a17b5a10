// The ecosystem is the name every AWS resource of one deployment carries (a sanitized git branch name), so two
// branches can live side by side in one account. The sanitizer turns any branch into a valid name; the validator
// guards names the user types. Both share one rule so a sanitized name always validates.
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

/**
 * `Feature/ABC_12` → `feature-abc-12`: lowercase, every run of other characters becomes one hyphen, hyphens trimmed,
 * a leading digit (or "internal-") gets the `b-` prefix, cut to ECOSYSTEM_MAX_LENGTH. Throws UsageError when nothing usable is left.
 */
export function sanitizeEcosystem(branch: string): string {
  let name = branch.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (/^[0-9]/.test(name) || name.startsWith(RESERVED_PREFIX)) name = DIGIT_PREFIX + name;
  name = name.slice(0, ECOSYSTEM_MAX_LENGTH).replace(/-+$/, '');
  if (name === '') {
    throw new UsageError('ECOSYSTEM_UNUSABLE', `The branch name ${shown(branch)} leaves no letters or digits to name an ecosystem.`, {
      hint: 'Pass --ecosystem <name> (lowercase letters, digits and hyphens, starting with a letter).',
    });
  }
  return name;
}

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
