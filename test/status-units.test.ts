// status's pure parts: the verdict (judge), the cost estimate, stopped-task grouping, the flags, and the --all
// verdict. The reads themselves run on moto in test/status-e2e.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judge } from '../cli/status/judge.ts';
import { judgeAll, type EcosystemRow } from '../cli/status/all.ts';
import { digestOf, groupStopped } from '../cli/status/gather.ts';
import { parseWatch, resolveStatusOptions } from '../cli/status/options.ts';
import { priceEcosystem, HOURS_PER_MONTH } from '../cli/domain/cost.ts';
import { US_EAST_1 } from '../cli/domain/price-tables.ts';
import { readFileSync } from 'node:fs';

const INFRA_TEXT = readFileSync(new URL('../infra/hello-world-infra.yaml', import.meta.url), 'utf8');
const ECR_TEXT = readFileSync(new URL('../infra/hello-world-ecr-infra.yaml', import.meta.url), 'utf8');
import type { StatusSnapshot } from '../cli/status/snapshot.ts';
import { statusLines } from '../cli/printers/status.ts';
import type { TaskView } from '../cli/ports/ecosystem.ts';

function healthy(over: Partial<StatusSnapshot> = {}): StatusSnapshot {
  return {
    ecosystem: 'main',
    region: 'us-east-1',
    at: '2026-11-30T12:00:00.000Z',
    emulator: false,
    url: 'https://main-hw-alb-1.us-east-1.elb.amazonaws.com',
    stacks: { ecr: { name: 'main-hello-world-ecr', status: 'CREATE_COMPLETE' }, infra: { name: 'main-hello-world-infra', status: 'UPDATE_COMPLETE' } },
    service: {
      name: 'main-hello-world', cluster: 'main-hello-world', status: 'ACTIVE', desired: 2, running: 2, pending: 0, taskDefinition: 'td:3',
      deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED', taskDefinition: 'td:3', desired: 2, running: 2, pending: 0, failedTasks: 0 }],
      events: [],
    },
    targets: [{ id: '10.0.0.1', port: 5000, state: 'healthy' }],
    alarm: { name: 'main-hello-world-cpu-high', state: 'OK' },
    subscriptions: [{ protocol: 'email', endpoint: 'ops@example.com', arn: 'arn:aws:sns:us-east-1:1:t:abc', pending: false }],
    certificate: { arn: 'arn:aws:acm:us-east-1:1:certificate/x', notAfter: '2027-06-01T00:00:00.000Z', daysLeft: 183 },
    unread: [],
    ...over,
  };
}

test('judge: everything in order is healthy, with no reasons and no warnings', () => {
  assert.deepEqual(judge(healthy()), { healthy: true, reasons: [], warnings: [] });
});

