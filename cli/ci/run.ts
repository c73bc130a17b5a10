// `ci init`: write the workflow into the repository's root, refusing to replace one without --force, and say what
// to set up next. The files go through the few functions the command hands in (this product never touches git or
// the disk itself, as none does).
import path from 'node:path';
import { UsageError } from '../core/errors.ts';
import { VERSION } from '../core/version.ts';
import { shown } from '../domain/shown.ts';
import type { CiInitOptions } from './options.ts';
import type { CiRoleRequest, CiRoleResult } from './role.ts';
import type { CiInitResult, CiInitWritten } from './result.ts';
import { renderWorkflow } from './render.ts';
import { buildWorkflow, VARIABLES, WORKFLOW_PATH } from './workflow.ts';

export interface CiInitPorts {
  /** The git repository's top folder (`git rev-parse --show-toplevel`), or undefined outside one. */
  repositoryRoot(cwd: string): Promise<string | undefined>;
  exists(file: string): Promise<boolean>;
  /** Writes the file, making its folders. */
  write(file: string, text: string): Promise<void>;
  /** owner/name of the repository's `origin` on GitHub, or undefined when it is not a GitHub remote. */
  originRepository(root: string): Promise<string | undefined>;
  /** --aws: deploy the CI role stack (cli/ci/role.ts over the AWS adapters). */
  deployRole(req: CiRoleRequest, target: NonNullable<CiInitOptions['role']>): Promise<CiRoleResult>;
}

/** The repository variables this workflow reads, given what the flags wrote in literally. */
export function variablesOf(o: CiInitOptions): CiInitWritten['variables'] {
  return [
    ...(o.roleArn ? [] : [{ name: VARIABLES.role, why: 'the IAM role the deploying jobs assume through GitHub OIDC (`ci init --aws` makes one)' }]),
    ...(o.region ? [] : [{ name: VARIABLES.region, why: 'the AWS region every ecosystem is deployed to' }]),
    { name: VARIABLES.email, why: 'where the CPU alarm is sent (deploy --email)' },
    { name: VARIABLES.certArn, why: 'the ACM certificate of the HTTPS listener, in that region (deploy --cert-arn)' },
    { name: VARIABLES.sweep, why: 'set to `on` to let the weekly sweep delete stale ecosystems; until then it only reports them' },
  ];
}

export async function runCiInit(o: CiInitOptions, cwd: string, ports: CiInitPorts): Promise<CiInitResult> {
  const root = await ports.repositoryRoot(cwd);
  if (!root) throw new UsageError('CI_NOT_A_REPOSITORY', `${shown(cwd)} is not inside a git repository: the workflow goes in the repository's ${WORKFLOW_PATH}.`, { hint: 'Run ci init inside your clone (git init first for a new project). Nothing was written.' });
  const file = path.join(root, WORKFLOW_PATH);
  const existed = await ports.exists(file);
  if (existed && !o.force) throw new UsageError('CI_WORKFLOW_EXISTS', `${shown(file)} already exists.`, { hint: 'Nothing was written. Pass --force to replace it (your changes to it are lost; git shows them).' });

  // --aws: the role first (after every check that needs no AWS call), so the workflow names the role that exists.
  let role: CiRoleResult | undefined;
  if (o.role) {
    const repository = o.role.repository ?? (await ports.originRepository(root));
    if (!repository) throw new UsageError('REPOSITORY_INVALID', "The repository's origin is not a GitHub repository, so it is not known who may assume the role.", { hint: 'Pass --repository owner/name. Nothing was written and nothing was sent to AWS.' });
    role = await ports.deployRole({ repository, branches: o.role.branches, region: o.role.region }, o.role);
    o = { ...o, roleArn: role.roleArn, region: o.region ?? o.role.region };
  }
  const header = [
    `Written by \`hello-deploy ci init\` (hello-deploy ${VERSION}): every branch its own ecosystem.`,
    'pull request: a --local rehearsal (no AWS credentials); push: deploy the branch; branch deleted: destroy it;',
    'schedule: report, and once HELLO_DEPLOY_SWEEP is on delete, the ecosystems whose branch is gone.',
    'Regenerate with `hello-deploy ci init --force`; the README section "CI/CD: a stack per branch" explains each part.',
  ];
  await ports.write(file, renderWorkflow(buildWorkflow(o), header));
  const variables = variablesOf(o);
  return {
    type: 'result',
    ok: true,
    path: file,
    provider: o.provider,
    action: existed ? 'replaced' : 'created',
    ...(o.roleArn ? { roleArn: o.roleArn } : {}),
    ...(role ? { role: { stackName: role.stackName, providerCreated: role.providerCreated } } : {}),
    variables,
    next: [
      `Set the repository variables (Settings → Secrets and variables → Actions → Variables, or \`gh variable set NAME --body VALUE\`): ${variables.map((v) => v.name).join(', ')}.`,
      `Commit and push ${WORKFLOW_PATH}: the push deploys this branch as its own ecosystem.`,
    ],
  };
}
