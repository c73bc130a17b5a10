// Mutation testing (issue 18): `npm run mutate`, by hand or in a scheduled job, never in CI (it takes minutes on
// two cores and its score is a measurement, not a gate). README "Mutation score" has the table and how to run it.
//
// The tap runner (https://stryker-mutator.io/docs/stryker-js/tap-runner) runs each test file as
// `node <nodeArgs> <file>`: tsx loads the instrumented TypeScript that Stryker writes into its sandbox copy
// (.stryker-tmp/sandbox-*), and node:test prints TAP. Coverage is per test FILE: a mutant only runs the files
// whose run reached it, which is what keeps a run in minutes.
//
// Only fast test files that need no moto, Docker, pty or network (fakes from test/support/fake-*.ts and plain
// inputs; smoke.test.ts serves HTTPS on loopback only): a mutant run must take a second, not a minute.
const TEST_FILES = [
  'test/runner.test.ts', // cli/core/runner.ts, gate
  'test/error-codes.test.ts', // cli/core/codes.ts against the README table (not error-codes-sources.test.ts: it
  // scans the sources' text, which in the sandbox is Stryker's instrumented copy)
  'test/printers.test.ts',
  'test/prompt-host.test.ts',
  'test/steps-image.test.ts', // cli/steps: docker build, tag, push, architecture
  'test/steps-stacks.test.ts', // cli/steps: stacks, templates, domain
  'test/steps-report-result.test.ts',
  'test/prerequisites.test.ts',
  'test/preflight-units.test.ts',
  'test/rollout-watch.test.ts', // its moto half is rollout-watch-moto.test.ts
  'test/rollout-domain.test.ts',
  'test/deploy-domain-units.test.ts', // its moto, TLS and CLI half is deploy-domain.test.ts
  'test/cloudformation-fake.test.ts', // the CloudFormation adapter over FakeCloudFormation
  'test/smoke.test.ts',
  'test/deploy-options.test.ts',
  'test/deploy-summary.test.ts',
  'test/equivalent-command.test.ts',
  'test/cfn-params.test.ts',
  'test/base-image.test.ts',
  // not reliability-units.test.ts: it compares cli/domain/aws-regions.ts's text, instrumented in the sandbox
  'test/certs-properties.test.ts',
  'test/destroy-fake.test.ts',
  'test/destroy-leftovers.test.ts',
  'test/load-balancer-units.test.ts',
  'test/logs-units.test.ts',
  'test/rehearsal-kept.test.ts',
  'test/rehearsal-run-app.test.ts',
  'test/rehearsal-steps.test.ts',
  'test/rollback-units.test.ts',
  'test/status-units.test.ts',
  'test/sweep-units.test.ts',
  'test/mutation-*.test.ts', // tests written to kill surviving mutants
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'tap',
  tap: {
    testFiles: TEST_FILES,
    nodeArgs: ['--import', 'tsx', '--test-reporter=tap', '-r', '{{hookFile}}', '{{testFile}}'],
    forceBail: true,
  },
  coverageAnalysis: 'perTest',
  // The pure layers. `npm run mutate -- --mutate 'cli/core/**/*.ts'` narrows a run to one folder.
  mutate: [
    'cli/core/**/*.ts',
    'cli/steps/**/*.ts', // the deploy's steps
    'cli/rehearsal/steps/**/*.ts', // the rehearsal's own steps (it reuses the deploy's for the rest)
    'cli/destroy/plan.ts', // destroy's steps
    'cli/destroy/look.ts',
    'cli/domain/**/*.ts',
    'cli/adapters/aws/cloudformation/**/*.ts',
    'cli/adapters/smoke.ts',
    '!cli/core/version.ts', // a generated constant
  ],
  // Stryker copies the project into a sandbox: not the 300 MB virtualenv, the tools or the build.
  ignorePatterns: ['.venv', '.venv-bench', '.venv-bench-v2', '.tools', 'dist', 'reports', '.hello-deploy', '.testbed', 'bench/results', '.stryker-tmp'],
  concurrency: 2,
  // Reuses the previous run's results for unchanged code and tests; the file is not committed (it changes with
  // every source edit, and a scheduled job makes a full run anyway).
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  timeoutMS: 5000,
};