test('judge: each unhealthy condition is a reason, in order of importance', () => {
  const s = healthy();
  s.stacks.infra!.status = 'UPDATE_ROLLBACK_COMPLETE';
  s.service!.running = 1;
  s.service!.deployments[0]!.rolloutState = 'FAILED';
  s.service!.deployments[0]!.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
  s.targets = [{ id: '10.0.0.2', port: 5000, state: 'unhealthy', reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [500]' }];
  s.alarm = { name: 'a', state: 'ALARM', reason: 'Threshold Crossed' };
  s.certificate = { arn: 'x', notAfter: '2026-11-01T00:00:00.000Z', daysLeft: -30 };
  const v = judge(s);
  assert.equal(v.healthy, false);
  assert.deepEqual(v.reasons, [
    'the infra stack main-hello-world-infra is UPDATE_ROLLBACK_COMPLETE',
    '1 of 2 tasks running',
    'the rollout is FAILED: ECS deployment circuit breaker: tasks failed to start.',
    'target 10.0.0.2:5000 is unhealthy (Target.ResponseCodeMismatch: Health checks failed with these codes: [500])',
    'the alarm a is in ALARM: Threshold Crossed',
    'the certificate expired on 2026-11-01: browsers refuse the URL',
  ]);
});

test('judge: a pending e-mail subscription and a certificate under 30 days are warnings, not unhealthy', () => {
  const v = judge(healthy({ subscriptions: [{ protocol: 'email', endpoint: 'ops@example.com', arn: 'PendingConfirmation', pending: true }], certificate: { arn: 'x', notAfter: '2026-12-10T00:00:00.000Z', daysLeft: 9 } }));
  assert.equal(v.healthy, true);
  assert.match(v.warnings[0]!, /^the certificate expires in 9 days \(2026-12-10\)/);
  assert.match(v.warnings[1]!, /ops@example\.com is PendingConfirmation: click the link/);
  // On an emulator nothing is e-mailed, so there is no link to click: said so.
  const onEmulator = judge(healthy({ emulator: true, subscriptions: [{ protocol: 'email', endpoint: 'ops@example.com', arn: 'PendingConfirmation', pending: true }] }));
  assert.deepEqual(onEmulator.warnings, ['the alarm e-mail to ops@example.com is PendingConfirmation: the emulator sends no confirmation e-mail (on AWS, alarms reach nobody until its link is clicked)']);
});

test('judge: in-progress stacks, a missing infra stack, a service not read, and an emulator that runs no tasks', () => {
  assert.deepEqual(judge(healthy({ stacks: { infra: { name: 'i', status: 'UPDATE_IN_PROGRESS' } } })).reasons, ['the infra stack i is UPDATE_IN_PROGRESS']);
  assert.match(judge(healthy({ stacks: { ecr: { name: 'e', status: 'CREATE_COMPLETE' } } })).reasons[0]!, /infra stack main-hello-world-infra does not exist/);
  const unread = healthy({ unread: [{ what: 'service', reason: 'AccessDenied: ecs:DescribeServices' }, { what: 'alarm', reason: 'AccessDenied' }] });
  delete unread.service;
  const v = judge(unread);
  assert.deepEqual(v.reasons, ['could not read the ECS service: AccessDenied: ecs:DescribeServices']);
  assert.deepEqual(v.warnings, ['could not read the alarm: AccessDenied']);
  const emu = healthy({ emulator: true });
  emu.service!.running = 0;
  assert.deepEqual(judge(emu).reasons, ['0 of 2 tasks running: the emulator runs no tasks']);
  emu.service!.desired = 0;
  assert.match(judge(emu).reasons[0]!, /^the service wants 0 tasks .*the emulator starts the service at 0 tasks where AWS starts 1/);
  // No rolloutState (an emulator) is not a reason; a rollout in progress is.
  const noRollout = healthy();
  delete noRollout.service!.deployments[0]!.rolloutState;
  assert.equal(judge(noRollout).healthy, true);
});

test('cost: the deployed template priced with the stack\'s parameters, at the running count, with the range and the architecture', () => {
  const pricing = { infraTemplate: INFRA_TEXT, ecrTemplate: ECR_TEXT, table: US_EAST_1, notes: [] };
  const now = new Date('2026-12-01T00:00:00Z');
  const one = priceEcosystem(pricing, { CpuArchitecture: 'X86_64' }, now, 1);
  assert.equal(one.lines.find((l) => l.key === 'ipv4')!.quantity, 3 * HOURS_PER_MONTH, "the ALB's 2 addresses + 1 task");
  assert.deepEqual(one.tasks, { low: 1, expected: 1, high: 4 });
  assert.match(one.basis, /^us-east-1 bundled prices of 2026-11-30$/);
  const none = priceEcosystem(pricing, { CpuArchitecture: 'X86_64' }, now, 0);
  assert.equal(none.lines.find((l) => l.key === 'ipv4')!.quantity, 2 * HOURS_PER_MONTH);
  const arm = priceEcosystem(pricing, { CpuArchitecture: 'ARM64', MaxTasks: '6' }, now, 4);
  const x86 = priceEcosystem(pricing, { CpuArchitecture: 'X86_64' }, now, 4);
  assert.equal(arm.architecture, 'ARM64');
  assert.equal(arm.tasks.high, 6);
  const fargate = (c: typeof arm) => c.lines.filter((l) => l.key.startsWith('fargate')).reduce((n, l) => n + l.monthly, 0);
  assert.ok(fargate(arm) < fargate(x86) * 0.81 && fargate(arm) > fargate(x86) * 0.79, 'ARM64 Fargate is 20 % less');
});

test('stopped tasks are grouped by reason, the biggest group first; digests come from ImageId', () => {
  const t = (id: string, reason: string, at: number): TaskView => ({ arn: `arn/${id}`, id, lastStatus: 'STOPPED', desiredStatus: 'STOPPED', taskDefinition: 'td', stoppedReason: reason, stoppedAt: new Date(at), containers: [] });
  const g = groupStopped([t('a', 'Essential container in task exited', 3), t('b', 'Scaling activity initiated by deployment', 2), t('c', 'Essential container in task exited', 1)]);
  assert.deepEqual(g.map((x) => [x.reason, x.count, x.tasks]), [['Essential container in task exited', 2, ['a', 'c']], ['Scaling activity initiated by deployment', 1, ['b']]]);
  assert.equal(g[0]!.lastAt, new Date(3).toISOString());
  assert.equal(digestOf('1.dkr.ecr.us-east-1.amazonaws.com/r@sha256:abc'), 'sha256:abc');
  assert.equal(digestOf('r:latest'), undefined);
});

test('flags: --watch seconds, --all and --ecosystem exclusive, the branch as the default ecosystem', async () => {
  assert.equal(parseWatch(true), 5);
  assert.equal(parseWatch('12'), 12);
  for (const bad of ['0', '-1', '1.5', 'x', '99999']) assert.throws(() => parseWatch(bad), /not a whole number of seconds/);
  const o = await resolveStatusOptions({ region: 'us-east-1' }, { branch: 'Feature/ABC_12' });
  assert.match(o.ecosystem!, /^feature-abc-12-[0-9a-f]{6}$/);
  assert.equal((await resolveStatusOptions({ region: 'eu-west-1', all: true }, {})).all, true);
  await assert.rejects(resolveStatusOptions({ region: 'us-east-1', all: true, ecosystem: 'x' }, {}), (e: Error & { code?: string; exitCode?: number }) => e.code === 'BAD_INPUT' && e.exitCode === 2);
  await assert.rejects(resolveStatusOptions({ region: 'us-east-1' }, {}), /missing --ecosystem <name> or --all/);
});

test('--all verdict: settled stacks are fine; a rolled-back or lone ECR stack is named', () => {
  const row = (ecosystem: string, state: string, stacks: EcosystemRow['stacks'] = ['ecr', 'infra']): EcosystemRow => ({ ecosystem, state, stacks });
  assert.deepEqual(judgeAll([row('a', 'CREATE_COMPLETE'), row('b', 'UPDATE_COMPLETE')]), { healthy: true, reasons: [] });
  assert.deepEqual(judgeAll([row('a', 'UPDATE_ROLLBACK_COMPLETE'), row('b', 'CREATE_COMPLETE', ['ecr'])]).reasons, [
    'a: the infra stack is UPDATE_ROLLBACK_COMPLETE',
    'b: only the ECR stack is deployed (a deploy that stopped half-way, or a destroy that did not finish)',
  ]);
});

test('printer: under --watch on a terminal each snapshot redraws the screen; off one it follows a timestamp line', () => {
  const event = { type: 'status' as const, verdict: judge(healthy()), ...healthy() };
  const tty = statusLines({ watchSeconds: 5, tty: true });
  assert.ok(tty(event)[0]!.startsWith('\x1b[H\x1b[2Jhello-deploy status: ecosystem main'));
  const plain = statusLines({ watchSeconds: 5, tty: false });
  assert.ok(plain(event)[0]!.startsWith('hello-deploy status:'));
  assert.equal(plain(event)[0], '\n--- refreshed at 2026-11-30 12:00:00Z ---');
  const once = statusLines()(event);
  assert.ok(once.every((l) => !l.includes('\x1b')), 'no escape sequences without --watch');
  assert.ok(once.some((l) => /Targets +10\.0\.0\.1:5000 healthy/.test(l)));
});

test('--watch: a refresh that fails after a good read is a warning and the watch goes on; the abort ends it with the last verdict', async () => {
  const { runStatus } = await import('../cli/status/run.ts');
  const { AbortError } = await import('../cli/core/errors.ts');
  // A fake, named so: moto cannot be made to throttle the DescribeStacks of one refresh on demand. Both stack reads of
  // the second refresh fail (one alone would be a "could not read" line: the snapshot stands without it).
  let calls = 0;
  const fakeStacks = {
    async describe(name: string) {
      if ([3, 4].includes(++calls)) throw new AbortError('AWS_THROTTLED', 'CloudFormation DescribeStacks: Rate exceeded');
      return { name, status: 'CREATE_COMPLETE', outputs: {}, parameters: {}, tags: {} };
    },
    all: async () => [],
  };
  const service = { name: 's', cluster: 'c', status: 'ACTIVE', desired: 1, running: 1, pending: 0, taskDefinition: 'td', deployments: [], events: [] };
  const controller = new AbortController();
  let sleeps = 0;
  const clock = { now: () => Date.UTC(2026, 10, 30), sleep: async () => { if (++sleeps === 3) controller.abort(); } };
  const events: Array<{ type: string; ok?: boolean; message?: string }> = [];
  const outcome = await runStatus(
    {
      options: { ecosystem: 'w', all: false, watchSeconds: 1, region: 'us-east-1' },
      ports: { stacks: fakeStacks, ecs: { service: async () => service, tasks: async () => [], describeTasks: async () => [] }, targets: { targets: async () => [] }, alarms: { describe: async () => undefined }, subscriptions: { list: async () => undefined }, certificates: { describe: async (arn: string) => ({ arn }) } },
      clock,
    },
    { emit: (e: { type: string }) => events.push(e), ask: async () => false } as never,
    controller.signal,
  );
  assert.deepEqual(events.map((e) => e.type), ['status', 'warn', 'status', 'result']);
  assert.match(events[1]!.message!, /^refresh failed, showing the last read: CloudFormation DescribeStacks: Rate exceeded/);
  assert.equal(outcome.ok, true, 'the last verdict: healthy');
});

test('status --all: the total across ecosystems, and how many record a branch origin no longer has', async () => {
  const { branchesGone } = await import('../cli/status/run.ts');
  const { statusAllScreen } = await import('../cli/printers/status.ts');
  const rows = [
    { ecosystem: 'main', state: 'CREATE_COMPLETE', stacks: ['ecr', 'infra'] as Array<'ecr' | 'infra'>, branch: 'main', monthly: 46.44 },
    { ecosystem: 'feat-a', state: 'CREATE_COMPLETE', stacks: ['ecr', 'infra'] as Array<'ecr' | 'infra'>, branch: 'feat/a', monthly: 46.44 },
    { ecosystem: 'manual', state: 'CREATE_COMPLETE', stacks: ['ecr', 'infra'] as Array<'ecr' | 'infra'>, monthly: 46.44 },
  ];
  assert.equal(branchesGone(rows, ['main']), 1);
  const text = statusAllScreen({ type: 'status-all', region: 'us-east-1', at: '2026-12-01T00:00:00.000Z', emulator: false, ecosystems: rows, costBasis: 'estimate', totalMonthly: 139.32, noBranch: 1, branchGone: 1 }).join('\n');
  assert.match(text, /3 ecosystems cost ~\$139\.32\/month; 1 of them has no branch on origin any more \(as of the last fetch; destroy --stale deletes them\); 1 record no git branch/);
});

test('status --all prices each ecosystem on the template its stack runs (GetTemplate), and names one priced on this checkout\'s instead', async () => {
  const { listEcosystems } = await import('../cli/status/all.ts');
  const { statusAllScreen } = await import('../cli/printers/status.ts');
  // FAKE stack and ECS reads: "big" was deployed (from another branch) with 1 vCPU tasks; "locked"'s template cannot
  // be read. moto's GetTemplate is exercised in test/status-e2e.test.ts.
  const BIG = INFRA_TEXT.replace("Cpu: '256'", "Cpu: '1024'").replace("Memory: '512'", "Memory: '2048'");
  assert.notEqual(BIG, INFRA_TEXT);
  const stack = (name: string) => ({ name, status: 'CREATE_COMPLETE', outputs: {}, parameters: { MaxTasks: '4' }, tags: { ManagedBy: 'hello-deploy' } });
  const asked: string[] = [];
  const ports = {
    stacks: {
      describe: async () => undefined,
      all: async () => [stack('big-hello-world-infra'), stack('locked-hello-world-infra'), stack('odd-hello-world-infra')],
      template: async (name: string) => {
        asked.push(name);
        if (name.startsWith('locked')) throw new Error('AccessDenied: cloudformation:GetTemplate');
        // Not a template the cost model reads (no Resources): priced on this checkout's, not a failed listing.
        if (name.startsWith('odd')) return 'Description: hand-made\n';
        return BIG;
      },
    },
    ecs: { service: async () => ({ desired: 1 }) },
  } as unknown as Parameters<typeof listEcosystems>[0];
  const pricing = { infraTemplate: INFRA_TEXT, ecrTemplate: ECR_TEXT, table: US_EAST_1, notes: [] };
  const now = Date.parse('2026-12-01T00:00:00Z');
  const rows = await listEcosystems(ports, now, undefined, pricing);
  assert.deepEqual(asked.sort(), ['big-hello-world-infra', 'locked-hello-world-infra', 'odd-hello-world-infra']);
  const [big, locked, odd] = rows;
  const onDeployed = priceEcosystem({ ...pricing, infraTemplate: BIG }, { MaxTasks: '4' }, new Date(now), 1);
  const onCheckout = priceEcosystem(pricing, { MaxTasks: '4' }, new Date(now), 1);
  assert.ok(onDeployed.monthly > onCheckout.monthly, 'the bigger task costs more');
  assert.equal(big!.monthly, onDeployed.monthly);
  assert.equal(big!.pricedOnCheckout, undefined);
  assert.equal(locked!.monthly, onCheckout.monthly);
  assert.equal(locked!.pricedOnCheckout, 'AccessDenied: cloudformation:GetTemplate');
  assert.equal(odd!.monthly, onCheckout.monthly);
  assert.equal(odd!.pricedOnCheckout, 'not a CloudFormation template: no top-level Resources mapping');
  const text = statusAllScreen({ type: 'status-all', region: 'us-east-1', at: '2026-12-01T00:00:00.000Z', emulator: false, ecosystems: rows, costBasis: 'estimate', totalMonthly: 0, noBranch: 0, branchGone: 0 }).join('\n');
  assert.match(text, /\n {2}⚠ priced on this checkout's infra template, the deployed one could not be read: locked \(AccessDenied: cloudformation:GetTemplate\); odd \(not a CloudFormation template: no top-level Resources mapping\)$/);
  assert.doesNotMatch(text, /big \(/);
});
