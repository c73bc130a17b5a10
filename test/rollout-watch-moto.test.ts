// The deploy's rollout watcher (cli/steps/rollout-watch.ts) on moto, with the real adapter (createEcosystemReads):
// moto's RunTask + StopTask(reason) give real stoppedReason values, which the watcher reads and diagnoses. moto's
// stack create finishes at once, so the step runs over the real reads and the FAKE slow StackPort
// (test/support/slow-stacks.ts), not through the whole CLI. The fake-reads half is test/rollout-watch.test.ts.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ECSClient, CreateClusterCommand, RegisterTaskDefinitionCommand, CreateServiceCommand, RunTaskCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import { AbortError } from '../cli/core/errors.ts';
import { deployInfraStack } from '../cli/steps/deploy-infra-stack.ts';
import { watchRollout } from '../cli/steps/rollout-watch.ts';
import { resourceNames } from '../cli/domain/names.ts';
import { createEcosystemReads } from '../cli/adapters/aws/ecosystem.ts';
import { systemClock } from '../cli/adapters/clock.ts';
import { DIGEST, REPOSITORY, UNUSED_CERTS, recordingIO, stepCtx, UNUSED_DNS } from './support/fake-ports.ts';
import { slowStacks } from './support/slow-stacks.ts';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';

const ready = { imageId: `${REPOSITORY.uri}@${DIGEST}`, certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc', infraTemplateBody: 'infra: body' };

describe('rollout watcher on moto (real adapter)', () => {
  let moto: Moto;
  let work = '';
  const saved = { ...process.env };
  const names = resourceNames('feature-x');
  let ecs: ECSClient;
  let taskDefinition = '';
  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'hd-rollout-'));
    await writeFile(path.join(work, 'empty'), '');
    Object.assign(process.env, FAKE_AWS_ENV, { AWS_CONFIG_FILE: path.join(work, 'empty'), AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'empty') });
    delete process.env.AWS_PROFILE;
    moto = await startMoto();
    ecs = new ECSClient({ endpoint: moto.endpoint, region: 'us-east-1' });
    await ecs.send(new CreateClusterCommand({ clusterName: names.cluster }));
    const td = await ecs.send(new RegisterTaskDefinitionCommand({ family: 'rollout', containerDefinitions: [{ name: 'hello-world', image: 'repo@sha256:' + 'a'.repeat(64), memory: 512 }] }));
    taskDefinition = td.taskDefinition!.taskDefinitionArn!;
    await ecs.send(new CreateServiceCommand({ cluster: names.cluster, serviceName: names.service, taskDefinition, desiredCount: 2 }));
    // A task stopped before the deploy: the watcher must not count it.
    await stopTasks(1, 'CannotPullContainerError: an older deploy');
  });
  after(async () => {
    ecs?.destroy();
    await moto?.stop();
    process.env = saved;
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** moto's RunTask (FARGATE needs a network configuration), in the service's group, then StopTask with `reason`. */
  async function stopTasks(count: number, reason: string, group = `service:${names.service}`): Promise<string[]> {
    const run = await ecs.send(new RunTaskCommand({ cluster: names.cluster, taskDefinition, count, group, launchType: 'FARGATE', networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-12345678'] } } }));
    for (const t of run.tasks ?? []) await ecs.send(new StopTaskCommand({ cluster: names.cluster, task: t.taskArn!, reason }));
    return (run.tasks ?? []).map((t) => t.taskArn!.split('/').pop()!);
  }

  test('the watcher reads moto\'s stopped reasons through the real adapter and diagnoses a pull failure', async () => {
    const reads = createEcosystemReads({ endpointUrl: moto.endpoint, region: 'us-east-1' });
    try {
      const stop = new AbortController();
      const reports: unknown[] = [];
      const watching = watchRollout(reads, systemClock, {
        ref: { cluster: names.cluster, service: names.service },
        targetGroup: names.targetGroup,
        logGroup: names.logGroup,
        since: Date.now(),
        pollMs: 200,
        signal: stop.signal,
        onReport: (r) => reports.push(r),
        onWarn: (m) => assert.fail(m),
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Another family's task in the same cluster is not the service's (moto ignores ListTasks' serviceName).
      await stopTasks(1, 'CannotPullContainerError: not ours', 'family:other');
      const ids = await stopTasks(2, 'CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref repo:missing: not found');
      const verdict = await Promise.race([watching, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 10_000))]);
      stop.abort();
      assert.ok(verdict, 'diagnosed');
      assert.equal(verdict.diagnosis.failing, true);
      assert.equal(verdict.diagnosis.groups.length, 1);
      assert.equal(verdict.diagnosis.groups[0]!.kind, 'image-pull');
      assert.deepEqual([...verdict.diagnosis.groups[0]!.tasks].sort(), [...ids].sort());
      assert.ok(reports.length >= 1);
    } finally {
      reads.close();
    }
  });

  test('the infra step over the real reads on moto (and the FAKE slow StackPort): ROLLOUT_FAILED, update cancelled', async () => {
    const reads = createEcosystemReads({ endpointUrl: moto.endpoint, region: 'us-east-1' });
    const stacks = slowStacks('UPDATE_IN_PROGRESS');
    // The real clock, with 10 s looks shortened: the step's watcher reads moto as it would AWS.
    const clock = { now: () => Date.now(), sleep: (_ms: number, signal?: AbortSignal) => systemClock.sleep(200, signal) };
    const ctx = stepCtx({ stacks, ecosystem: reads, certs: UNUSED_CERTS, dns: UNUSED_DNS }, { state: ready, clock });
    const { io } = recordingIO();
    try {
      const running = deployInfraStack.run(ctx, io);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await stopTasks(2, 'ResourceInitializationError: unable to pull secrets or registry auth');
      await assert.rejects(running, (e: AbortError) => e.code === 'ROLLOUT_FAILED' && /ResourceInitializationError/.test(e.message) && /secrets/.test(e.hint ?? ''));
      assert.deepEqual(stacks.cancelled, ['feature-x-hello-world-infra']);
    } finally {
      reads.close();
    }
  });
});
