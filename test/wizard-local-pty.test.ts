// `hello-deploy --local` in a real pseudo-terminal: tmux runs the BUILT binary (bin/hello-deploy.js) at 100×32 and
// real keystrokes walk the rehearsal wizard, behind which the real rehearsal runs: moto_server, docker-registry,
// the Docker engine building, pushing and running the app. Two runs: through to the result screen (probes,
// fidelity report, exit 0), and Ctrl-C in the middle (teardown, exit 130). After each, nothing it started is left:
// no process, no container, no rehearsal folder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { createTmux } from './support/tmux.ts';
import { dockerUnavailableReason, removeDeployTraces } from './support/docker.ts';
import { BASE_IMAGE, ROOT } from './support/paths.ts';

// 100×32: the size at which the result once lost its top ("Rehearsal passed" and the probes scrolled away).
const tmux = createTmux('hello-deploy-local-pty', { columns: 100, rows: 32 });
// The checkout whose built binary is driven: this one (HELLO_DEPLOY_CLI_ROOT lets a developer point at another).
const CLI_ROOT = process.env.HELLO_DEPLOY_CLI_ROOT ?? ROOT;
const LABEL = 'hello-deploy.rehearsal';

let noDocker: string | null;
let cwd: string;
/** The rehearsal's TMPDIR: every rehearsal folder it makes lands here, so this test can tell its own apart. */
let tmp: string;
const workDirs = new Set<string>();

const flat = (s: string) => s.replace(/[│╭╮╰╯─]/g, ' ').replace(/\s+/g, ' ');

async function startRehearsal(): Promise<void> {
  await tmux.start([path.join(ROOT, 'node_modules/.bin/node'), path.join(CLI_ROOT, 'bin/hello-deploy.js'), '--local'], {
    cwd,
    env: { HELLO_DEPLOY_BASE_IMAGE: BASE_IMAGE, TMPDIR: tmp },
  });
}

/** Every screen read while the rehearsal runs also notes which rehearsal folders exist right now. */
const noteFolders = () => {
  for (const d of readdirSync(tmp)) if (d.startsWith('hello-deploy-rehearsal-')) workDirs.add(d);
};

/** The welcome, the answers (all defaults) and the confirm, as a person would walk them. */
async function walkToRun(): Promise<void> {
  const welcome = await tmux.waitScreen('What runs locally');
  assert.match(flat(welcome), /No AWS account is needed and nothing is sent to AWS/);
  assert.match(welcome, /Emulator +moto launcher \(moto_server \+ extensions\)/);
  assert.match(welcome, /Start the local registry/);
  assert.match(welcome, /Run and probe the app/);
  await tmux.keys('Enter');
  const answers = await tmux.waitScreen('Rehearsal answers');
  assert.match(answers, /❯ Ecosystem +rehearsal/, 'no git here: the rehearsal default, prefilled');
  await tmux.keys('Enter');
  await tmux.waitScreen('❯ Alarm e-mail');
  await tmux.keys('Enter');
  const confirm = await tmux.waitScreen('Rehearse now?');
  assert.match(confirm, /Alarm e-mail +rehearsal@example\.com \(the default; nothing is e-mailed\)/);
  assert.match(confirm, /npx hello-deploy --local --yes --ecosystem rehearsal/);
  await tmux.type('y');
}

/** Processes and containers named on the result screen's "Torn down" row. */
function startedOn(screen: string): { pids: Array<[string, number]>; containers: string[] } {
  const row = /Torn down +(.+?) *│?\n/.exec(screen)?.[1] ?? '';
  return {
    pids: [...row.matchAll(/(moto launcher|[\w-]+) pid (\d+)/g)].map((m) => [m[1]!, Number(m[2])]),
    containers: [...row.matchAll(/container ([0-9a-f]{12})/g)].map((m) => m[1]!),
  };
}

/** A zombie (exited, not yet reaped by whoever adopted it) is not running. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Live processes whose command line names `dir` (docker-registry serves a config from the rehearsal folder). */
function processesNaming(dir: string): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmd.includes(`${dir}/`) && running(Number(pid))) out.push(`${pid}: ${cmd}`);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

