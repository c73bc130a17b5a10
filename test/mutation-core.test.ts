// cli/core's small promises that printers, main.ts and the wizard rely on, each checked by what it returns:
// the error classes' exit codes and JSON shape, the --yes host, the start gate, the engine-event filter, and where
// the project and the cache folder are. Written against surviving mutants of `npm run mutate` (docs/mutation.md).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AbortError, BugError, BUG_HINT, EXIT, HelloDeployError, InterruptedError, UsageError, toHelloDeployError } from '../cli/core/errors.ts';
import { NonInteractiveHost } from '../cli/core/host.ts';
import { Gate } from '../cli/core/gate.ts';
import { isEngineEvent } from '../cli/core/events.ts';
import { cacheRoot, packageRoot, projectDir } from '../cli/core/paths.ts';
import { ROOT } from './support/paths.ts';

describe('errors: the exit code, name and JSON shape each class gives', () => {
  test('each class sets its exit code and name; JSON carries the hint only when there is one', () => {
    const cause = new Error('root');
    const cases: Array<[HelloDeployError, number, string]> = [
      [new UsageError('BAD_FLAGS', 'u', { hint: 'h', cause }), EXIT.usage, 'UsageError'],
      [new AbortError('AWS_ERROR', 'a', { cause }), EXIT.failure, 'AbortError'],
      [new InterruptedError('i', { hint: 'again' }), EXIT.interrupted, 'InterruptedError'],
      [new BugError('b', { cause }), EXIT.failure, 'BugError'],
      [new HelloDeployError('UNKNOWN', 'x'), EXIT.failure, 'HelloDeployError'],
    ];
    for (const [e, exit, name] of cases) {
      assert.equal(e.exitCode, exit, name);
      assert.equal(e.name, name);
      assert.ok(e instanceof Error && e instanceof HelloDeployError);
    }
    assert.deepEqual(cases[0]![0].toJSON(), { code: 'BAD_FLAGS', message: 'u', hint: 'h' });
    assert.deepEqual(cases[1]![0].toJSON(), { code: 'AWS_ERROR', message: 'a' }, 'no hint key at all without a hint');
    assert.equal(cases[1]![0].cause, cause);
    assert.equal(cases[2]![0].code, 'INTERRUPTED');
    assert.equal(cases[2]![0].hint, 'again');
    assert.deepEqual(cases[3]![0].toJSON(), { code: 'BUG', message: 'b', hint: BUG_HINT });
    assert.equal(cases[4]![0].cause, undefined);
    assert.ok(!('cause' in cases[4]![0]), 'no cause key when none was given');
    assert.equal(new HelloDeployError('UNKNOWN', 'x', { exitCode: EXIT.usage }).exitCode, EXIT.usage);
  });

  test('toHelloDeployError keeps ours as they are, and makes anything else a BUG with its message or, lacking one, its name', () => {
    const ours = new AbortError('AWS_ERROR', 'a');
    assert.equal(toHelloDeployError(ours), ours);
    const plain = new RangeError('');
    const bug = toHelloDeployError(plain);
    assert.ok(bug instanceof BugError);
    assert.equal(bug.message, 'RangeError');
    assert.equal(bug.cause, plain);
    assert.equal(toHelloDeployError(new Error('boom')).message, 'boom');
    assert.equal(toHelloDeployError(42).message, '42');
  });
});

describe('the --yes host', () => {
  test('answers every question with its default and says so; events pass through untouched', async () => {
    const seen: unknown[] = [];
    const host = new NonInteractiveHost((e) => seen.push(e));
    host.emit({ type: 'info', message: 'hello' });
    assert.equal(await host.ask({ kind: 'confirm', id: 'q1', message: 'Go?', default: false }), false);
    assert.equal(await host.ask({ kind: 'confirm', id: 'q2', message: 'Again?', default: true }), true);
    assert.deepEqual(seen, [
      { type: 'info', message: 'hello' },
      { type: 'question', id: 'q1', message: 'Go?', answer: false, answeredBy: 'default' },
      { type: 'question', id: 'q2', message: 'Again?', answer: true, answeredBy: 'default' },
    ]);
  });
});

