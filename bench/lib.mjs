// Small shared helpers for the benchmarks.
import net from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const NODE = process.execPath;

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Wall time of one run of a command, in seconds; throws if it fails. */
export function timeOnce(cmd, args, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: 'ignore', ...opts });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  return s;
}

/**
 * Each function called `runs` times, round-robin, so noise from the shared machine lands on all of them alike.
 * The functions return seconds; the result is { key: [seconds, …] }. Warm-ups are the caller's (they differ).
 */
export function roundRobin(fns, runs) {
  const times = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  for (let i = 0; i < runs; i++) for (const [k, fn] of Object.entries(fns)) times[k].push(fn());
  return times;
}

/** A private virtualenv for bench-only tools (the AWS CLI), made on first use. */
export function benchVenvTool(name, pipSpec) {
  const venv = path.join(ROOT, '.venv-bench');
  const bin = path.join(venv, 'bin', name);
  if (!existsSync(bin)) {
    console.log(`installing ${pipSpec} into .venv-bench (bench only)…`);
    let r = spawnSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('python3 -m venv failed');
    r = spawnSync(path.join(venv, 'bin', 'pip'), ['install', '-q', pipSpec], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`pip install ${pipSpec} failed`);
  }
  return bin;
}

// AWS CLI v2 is not on PyPI; Debian packages it arch-independent (trixie), so its .deb runs on this Python.
const AWSCLI_V2_DEB = {
  url: 'http://deb.debian.org/debian/pool/main/a/awscli/awscli_2.23.6-1_all.deb',
  sha256: '09645cccbeece0553786ea7532d28901a9e7375d761fe5676490dbb4e7180569',
};
// The Requires-Dist of awscli 2.23.6's METADATA, each at the newest release in its range (cryptography, which a Debian
// patch leaves unbounded, at 43.0.1, a release of the same months as 2.23.6), then what pip resolved for them.
const AWSCLI_V2_PINS = [
  'awscrt==0.23.4', 'colorama==0.4.6', 'cryptography==43.0.1', 'distro==1.8.0', 'docutils==0.19', 'jmespath==1.0.1',
  'prompt-toolkit==3.0.38', 'python-dateutil==2.9.0', 'ruamel.yaml==0.17.21', 'ruamel.yaml.clib==0.2.8',
  'urllib3==1.26.20', 'zipp==3.20.2',
  'cffi==2.1.1', 'pycparser==3.12', 'six==1.17.0', 'wcwidth==0.9.4',
];

const must = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`})`);
  return r;
};

/**
 * AWS CLI v2 (2.23.6) for the benches only, made on first use in .venv-bench-v2: Debian's .deb (checksum pinned),
 * extracted, on a venv holding its pinned dependencies. `bin/aws` is written last, after it has answered
 * `--version`, so its presence means a whole install and anything else is cleared and redone.
 */
export function awsCliV2() {
  const dir = path.join(ROOT, '.venv-bench-v2');
  const bin = path.join(dir, 'bin', 'aws');
  if (existsSync(bin)) return bin;
  console.log('installing AWS CLI v2.23.6 (Debian .deb + pinned deps) into .venv-bench-v2 (bench only)…');
  rmSync(dir, { recursive: true, force: true });
  must('python3', ['-m', 'venv', dir]);
  const py = path.join(dir, 'bin', 'python');
  const deb = path.join(dir, 'awscli.deb');
  must('curl', ['-fsSL', '--connect-timeout', '20', '--max-time', '300', '-o', deb, AWSCLI_V2_DEB.url]);
  const sum = createHash('sha256').update(readFileSync(deb)).digest('hex');
  if (sum !== AWSCLI_V2_DEB.sha256) throw new Error(`${AWSCLI_V2_DEB.url}: SHA256 ${sum}, expected ${AWSCLI_V2_DEB.sha256}; not installing it`);
  const extracted = path.join(dir, 'deb');
  must('dpkg-deb', ['-x', deb, extracted]);
  rmSync(deb);
  must(py, ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', ...AWSCLI_V2_PINS]);
  const pkgs = path.join(extracted, 'usr', 'lib', 'python3', 'dist-packages');
  // Byte-compile as Debian's postinst does, so the first timed run does not pay for it.
  must(py, ['-m', 'compileall', '-q', path.join(pkgs, 'awscli')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const site = spawnSync(py, ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], { encoding: 'utf8' }).stdout.trim();
  writeFileSync(path.join(site, 'awscli-deb.pth'), `${pkgs}\n`);
  // The package's own /usr/bin/aws, run by the venv's python instead of /usr/bin/python3.
  const script = readFileSync(path.join(extracted, 'usr', 'bin', 'aws'), 'utf8').replace(/^#!.*\n/, `#!${py}\n`);
  writeFileSync(`${bin}.new`, script, { mode: 0o755 });
  const v = spawnSync(`${bin}.new`, ['--version'], { encoding: 'utf8' });
  if (!v.stdout?.startsWith('aws-cli/2.23.6 ')) throw new Error(`AWS CLI v2 install is broken: aws --version said ${v.stdout}${v.stderr}`);
  renameSync(`${bin}.new`, bin);
  return bin;
}

/** A port free on loopback right now (the caller binds it next). */
export const freePort = () => new Promise((resolve) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); }); });

/** Waits (at most 30 s) until something listens on the loopback port. */
export async function waitPort(port) {
  for (let i = 0; i < 300; i++) {
    const ok = await new Promise((r) => { const c = net.connect(port, '127.0.0.1'); c.once('connect', () => { c.destroy(); r(true); }); c.once('error', () => r(false)); });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`port ${port} never opened`);
}

/** The fake credentials and region every bench's CLI runs and moto get: nothing can reach a real account. */
export const BENCH_AWS_ENV = { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '', CI: 'true' };

/** moto_server from .venv on a free loopback port: its endpoint, SDK client settings for it, and stop(). */
export async function startBenchMoto() {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const moto = spawn(path.join(ROOT, '.venv/bin/moto_server'), ['-H', '127.0.0.1', '-p', String(port)], { env: BENCH_AWS_ENV, stdio: 'ignore' });
  await waitPort(port);
  const aws = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 1 };
  return { endpoint, aws, stop: () => moto.kill('SIGTERM') };
}
