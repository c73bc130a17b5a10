// `ci init --aws`: deploy infra/hello-world-ci-role.yaml, the role a GitHub Actions workflow of one repository
// assumes through OIDC, and the account's GitHub OIDC provider only if the account has none (an account may hold
// one provider per URL, so a second stack creating it would fail). Returns the role ARN and the workflow line.
import { AbortError, UsageError } from '../core/errors.ts';
import { shown } from '../domain/shown.ts';
import type { CiRolePorts } from '../ports/ci-role.ts';

/** GitHub's OIDC issuer; IAM names the provider oidc-provider/<this host>. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
/** The template's limit (it reads the branch list slot by slot: CloudFormation has no map over a list). */
export const MAX_BRANCHES = 5;

export interface CiRoleRequest {
  /** owner/name of the GitHub repository whose workflows may assume the role. */
  repository: string;
  /** Branches (or patterns such as release/*) the role may be assumed from; none: any branch of the repository. */
  branches?: string[];
  region: string;
  signal?: AbortSignal;
  /** How long to wait for the stack (default 10 minutes: two IAM resources). */
  timeoutMs?: number;
}

export interface CiRoleResult {
  stackName: string;
  roleArn: string;
  /** Whether the role stack holds the account's GitHub OIDC provider (created now, or by an earlier run). */
  providerCreated: boolean;
  /** The line for the workflow's aws-actions/configure-aws-credentials step. */
  workflowLine: string;
}

// GitHub's rules for owner and repository names (letters, digits, '-', '_', '.'), and git's for the branch
// characters the template accepts (its AllowedPattern): a refused value never reaches CloudFormation.
const REPOSITORY = /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9_.-]{1,100}$/;
const BRANCH = /^[A-Za-z0-9._/*-]{1,200}$/;

/** One role stack per repository: `hello-deploy-ci-<owner>-<name>`, in the characters a stack name allows. */
export function ciRoleStackName(repository: string): string {
  const slug = repository.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `hello-deploy-ci-${slug}`.slice(0, 128);
}

export function checkCiRoleRequest(req: Pick<CiRoleRequest, 'repository' | 'branches'>): void {
  if (!REPOSITORY.test(req.repository)) {
    throw new UsageError('REPOSITORY_INVALID', `--repository ${shown(req.repository)} is not a GitHub repository as owner/name.`, { hint: 'e.g. --repository octo-org/hello-world (git remote get-url origin shows it).' });
  }
  const branches = req.branches ?? [];
  const bad = branches.filter((b) => !BRANCH.test(b));
  if (bad.length > 0 || branches.length > MAX_BRANCHES) {
    const why = bad.length > 0 ? `${bad.map((b) => shown(b)).join(', ')} ${bad.length === 1 ? 'is not a branch name' : 'are not branch names'}` : `${branches.length} branches given, at most ${MAX_BRANCHES}`;
    throw new UsageError('BRANCHES_INVALID', `--branches: ${why}.`, { hint: `Up to ${MAX_BRANCHES} branch names or patterns such as release/*; leave it out for any branch.` });
  }
}

export async function deployCiRole(ports: CiRolePorts, req: CiRoleRequest): Promise<CiRoleResult> {
  checkCiRoleRequest(req);
  const stackName = ciRoleStackName(req.repository);
  const signal = req.signal;
  const [providers, existing, templateBody] = await Promise.all([
    ports.oidc.list(signal ? { signal } : {}),
    ports.reads.describe(stackName, signal ? { signal } : {}),
    ports.template(),
  ]);
  // A provider this stack created shows up in the list too: keep it (passing false would delete it from under
  // every other repository's role that trusts it).
  const ownsProvider = existing?.parameters['CreateOidcProvider'] === 'true';
  const hasProvider = providers.some((arn) => arn.endsWith(`:oidc-provider/${GITHUB_OIDC_HOST}`));
  const create = ownsProvider || !hasProvider;
  const result = await ports.stacks.deploy({
    stackName,
    templateBody,
    parameters: { GitHubRepository: req.repository, Branches: (req.branches ?? []).join(','), CreateOidcProvider: String(create) },
    tags: { ManagedBy: 'hello-deploy', Repository: req.repository },
    // The role is unnamed (CloudFormation names it), so CAPABILITY_IAM is enough.
    capabilities: ['CAPABILITY_IAM'],
    method: 'direct',
    onEvent: () => {},
    onProgress: () => {},
    confirmChanges: async () => true,
    confirmRecreate: async () => true,
    ...(signal ? { signal } : {}),
    timeoutMs: req.timeoutMs ?? 600_000,
  });
  const roleArn = result.outputs['RoleArn'];
  if (!roleArn) throw new AbortError('STACK_OUTPUTS_MISSING', `${stackName} has no RoleArn output.`, { hint: 'The stack was changed outside hello-deploy: delete it and run ci init --aws again.' });
  return { stackName, roleArn, providerCreated: create, workflowLine: `role-to-assume: ${roleArn}` };
}

/**
 * owner/name from a GitHub remote URL (https://github.com/o/n(.git), git@github.com:o/n(.git), ssh://git@github.com/o/n),
 * or undefined for any other host: the role trusts exactly that repository's workflows.
 */
export function githubRepositoryOf(url: string): string | undefined {
  const m = /^(?:https:\/\/(?:[^@/]+@)?github\.com\/|git@github\.com:|ssh:\/\/git@github\.com(?::\d+)?\/)([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/.exec(url.trim());
  const repository = m ? `${m[1]}/${m[2]}` : undefined;
  return repository && REPOSITORY.test(repository) ? repository : undefined;
}