async function assertNothingLeft(screen: string): Promise<void> {
  const { pids, containers } = startedOn(screen);
  assert.ok(pids.some(([what]) => what === 'moto launcher'), `the result names the emulator it stopped:\n${screen}`);
  for (const [what, pid] of pids) assert.equal(running(pid), false, `${what} (pid ${pid}) is still running`);
  for (const id of containers) {
    const ps = await execa('docker', ['ps', '-a', '-q', '--filter', `id=${id}`]);
    assert.equal(ps.stdout.trim(), '', `container ${id} is still there`);
  }
  assert.ok(workDirs.size > 0, 'the rehearsal folder was seen while it ran');
  const labelled = await execa('docker', ['ps', '-a', '--filter', `label=${LABEL}`, '--format', `{{.ID}} {{.Label "${LABEL}"}}`]);
  const ours = labelled.stdout.split('\n').filter((l) => workDirs.has(l.split(' ')[1] ?? ''));
  assert.deepEqual(ours, [], 'no container labelled with one of this test\'s rehearsals');
  assert.deepEqual(processesNaming(tmp), [], 'no process still uses the rehearsal folder');
  assert.deepEqual(readdirSync(tmp).filter((d) => d.startsWith('hello-deploy-rehearsal-')), [], 'the rehearsal folders are removed');
}

before(async () => {
  noDocker = await dockerUnavailableReason();
  if (noDocker) return;
  // The test drives the built binary: build it now so it is never stale.
  execFileSync(path.join(ROOT, 'node_modules/.bin/node'), ['scripts/build.mjs'], { cwd: CLI_ROOT, stdio: 'inherit' });
  // No git and no app/certs here: the ecosystem is the rehearsal's default and the pair is generated.
  cwd = mkdtempSync(path.join(tmpdir(), 'hello-deploy-local-pty-cwd-'));
  tmp = mkdtempSync(path.join(tmpdir(), 'hello-deploy-local-pty-tmp-'));
});

