// `hello-deploy logs` through the built CLI on moto: a cluster with one running and one stopped task (RunTask and
// StopTask, so moto records the stop and its reason), the ecosystem's log group with a stream per task, and the
// CLI reading it plain and as NDJSON, one task's lines (--task), the stopped task's (--previous), following while a
// replacement task writes (then SIGINT: exit 0, each line once, the result last), and the refusals, which send
// nothing to AWS (moto's request log proves it).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { ECSClient, CreateClusterCommand, RegisterTaskDefinitionCommand, CreateServiceCommand, RunTaskCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { resourceNames } from '../cli/domain/names.ts';
import { logStreamOf } from '../cli/ports/ecosystem.ts';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { motoClientConfig } from './support/stacks.ts';
import { BIN, runCli, type CliRun } from './support/cli.ts';
import { assertNoSecrets } from './support/secrets.ts';
import { ROOT } from './support/paths.ts';

const ECO = 'logs-e2e';
const names = resourceNames(ECO);
const HANG_GUARD_MS = 60_000;
let moto: Moto;
let logsClient: CloudWatchLogsClient;
let runningId = '';
let stoppedId = '';

const logs = (extra: string[]) => runCli(['logs', '--ecosystem', ECO, '--endpoint-url', moto.endpoint, ...extra], { env: { ...FAKE_AWS_ENV }, timeout: HANG_GUARD_MS });
const explain = (r: CliRun) => `exit ${r.exitCode}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`;
const last = (r: CliRun) => r.events[r.events.length - 1] as unknown as Record<string, unknown> & { ok: boolean; count?: number; error?: { code: string; hint?: string }; previous?: { id: string; stoppedReason?: string } };
const lines = (r: CliRun) => r.events.filter((e) => e.type === 'log-line') as unknown as Array<{ task: string; stream: string; at: string; message: string }>;

async function put(taskId: string, messages: string[], create = true): Promise<void> {
  if (create) await logsClient.send(new CreateLogStreamCommand({ logGroupName: names.logGroup, logStreamName: logStreamOf(taskId) }));
  const now = Date.now();
  await logsClient.send(new PutLogEventsCommand({ logGroupName: names.logGroup, logStreamName: logStreamOf(taskId), logEvents: messages.map((message, i) => ({ timestamp: now - 2000 + i, message })) }));
}

