// Tasks that really run (issue 14 §2), end to end: `deploy --local --keep` on the moto launcher (started here and
// given as --emulator endpoint), then `status` and `logs` against the kept emulator read the task the rehearsal ran,
// as they read one on AWS. And a planted failure: an image whose container exits 3 at start gives a STOPPED task
// with ECS's reason and the exit code (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-errors.html),
// which `logs --previous` reads. Needs Docker; skipped (with the reason) without it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { execa } from 'execa';
import { DescribeTasksCommand, ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { runCli, type CliRun } from './support/cli.ts';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { motoClientConfig } from './support/stacks.ts';
import { dockerUnavailableReason, removeDeployTraces } from './support/docker.ts';
import { BASE_IMAGE } from './support/paths.ts';
import type { RehearsalSummary } from '../cli/rehearsal/events.ts';

/** A base image whose ENTRYPOINT exits 3: the app image built FROM it keeps it, so its container dies at start. */
const EXITS_3 = 'hello-deploy-test/exits-3:1';
let skip: string | null = null;
let moto: Moto | undefined;
const kept: RehearsalSummary[] = [];

const env = () => ({ HELLO_DEPLOY_BASE_IMAGE: BASE_IMAGE, LOCALSTACK_AUTH_TOKEN: '', ...FAKE_AWS_ENV });
const explain = (r: CliRun) => `exit ${r.exitCode}\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-2000)}`;
const last = (r: CliRun) => r.events[r.events.length - 1] as unknown as { ok: boolean; rehearsal?: RehearsalSummary; error?: { code: string }; [k: string]: unknown };

before(async () => {
  skip = await dockerUnavailableReason();
  if (skip) return;
  moto = await startMoto({ launcher: true });
  const build = await execa('docker', ['build', '-q', '-t', EXITS_3, '-'], {
    input: `FROM ${BASE_IMAGE}\nENTRYPOINT ["sh", "-c", "echo planted: exiting 3 >&2; exit 3"]\n`,
    reject: false,
  });
  if (build.exitCode !== 0) skip = `cannot build ${EXITS_3}: ${build.stderr}`;
});

after(async () => {
  // The kept rehearsals' registry and app container: stopped as their output says (the emulator is ours).
  for (const r of kept) {
    for (const s of r.started) {
      if (s.pid) {
        try {
          process.kill(s.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
      if (s.containerId) await execa('docker', ['rm', '-f', '-v', s.containerId], { reject: false });
    }
    if (r.workDir) rmSync(r.workDir, { recursive: true, force: true });
  }
  if (!skip) {
    await removeDeployTraces({ ecosystems: ['lt-tasks', 'lt-exit3'] });
    await execa('docker', ['rmi', EXITS_3], { reject: false });
  }
  await moto?.stop();
});

const rehearse = (eco: string, extra: string[] = []) =>
  runCli(['deploy', '--local', '--yes', '--json', '--keep', '--emulator', 'endpoint', '--endpoint-url', moto!.endpoint, '--ecosystem', eco, ...extra], { env: env() });

test('kept rehearsal on the launcher: status shows 1 of 1 running with the digest the task runs; logs show the gunicorn start with the task id', async (t) => {
  if (skip) return t.skip(skip);
  const r = await rehearse('lt-tasks');
  const result = last(r);
  if (result.rehearsal) kept.push(result.rehearsal);
  assert.equal(r.exitCode, 0, explain(r));

  const st = await runCli(['status', '--json', '--ecosystem', 'lt-tasks', '--endpoint-url', moto!.endpoint, '--region', 'us-east-1'], { env: env() });
  const snap = st.events.find((e) => e.type === 'status') as unknown as { service?: { desired: number; running: number }; digest?: string; runningDigests?: string[]; runningTasks?: number };
  assert.ok(snap, explain(st));
  assert.deepEqual([snap.service?.running, snap.service?.desired], [1, 1], explain(st));
  assert.ok(snap.digest?.startsWith('sha256:'));
  assert.deepEqual(snap.runningDigests, [snap.digest], 'the running task reports the digest the stack names');

  const lg = await runCli(['logs', '--json', '--since', '10m', '--ecosystem', 'lt-tasks', '--endpoint-url', moto!.endpoint, '--region', 'us-east-1'], { env: env() });
  assert.equal(lg.exitCode, 0, explain(lg));
  const lines = lg.events.filter((e) => e.type === 'log-line') as unknown as Array<{ task: string; message: string }>;
  const ecs = new ECSClient(motoClientConfig(moto!.endpoint));
  const [arn] = (await ecs.send(new ListTasksCommand({ cluster: 'lt-tasks-hello-world', serviceName: 'lt-tasks-hello-world', desiredStatus: 'RUNNING' }))).taskArns ?? [];
  ecs.destroy();
  const taskId = arn!.slice(arn!.lastIndexOf('/') + 1);
  assert.ok(lines.some((l) => /Booting worker|Listening at/.test(l.message) && l.task === taskId), `no gunicorn start line of task ${taskId}:\n${JSON.stringify(lines.slice(0, 10))}`);
});

test('planted failure: a container that exits 3 at start is a STOPPED task with "Essential container in task exited" and exit code 3, read by logs --previous', async (t) => {
  if (skip) return t.skip(skip);
  const r = await rehearse('lt-exit3', ['--base-image', EXITS_3]);
  const result = last(r);
  if (result.rehearsal) kept.push(result.rehearsal);
  assert.equal(r.exitCode, 1, explain(r));
  assert.equal(result.error?.code, 'APP_EXITED', explain(r));

  const ecs = new ECSClient(motoClientConfig(moto!.endpoint));
  const cluster = 'lt-exit3-hello-world';
  const arns = (await ecs.send(new ListTasksCommand({ cluster, serviceName: cluster, desiredStatus: 'STOPPED' }))).taskArns ?? [];
  const [task] = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns }))).tasks ?? [];
  ecs.destroy();
  assert.equal(task?.lastStatus, 'STOPPED');
  assert.equal(task?.stoppedReason, 'Essential container in task exited');
  assert.equal(task?.containers?.[0]?.exitCode, 3);

  const lg = await runCli(['logs', '--json', '--previous', '--ecosystem', 'lt-exit3', '--endpoint-url', moto!.endpoint, '--region', 'us-east-1'], { env: env() });
  assert.equal(lg.exitCode, 0, explain(lg));
  const res = last(lg) as unknown as { previous?: { stoppedReason?: string; exitCode?: number } };
  assert.deepEqual([res.previous?.stoppedReason, res.previous?.exitCode], ['Essential container in task exited', 3]);
  assert.ok(lg.events.some((e) => e.type === 'log-line' && /planted: exiting 3/.test(String((e as { message?: string }).message))), explain(lg));
});