describe('the start gate', () => {
  test('open costs nothing; held, it opens on release; holding twice needs one release; releasing an open gate changes nothing', async () => {
    const gate = new Gate();
    assert.equal(gate.held, false);
    await gate.opened();
    gate.release();
    assert.equal(gate.held, false);
    gate.hold();
    let firstOpened = false;
    const first = gate.opened().then(() => (firstOpened = true));
    gate.hold();
    assert.equal(gate.held, true);
    let opened = false;
    const waiting = gate.opened().then(() => (opened = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(opened, false, 'still held');
    gate.release();
    await waiting;
    await first;
    assert.equal(opened, true);
    assert.equal(firstOpened, true, 'one release opens for whoever waited since the first hold');
    assert.equal(gate.held, false);
  });
});

describe('engine events', () => {
  test('the common events are engine events; a product\'s own is not', () => {
    for (const type of ['plan', 'step-start', 'step-progress', 'log', 'info', 'warn', 'stack-event', 'change-set', 'question', 'step-succeeded', 'step-skipped', 'step-failed']) {
      assert.equal(isEngineEvent({ type }), true, type);
    }
    for (const type of ['result', 'rollout', '']) assert.equal(isEngineEvent({ type }), false, type);
  });
});

describe('paths', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hd-core-paths-'));
  test.after(() => rmSync(dir, { recursive: true, force: true }));

  test('packageRoot: the nearest folder up whose package.json is hello-deploy; another package or a bad file is passed over', () => {
    assert.equal(packageRoot(path.join(ROOT, 'cli', 'core')), ROOT);
    const nested = path.join(dir, 'pkg', 'other', 'bad', 'deep');
    mkdirSync(nested, { recursive: true });
    writeFileSync(path.join(dir, 'pkg', 'package.json'), JSON.stringify({ name: 'hello-deploy' }));
    writeFileSync(path.join(dir, 'pkg', 'other', 'package.json'), JSON.stringify({ name: 'other' }));
    writeFileSync(path.join(dir, 'pkg', 'other', 'bad', 'package.json'), '{ not json');
    assert.equal(packageRoot(nested), path.join(dir, 'pkg'));
    // None up to the file-system root: the folder above the start, as an installed package's dist/ would have it.
    const lone = path.join(dir, 'lone', 'dist');
    mkdirSync(lone, { recursive: true });
    if (packageRoot(lone) !== path.join(dir, 'lone')) assert.fail(`no hello-deploy package.json above ${lone}, expected its parent, got ${packageRoot(lone)}`);
  });

  test('projectDir: the current folder when it has both the infra template and the Dockerfile, else the package', () => {
    const cwd = path.join(dir, 'project');
    mkdirSync(path.join(cwd, 'infra'), { recursive: true });
    writeFileSync(path.join(cwd, 'Dockerfile'), 'FROM x\n');
    assert.equal(projectDir(cwd), packageRoot(), 'a Dockerfile alone is not the project');
    writeFileSync(path.join(cwd, 'infra', 'hello-world-infra.yaml'), 'Resources: {}\n');
    assert.equal(projectDir(cwd), cwd);
    rmSync(path.join(cwd, 'Dockerfile'));
    assert.equal(projectDir(cwd), packageRoot(), 'the template alone is not the project');
  });

  test('cacheRoot: an absolute existing XDG_CACHE_HOME, else ~/.cache, else none', () => {
    const file = path.join(dir, 'a-file');
    writeFileSync(file, '');
    assert.equal(cacheRoot({ XDG_CACHE_HOME: dir, HOME: '/nonexistent' }), path.join(dir, 'hello-deploy'));
    assert.equal(cacheRoot({ XDG_CACHE_HOME: 'relative', HOME: dir }), path.join(dir, '.cache', 'hello-deploy'));
    assert.equal(cacheRoot({ XDG_CACHE_HOME: file, HOME: dir }), path.join(dir, '.cache', 'hello-deploy'), 'a file is no cache folder');
    assert.equal(cacheRoot({ XDG_CACHE_HOME: path.join(dir, 'missing'), HOME: dir }), path.join(dir, '.cache', 'hello-deploy'));
    assert.equal(cacheRoot({ HOME: '/nonexistent' }), undefined);
    assert.equal(cacheRoot({ HOME: 'relative/home' }), undefined);
    assert.equal(cacheRoot({ HOME: file }), undefined);
    // Relative names that do exist (the current folder): still refused, a cache is never relative to where one runs.
    assert.equal(cacheRoot({ XDG_CACHE_HOME: '.', HOME: dir }), path.join(dir, '.cache', 'hello-deploy'));
    assert.equal(cacheRoot({ HOME: '.' }), undefined);
  });
});