describe('hello-deploy logs on moto', () => {
  before(async () => {
    moto = await startMoto();
    const cfg = motoClientConfig(moto.endpoint);
    const ecs = new ECSClient(cfg);
    await ecs.send(new CreateClusterCommand({ clusterName: names.cluster }));
    const td = await ecs.send(new RegisterTaskDefinitionCommand({ family: 'logs-e2e', containerDefinitions: [{ name: 'hello-world', image: 'repo@sha256:' + 'a'.repeat(64), memory: 512 }] }));
    const arn = td.taskDefinition!.taskDefinitionArn!;
    await ecs.send(new CreateServiceCommand({ cluster: names.cluster, serviceName: names.service, taskDefinition: arn, desiredCount: 1 }));
    // moto launches no task for a service, and its ListTasks ignores serviceName (moto/ecs/models.py list_tasks):
    // RunTask stands in for the service's tasks, and --previous finds the stopped one in the cluster.
    const run = await ecs.send(new RunTaskCommand({ cluster: names.cluster, taskDefinition: arn, count: 2, launchType: 'FARGATE', networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-12345678'] } } }));
    [stoppedId, runningId] = run.tasks!.map((t) => t.taskArn!.split('/').pop()!) as [string, string];
    await ecs.send(new StopTaskCommand({ cluster: names.cluster, task: stoppedId, reason: 'Essential container in task exited' }));
    ecs.destroy();
    logsClient = new CloudWatchLogsClient(cfg);
    await logsClient.send(new CreateLogGroupCommand({ logGroupName: names.logGroup }));
    await put(stoppedId, ['booting', 'Traceback: KeyError \u001b]0;pwned\u0007']);
    await put(runningId, ['GET / 200']);
  });
  after(async () => {
    logsClient?.destroy();
    await moto?.stop();
  });

  test('plain: every line with its short task id and time, oldest first; the terminal controls escaped', async () => {
    const r = await logs(['--since', '1h']);
    assert.equal(r.exitCode, 0, explain(r));
    const out = r.stdout.trim().split('\n');
    assert.equal(out.length, 3, r.stdout);
    for (const l of out) assert.match(l, /^[0-9a-f]{8} \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /);
    assert.ok(out.some((l) => l.startsWith(`${runningId.slice(0, 8)} `) && l.endsWith(' GET / 200')));
    assert.ok(out.some((l) => l.endsWith('Traceback: KeyError \\u001b]0;pwned\\u0007')), r.stdout);
    assert.ok(!r.stdout.includes('\u001b'), 'no raw escape reaches the terminal');
    assert.equal(r.stderr, '');
  });

  test('--json: a log-line per line, then the result with the count and window', async () => {
    const r = await logs(['--since', '1h', '--json']);
    assert.equal(r.exitCode, 0, explain(r));
    assert.equal(lines(r).length, 3);
    assert.deepEqual(Object.keys(lines(r)[0]!).sort(), ['at', 'message', 'stream', 'task', 'type']);
    assert.equal(lines(r).find((l) => l.message === 'GET / 200')?.task, runningId);
    const result = last(r);
    assert.equal(result.type, 'result');
    assert.equal(result.ok, true);
    assert.equal(result.count, 3);
    assert.equal(result.logGroup, names.logGroup);
    assert.ok(Date.parse(String(result.to)) - Date.parse(String(result.from)) >= 3600_000 - 1000);
  });

  test('--task: only that task\'s lines (its first 8 characters are enough); a task without lines says so on stderr, exit 0', async () => {
    const r = await logs(['--since', '1h', '--task', runningId.slice(0, 8), '--json']);
    assert.equal(r.exitCode, 0, explain(r));
    assert.deepEqual(lines(r).map((l) => l.message), ['GET / 200']);
    const none = await logs(['--task', 'deadbeef']);
    assert.equal(none.exitCode, 0, explain(none));
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /No log lines of task deadbeef from /);
  });

  test('--previous: the stopped task moto recorded, why it stopped, and its lines only', async () => {
    const r = await logs(['--previous', '--json']);
    assert.equal(r.exitCode, 0, explain(r));
    assert.equal(last(r).previous?.id, stoppedId);
    assert.equal(last(r).previous?.stoppedReason, 'Essential container in task exited');
    assert.deepEqual(lines(r).map((l) => l.task), [stoppedId, stoppedId]);
    const plain = await logs(['--previous']);
    assert.match(plain.stderr, new RegExp(`most recently stopped task: ${stoppedId}.*Essential container in task exited`));
    assert.equal(plain.stdout.trim().split('\n').length, 2);
  });

  test('no log group (another ecosystem): exit 1, LOGS_NOT_FOUND with the hint to deploy or check the names', async () => {
    const r = await runCli(['logs', '--ecosystem', 'never-deployed', '--endpoint-url', moto.endpoint, '--json'], { env: { ...FAKE_AWS_ENV }, timeout: HANG_GUARD_MS });
    assert.equal(r.exitCode, 1, explain(r));
    assert.equal(last(r).error?.code, 'LOGS_NOT_FOUND');
    const plain = await runCli(['logs', '--ecosystem', 'never-deployed', '--endpoint-url', moto.endpoint], { env: { ...FAKE_AWS_ENV }, timeout: HANG_GUARD_MS });
    assert.equal(plain.exitCode, 1);
    assert.match(plain.stderr, /No log group \/ecs\/never-deployed-hello-world[\s\S]*hint: Deploy it first/);
  });

  test('refusals: a bad --since, a bad --task, --previous with --task or --follow: exit 2 and no AWS request', async () => {
    const before = (await moto.settled()).length;
    for (const bad of [['--since', '10x'], ['--since', '31d'], ['--task', 'not-a-task'], ['--previous', '--task', runningId], ['--previous', '--follow']]) {
      const r = await logs([...bad, '--json']);
      assert.equal(r.exitCode, 2, `${bad.join(' ')}: ${explain(r)}`);
      assert.equal(last(r).ok, false);
      assert.equal(last(r).error?.code, 'BAD_INPUT');
      assert.match(last(r).error?.hint ?? '', /Nothing was sent to AWS/);
    }
    assert.equal((await moto.settled()).length, before, 'no AWS call was made');
  });

  test('--follow: prints the window, then a replacement task\'s new line once; SIGINT ends it with exit 0 and the result last', async () => {
    const child = spawn(process.execPath, [BIN, 'logs', '--ecosystem', ECO, '--endpoint-url', moto.endpoint, '--since', '1h', '--follow', '--json'], {
      cwd: ROOT, env: { ...process.env, ...FAKE_AWS_ENV, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
    const seen = (n: number) => out.split('\n').filter((l) => l.includes('"type":"log-line"')).length >= n;
    const waitFor = async (what: () => boolean, label: string) => {
      const deadline = Date.now() + 20_000;
      while (!what()) {
        if (Date.now() > deadline || child.exitCode !== null) assert.fail(`${label}: ${out}\n${err}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    await waitFor(() => seen(3), 'the window first');
    // The service replaced its task: a new stream in the same group.
    await put('0123456789abcdef0123456789abcdef', ['replacement up']);
    await waitFor(() => out.includes('replacement up'), 'the new task\'s line');
    // Another poll or two over the overlap: the line must still be there once.
    await new Promise((r) => setTimeout(r, 4500));
    child.kill('SIGINT');
    const code = await exited;
    assertNoSecrets(`${out}\n${err}`, 'hello-deploy logs --follow');
    assert.equal(code, 0, `${out}\n${err}`);
    const events = out.trim().split('\n').map((l) => JSON.parse(l) as { type: string; message?: string; task?: string; ok?: boolean; count?: number; follow?: boolean });
    assert.equal(events.filter((e) => e.message === 'replacement up').length, 1, 'printed once');
    assert.equal(events.find((e) => e.message === 'replacement up')?.task, '0123456789abcdef0123456789abcdef');
    const result = events[events.length - 1]!;
    assert.equal(result.type, 'result');
    assert.equal(result.ok, true);
    assert.equal(result.follow, true);
    assert.equal(result.count, 4);
    assert.match(err, /Ctrl-C: stopping/);
  });
});