after(async () => {
  await tmux.kill();
  // The rehearsal's own build tag (the rest it removes itself, as the test checks).
  if (!(await dockerUnavailableReason())) await removeDeployTraces({ ecosystems: ['rehearsal'] });
  if (cwd) rmSync(cwd, { recursive: true, force: true });
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('hello-deploy --local on a terminal: the rehearsal wizard, through to the probes and the fidelity report; q exits 0; nothing left', { timeout: 150_000 }, async (t) => {
  if (noDocker) return t.skip(noDocker);
  await startRehearsal();
  await walkToRun();

  // The rehearsal's own steps show as panes while they run, like the deploy's (push-image takes seconds).
  const panes = new Set<string>();
  const seen = (s: string) => {
    noteFolders();
    for (const m of s.matchAll(/│ [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] ([A-Z][\w ]+?) \d+s/g)) panes.add(m[1]!);
  };
  // The report is printed above the live lines once the run ends; 'Wall time' is its last section.
  const result = await tmux.waitScreen(/Wall time[\s\S]*Rehearsal passed/, 120_000, { seen, history: true });
  // Taller than the terminal, the report scrolls like output, while the key lines stay on screen, and no partial
  // copy of a live frame is left in the scrollback (a frame taller than the terminal leaves those).
  const visible = await tmux.screen();
  assert.match(visible, /✔ Rehearsal passed · nothing was sent to AWS\n +the app ran at https:\/\/127\.0\.0\.1:\d+: 3 of 3 probes passed/);
  assert.match(visible, /q quit/);
  assert.doesNotMatch(result, /steps done/, 'no stale progress frame in the scrollback');
  assert.ok(panes.has('Push the image'), `panes seen: ${[...panes].join(', ')}`);
  assert.ok(['Start the AWS emulator', 'Start the local registry', 'Run and probe the app', 'Tear down'].some((p) => panes.has(p)), `a rehearsal step's own pane was seen; panes seen: ${[...panes].join(', ')}`);

  // Every step finished, the rehearsal's own ones included, and was printed once above the live area.
  for (const step of ['Start the AWS emulator', 'Check prerequisites', 'Start the local registry', 'Push the image', 'Deploy the infra stack', 'Run and probe the app', 'Tear down']) {
    assert.match(result, new RegExp(`✔ ${step} \\d+s`), step);
  }
  // The probes: hello world over HTTPS, the health check, and the certificate served is the rehearsal's own.
  assert.match(result, /✔ GET \/ +200 "hello world"/);
  assert.match(result, /✔ GET \/health +200/);
  assert.match(result, /✔ certificate +served = the pair made for the rehearsal/);
  // The fidelity report, as the moto launcher measured it: all 26 resources created, none partial or skipped.
  const report = flat(result.slice(result.indexOf('Fidelity report')));
  assert.match(report, /Fidelity report moto 5\.2\.\d+ at http:\/\/127\.0\.0\.1:\d+ · 26 resources in both templates/);
  assert.match(report, /✔ created in the emulator: 26 Repository, VPC,/);
  for (const name of ['Service', 'ScalableTarget', 'CpuScalingPolicy', 'AlarmEmailSubscription', 'CpuHighAlarm']) assert.match(report, new RegExp(`created in the emulator: 26 [^✘◐]*\\b${name}\\b`), name);
  assert.doesNotMatch(report, /partially emulated|not emulated/);
  // On the launcher the container is a task of the service.
  assert.doesNotMatch(report, /the emulator did not take the task/);
  // Through HAProxy (setup installs it): no "traffic through the load balancer" gap, the scaled timings said.
  assert.doesNotMatch(report, /Not rehearsed – traffic through the load balancer/);
  assert.match(report, /load balancer timings: health checks every 1 s \(template: 10 s\)/);
  assert.match(flat(result), /through the load balancer at https:\/\/127\.0\.0\.1:\d+ \(the listener's 443\): 5 of 5 probes passed/);
  assert.match(report, /Wall time per step, total \d+\.\ds ✔ /);
  assert.match(report, /✔ run-app \d+\.\ds/);
  assert.match(report, /✔ start-load-balancer \d+\.\ds/);

  await tmux.type('q');
  await tmux.waitScreen('EXIT=', 15_000);
  // What to copy is printed whole, outside any border, when the wizard ends: one line each once unwrapped.
  const end = await tmux.screen({ history: true, joined: true });
  assert.match(end, /EXIT=0/);
  assert.match(end, /^hello-deploy: rehearsal passed · nothing was sent to AWS$/m);
  assert.match(end, /^ {2}the same run without the wizard: npx hello-deploy --local --yes --ecosystem rehearsal\b.*$/m);
  await assertNothingLeft(result);
});

test('Ctrl-C during the push: no AWS question, the push finishes, nothing after it starts, everything is torn down, exit 130', { timeout: 120_000 }, async (t) => {
  if (noDocker) return t.skip(noDocker);
  workDirs.clear();
  await startRehearsal();
  await walkToRun();
  // Stopped while the image is pushed to the local registry: the push finishes, nothing after it starts.
  await tmux.waitScreen(/│ [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Push the image/, 90_000, { seen: noteFolders });
  await tmux.keys('C-c');
  const notes: string[] = [];
  const end = await tmux.waitScreen(/EXIT=\d+/, 90_000, {
    history: true,
    seen: (s) => {
      noteFolders();
      notes.push(flat(s));
    },
  });
  assert.match(end, /EXIT=130/);
  assert.ok(notes.some((s) => s.includes('Nothing runs in AWS, so there is nothing to cancel there')), 'the stopping note says there is nothing to cancel in AWS');
  assert.doesNotMatch(end, /Stop the deploy\?|CancelUpdateStack/);
  assert.match(end, /Rehearsal interrupted/);
  assert.match(end, /✔ Push the image \d+s/);
  assert.match(end, /– Deploy the infra stack +skipped: not run: interrupted/);
  assert.match(end, /– Run and probe the app +skipped: not run: interrupted/);
  assert.match(end, /✔ Tear down \d+s/);
  await assertNothingLeft(end);
});
