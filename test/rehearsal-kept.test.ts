// The kept-rehearsal record (cli/rehearsal/kept.ts) and the roll-out step's own rules: where the record lives (the
// cache folder, 0600: it names a folder holding a private key), that only a well-formed record of the same ecosystem
// is read back, that a first rehearsal rolls nothing out, and the circuit breaker's failed-task threshold as AWS
// documents it (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { forgetKept, keptPath, readKept, writeKept } from '../cli/rehearsal/kept.ts';
import { breakerThreshold, rollOut } from '../cli/rehearsal/steps/roll-out.ts';
import type { KeptRehearsal } from '../cli/ports/rehearsal.ts';
import { recordingIO, rehearsalCtx } from './support/fake-ports.ts';

const record = (ecosystem: string): KeptRehearsal => ({
  version: 1,
  ecosystem,
  savedAt: '2026-12-01T00:00:00.000Z',
  workDir: '/tmp/hello-deploy-rehearsal-x',
  emulator: { info: { engine: 'moto', endpoint: 'http://127.0.0.1:5999' }, pid: 4242 },
  tasks: [{ containerId: 'c'.repeat(64), containerName: 'hello-world', url: 'https://127.0.0.1:5000', port: 5000, taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/c/t1', image: '127.0.0.1:5001/r@sha256:ab' }],
  certificate: { certFile: '/tmp/x/cert.pem', keyFile: '/tmp/x/key.pem', fingerprint: 'AB:CD', source: 'generated' },
});

test('the record: in $XDG_CACHE_HOME/hello-deploy/kept, mode 0600, read back whole; another ecosystem\'s or a malformed one is not read; forgotten on request', async (t) => {
  const cache = mkdtempSync(path.join(tmpdir(), 'hd-kept-'));
  t.after(() => rmSync(cache, { recursive: true, force: true }));
  const env = { XDG_CACHE_HOME: cache };
  assert.equal(keptPath('feat-x', env), path.join(cache, 'hello-deploy', 'kept', 'feat-x.json'));
  assert.equal(await readKept('feat-x', env), undefined, 'nothing kept yet');
  const file = await writeKept(record('feat-x'), env);
  assert.equal(file, keptPath('feat-x', env));
  assert.equal(statSync(file!).mode & 0o777, 0o600);
  assert.deepEqual(await readKept('feat-x', env), record('feat-x'));
  assert.equal(await readKept('main', env), undefined);
  // A record saved under one name that says another ecosystem, or that is not ours, is ignored.
  writeFileSync(keptPath('main', env)!, JSON.stringify(record('feat-x')));
  assert.equal(await readKept('main', env), undefined);
  writeFileSync(keptPath('main', env)!, '{"version":2}');
  assert.equal(await readKept('main', env), undefined);
  writeFileSync(keptPath('main', env)!, 'not json');
  assert.equal(await readKept('main', env), undefined);
  await forgetKept('feat-x', env);
  assert.equal(await readKept('feat-x', env), undefined);
});

test('no cache folder (HOME unset or not a folder): no record path, nothing written', async () => {
  const env = { HOME: '/nonexistent-hd', XDG_CACHE_HOME: '' };
  assert.equal(keptPath('x', env), undefined);
  assert.equal(await writeKept(record('x'), env), undefined);
});

test('the circuit breaker threshold: half the desired count, at least 3, at most 200', () => {
  assert.deepEqual([1, 2, 6, 7, 10, 400, 401, 1000].map(breakerThreshold), [3, 3, 3, 4, 5, 200, 200, 200]);
});

test('a first rehearsal (nothing kept) skips the roll-out and says how to get one', async () => {
  const { io } = recordingIO();
  const out = await rollOut.run(rehearsalCtx({} as never), io);
  assert.deepEqual(out, { status: 'skipped', reason: 'no kept rehearsal to roll out onto (deploy --local --keep, then rehearse again)' });
  assert.match(rollOut.describe!(rehearsalCtx({} as never)), /keep one with --keep, then rehearse again/);
});
