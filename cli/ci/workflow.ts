// The GitHub Actions workflow `ci init` writes, as a typed model: one ecosystem per branch. Built as data and
// serialised by the `yaml` library (render.ts), never concatenated as text, so no value can break the YAML.
// Every `${{ … }}` expression sits in an `env:` value, an `if:` or a `with:` input, never inside a `run:` script:
// the scripts read plain environment variables, so a branch name cannot inject shell
// (https://docs.github.com/en/actions/reference/security/secure-use#use-an-intermediate-environment-variable).
import { ACTIONS, usesOf } from './actions.ts';
import type { CiInitOptions } from './options.ts';

export interface Step {
  name: string;
  id?: string;
  if?: string;
  uses?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
  run?: string;
}

export interface Job {
  name: string;
  if: string;
  'runs-on': string;
  'timeout-minutes': number;
  permissions: Record<string, 'read' | 'write'>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  env?: Record<string, string>;
  steps: Step[];
}

export interface Workflow {
  name: string;
  on: {
    push: { branches: string[] };
    pull_request: null;
    delete: null;
    schedule: Array<{ cron: string }>;
  };
  permissions: Record<string, never>;
  jobs: Record<'rehearsal' | 'deploy' | 'destroy' | 'sweep', Job>;
}

/** Where the generated workflow goes, from the repository root. */
export const WORKFLOW_PATH = '.github/workflows/hello-deploy.yml';

/** The repository variables the workflow reads (Settings → Secrets and variables → Actions → Variables). */
export const VARIABLES = {
  role: 'HELLO_DEPLOY_ROLE_ARN',
  region: 'AWS_REGION',
  email: 'HELLO_DEPLOY_EMAIL',
  certArn: 'HELLO_DEPLOY_CERT_ARN',
  sweep: 'HELLO_DEPLOY_SWEEP',
} as const;

const vars = (name: string) => `\${{ vars.${name} }}`;
const NODE_VERSION = 22;

function setup(persistCredentials: boolean): Step[] {
  return [
    // Only the sweep needs the checkout's token afterwards (git ls-remote on origin); elsewhere it is not kept on disk.
    { name: 'Check out', uses: usesOf(ACTIONS.checkout), with: { 'persist-credentials': persistCredentials } },
    { name: 'Set up Node.js', uses: usesOf(ACTIONS.setupNode), with: { 'node-version': NODE_VERSION, cache: 'npm' } },
    { name: 'Install', run: 'npm ci' },
  ];
}

function credentials(o: CiInitOptions): Step {
  // OIDC: GitHub signs a short-lived token for this run and the role's trust policy checks its repository; no
  // access key is stored anywhere (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html).
  return {
    name: 'AWS credentials (OIDC, no stored keys)',
    uses: usesOf(ACTIONS.awsCredentials),
    with: { 'role-to-assume': o.roleArn ?? vars(VARIABLES.role), 'aws-region': o.region ?? vars(VARIABLES.region) },
  };
}

/** The ecosystem of a job's branch: a push's branch, or the branch a `delete` event removed. */
const PUSHED = '${{ github.ref_name }}';
const DELETED = '${{ github.event.ref }}';
const group = (branch: string) => ({ group: `hello-deploy-ecosystem-${branch}`, 'cancel-in-progress': false });

export function buildWorkflow(o: CiInitOptions): Workflow {
  const runsOn = 'ubuntu-latest';
  // The deploying jobs: id-token to ask GitHub for the OIDC token, contents to check out. Nothing else.
  const aws = { 'id-token': 'write', contents: 'read' } as const;
  return {
    name: 'hello-deploy',
    on: {
      // Branches only: a tag push is no ecosystem.
      push: { branches: ['**'] },
      pull_request: null,
      delete: null,
      schedule: [{ cron: o.cron }],
    },
    // Nothing by default; each job asks for what it uses.
    permissions: {},
    jobs: {
      rehearsal: {
        name: 'Rehearse the deployment (no AWS account)',
        if: "github.event_name == 'pull_request'",
        'runs-on': runsOn,
        'timeout-minutes': 30,
        // No AWS credentials at all, so it runs on pull requests from forks too.
        permissions: { contents: 'read' },
        steps: [
          ...setup(false),
          {
            name: 'Rehearse against a local AWS emulator',
            // A pull request is checked out as a detached merge commit, with no branch to name the ecosystem after.
            env: { PR_NUMBER: '${{ github.event.pull_request.number }}' },
            run: 'npx hello-deploy deploy --local --yes --ecosystem "pr-$PR_NUMBER"',
          },
        ],
      },
      deploy: {
        name: 'Deploy this branch as its own ecosystem',
        if: "github.event_name == 'push'",
        'runs-on': runsOn,
        'timeout-minutes': 60,
        permissions: aws,
        // Two pushes to one branch deploy one after the other, never at once, and a running deploy is never
        // cancelled halfway (CloudFormation would carry on without us).
        concurrency: group(PUSHED),
        steps: [
          ...setup(false),
          credentials(o),
          {
            name: 'Deploy',
            env: { HELLO_DEPLOY_EMAIL: vars(VARIABLES.email), HELLO_DEPLOY_CERT_ARN: vars(VARIABLES.certArn) },
            // The ecosystem is the checked-out branch, sanitized; the result's summary goes to $GITHUB_STEP_SUMMARY.
            run: 'npx hello-deploy deploy --yes --json --email "$HELLO_DEPLOY_EMAIL" --cert-arn "$HELLO_DEPLOY_CERT_ARN"',
          },
        ],
      },
      destroy: {
        name: 'Destroy the deleted branch\'s ecosystem',
        if: "github.event_name == 'delete' && github.event.ref_type == 'branch'",
        'runs-on': runsOn,
        'timeout-minutes': 60,
        permissions: aws,
        // The deleted branch's group: waits for a deploy of that branch still running.
        concurrency: group(DELETED),
        steps: [
          ...setup(false),
          credentials(o),
          {
            name: 'Destroy',
            env: { DELETED_BRANCH: DELETED },
            // The branch is gone, so the default branch is checked out; a local branch of the deleted one's name
            // makes destroy derive the ecosystem exactly as the deploy did (sanitized, with its hash suffix). The
            // delete event's `ref` is the short name (GitHub's payload examples); a full refs/heads/ one is cut to it.
            run: 'git switch --create "${DELETED_BRANCH#refs/heads/}"\nnpx hello-deploy destroy --yes --json',
          },
        ],
      },
      sweep: {
        name: 'Sweep the ecosystems of branches that no longer exist',
        if: "github.event_name == 'schedule'",
        'runs-on': runsOn,
        'timeout-minutes': 120,
        permissions: aws,
        concurrency: { group: 'hello-deploy-sweep', 'cancel-in-progress': false },
        steps: [
          ...setup(true),
          credentials(o),
          // The report always runs; the deleting step only once the repository variable says so.
          { name: 'Report stale ecosystems (dry run)', run: 'npx hello-deploy destroy --stale --dry-run' },
          { name: 'Delete stale ecosystems', if: `vars.${VARIABLES.sweep} == 'on'`, run: 'npx hello-deploy destroy --stale --yes' },
        ],
      },
    },
  };
}
