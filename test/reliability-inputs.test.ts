// Bad input, flag by flag, through the real CLI (dist/, as a user runs it): every value a generator makes is one
// AWS, Docker or the templates would refuse, or one that must never be read (a FIFO, a device). Each case must end
// with exit 2, one error line that names the flag, no stack trace, no raw control or invisible character on the
// terminal, nothing sent to AWS (moto's request log stays as it was), and in under a second.
//
// The values come from fast-check arbitraries that reach the boundaries: length caps, the reserved `internal-`
// prefix, unicode, control characters and escape sequences, whitespace inside a value, path-like values and special
// files. They are drawn with fc.sample (a seed is printed; HELLO_DEPLOY_RELIABILITY_SEED replays it) and run a few
// at a time, so the suite stays near a minute on two shared cores; HELLO_DEPLOY_RELIABILITY_RUNS draws more per flag.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { makeTestCert, type TestCert } from './support/testcert.ts';
import { runCli, type CliRun } from './support/cli.ts';
import { AWS_REGIONS } from '../cli/domain/aws-regions.ts';
import { ECOSYSTEM_MAX_LENGTH } from '../cli/domain/ecosystem.ts';
import { parseDeployImage, parseImageName } from '../cli/domain/image-ref.ts';
import { hasAstral, hasCombining, reaches } from './support/boundaries.ts';

/** Random draws per flag, besides the fixed boundary values each flag lists. */
const RUNS = Number(process.env.HELLO_DEPLOY_RELIABILITY_RUNS ?? 6);
const SEED = Number(process.env.HELLO_DEPLOY_RELIABILITY_SEED ?? Date.now() % 2 ** 31);
/**
 * Each case should end within a second on an idle machine; this one is shared, so the budget grows with how much
 * slower than idle (about 80 ms) `hello-deploy --version` starts right now, measured in before(). Timing is a
 * benchmark's business, not a test's: the suite reports the median and slowest case against that budget, and only
 * a case over HANG_FACTOR budgets fails it, which is what a refusal that reads a FIFO or /dev/urandom looks like.
 */
const CASE_BUDGET_MS = 1000;
const HANG_FACTOR = 5;
const IDLE_START_MS = 80;
let budgetMs = CASE_BUDGET_MS;
/** CLI runs at once: each is mostly process start-up, so two overlap well even on two cores. */
const CONCURRENCY = 2;

let moto: Moto;
let cert: TestCert;
let other: TestCert;
let work: string;
const files: Record<string, string> = {};
let tried = 0;
const slowest: Array<{ ms: number; what: string }> = [];

before(async () => {
  moto = await startMoto();
  const starts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await runCli(['--version']);
    starts.push(performance.now() - t0);
  }
  const startMs = starts.sort((a, b) => a - b)[2] ?? IDLE_START_MS;
  budgetMs = Math.round(CASE_BUDGET_MS * Math.max(1, startMs / IDLE_START_MS));
  cert = makeTestCert('reliability.hello-deploy.test');
  other = makeTestCert('other.hello-deploy.test');
  work = mkdtempSync(path.join(tmpdir(), 'hd-reliability-'));
  const at = (name: string) => path.join(work, name);
  mkdirSync(at('home'));
  mkdirSync(at('cwd'));
  mkdirSync(at('a-folder'));
  execFileSync('mkfifo', [at('fifo')]);
  symlinkSync('/dev/zero', at('zero-link'));
  writeFileSync(at('big.pem'), `-----BEGIN CERTIFICATE-----\n${'A'.repeat(70 * 1024)}\n-----END CERTIFICATE-----\n`);
  writeFileSync(at('empty.pem'), '');
  writeFileSync(at('garbage.pem'), Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 37) % 256)));
  writeFileSync(at('a-file'), 'not a folder');
  mkdirSync(at('open-to-all'));
  chmodSync(at('open-to-all'), 0o777);
  Object.assign(files, {
    cert: path.join(cert.dir, 'cert.pem'),
    key: path.join(cert.dir, 'key.pem'),
    otherKey: path.join(other.dir, 'key.pem'),
    fifo: at('fifo'),
    zeroLink: at('zero-link'),
    big: at('big.pem'),
    empty: at('empty.pem'),
    garbage: at('garbage.pem'),
    folder: at('a-folder'),
    file: at('a-file'),
    openToAll: at('open-to-all'),
    home: at('home'),
    cwd: at('cwd'),
    out: at('out'),
  });
});

after(async () => {
  await moto?.stop();
  for (const d of [cert?.dir, other?.dir, work]) if (d) rmSync(d, { recursive: true, force: true });
});

// ---------------------------------------------------------------- generators

/** Control characters, escape sequences and invisible characters that trim() never removes. */
const EDGE = ['\x1b]0;pwned\x07', '\x1b[2J', '\x07', '\x7f', '\x01', '\u0085', '\u009b', '\u200b', '\u200d', '\u202e', '\u2066', '\u00ad'];
/** The same plus whitespace (which a value may not hold inside it). */
const INNER = [...EDGE, ' ', '\t', '\n', '\r', '\u00a0', '\u3000', '\ufeff'];
const UNICODE = ['é', 'ß', 'İ', '😀', 'ｅ', 'а' /* Cyrillic a */];
const HEX64 = 'a'.repeat(64);

/** `valid` spoiled: a control, invisible, whitespace (or `extra`) character inside it, or an escape sequence at one end. */
function spoiled(valid: string, extra: string[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    fc.tuple(fc.constantFrom(...INNER, ...extra), fc.integer({ min: 1, max: valid.length - 1 })).map(([c, at]) => valid.slice(0, at) + c + valid.slice(at)),
    fc.tuple(fc.constantFrom(...EDGE), fc.boolean()).map(([c, front]) => (front ? c + valid : valid + c)),
  );
}
const oneOf = (...values: string[]) => fc.constantFrom(...values);
const lower = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'), minLength: min, maxLength: max });

const CAP = ECOSYSTEM_MAX_LENGTH;
const ecosystem = fc.oneof(
  spoiled('rel-ok', [...UNICODE, 'e\u0301', '𝒜']),
  // Over the 24-character cap (and the template's 25), starting at exactly cap+1: integers lean to their minimum.
  fc.integer({ min: CAP + 1, max: 60 }).chain((n) => lower(n - 1, n - 1).map((s) => `a${s}`)),
  fc.oneof(lower(1, CAP - 'internal-'.length), lower(CAP - 'internal-'.length, CAP - 'internal-'.length)).map((s) => `internal-${s}`), // AWS reserves the prefix for load balancer names; up to the cap
  oneOf('Rel', '1abc', 'abc-', 'a--b', '-a', 'a_b', 'a.b', '../x', 'ré'),
);
/**
 * Issue 18: what every --ecosystem case tries besides its few random draws: exactly one over the cap, the reserved
 * prefix in a name exactly at the cap, and an astral character and a combining mark (lone surrogates cannot reach a
 * process: argv is UTF-8). Checked by planting the break once (validateEcosystem without its length check, built
 * into dist/): all six --ecosystem cases failed, the cap+1 value no longer refused.
 */
const ECOSYSTEM_BOUNDARIES = ['a'.repeat(CAP + 1), `internal-${'a'.repeat(CAP - 'internal-'.length)}`, 'rel-😀', 're\u0301l'];
const email = fc.oneof(
  spoiled('ops@example.com', [...UNICODE, '<', '>', '"', '(', ',', ';', ':', '\\', '[', '@']),
  oneOf('\x1b]0;pwned\x07\x1b[2Ja@b.com', '<a@b.com>', 'a@b..com', 'a@-b.com', 'a@b-.com', '.a@b.com', 'a.@b.com', 'a..b@c.com', 'a@b', 'a@b.c', 'a@b.c0m', 'a@@b.com', '@b.com', 'a@', 'a b@c.com'),
  lower(65, 80).map((s) => `${s}@example.com`), // local part over 64
  lower(50, 63).map((s) => `ops@${[s, s, s, s, s].join('.')}.com`), // over 254 in all (5 labels of 50+: at least 262)
);
const knownRegions = new Set(AWS_REGIONS);
const region = fc.oneof(
  spoiled('us-east-1', UNICODE),
  oneOf('zz-nowhere-9', 'us-east-99', 'US-EAST-1', 'us-east-1a', 'aws-global', 'useast1', 'us_east_1', '../us-east-1'),
  fc.stringMatching(/^[a-z]{2}-[a-z]{4,9}-[0-9]{1,2}$/).filter((r) => !knownRegions.has(r)),
);
const profile = fc.oneof(spoiled('dev'), oneOf('   ', '[dev]', 'my profile', 'dev]'), lower(129, 140));
const VALID_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555';
const arn = fc.oneof(
  spoiled(VALID_ARN, ['A', '/']),
  oneOf(
    'arn:aws:acm:us-east-1:123456789012:certificate/abc',
    'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555', // another region than --region
    'arn:aws:acm:zz-nowhere-9:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555',
    'arn:aws:iam::123456789012:server-certificate/x',
    'arn:aws:acm:us-east-1:12345678901:certificate/0a1b2c3d-0000-1111-2222-333344445555',
    'arn:aws:acm:us-east-1:123456789012:certificate/0A1B2C3D-0000-1111-2222-333344445555',
  ),
);
const VALID_IMAGE = `registry.example.com/team/app@sha256:${HEX64}`;
const image = fc.oneof(
  // Only insertions that are wrong wherever they land: an 'A' in the registry's host or a '_' inside a path
  // component is a valid reference (Docker's grammar), and a valid value would start a real deploy against moto.
  spoiled(VALID_IMAGE, ['//', '..', ':']),
  oneOf(
    `r.example.com/fz-@sha256:${HEX64}`, `r.example.com/a//b@sha256:${HEX64}`, `r.example.com/a/../b@sha256:${HEX64}`,
    `r.example.com/a.-b@sha256:${HEX64}`, `r.example.com/x/@sha256:${HEX64}`,
    `r.example.com:99999/a@sha256:${HEX64}`, `r.example.com:0/a@sha256:${HEX64}`, `r.example.com:65536/a:x`,
    'r.example.com/a', 'app:latest', `r.example.com/a:x@sha256:${HEX64}`, `r.example.com/a@sha512:${HEX64}`,
    `r.example.com/a@sha256:${HEX64.slice(1)}`, `r.example.com/Team/a:x`, `r.example.com/a:${'t'.repeat(129)}`, `r.example.com/a:.x`,
  ),
  lower(260, 300).map((s) => `r.example.com/${s}:x`), // a name over 255
);
const endpoint = () => fc.oneof(
  spoiled(`http://127.0.0.1:${moto.port}`),
  oneOf('', 'localhost:5000', 'ftp://127.0.0.1', 'file:///etc/passwd', 'javascript:alert(1)', 'http://', 'http://u:p@127.0.0.1:1', `http://127.0.0.1:${moto.port}/?x=1`, `http://127.0.0.1:${moto.port}/#f`, '127.0.0.1', '../x'),
);
const registry = fc.oneof(
  spoiled('127.0.0.1:5000', ['/', '@', '_']),
  oneOf('127.0.0.1:0', '127.0.0.1:65536', '127.0.0.1:99999', 'host:', ':5000', 'a..b', '-a.example.com', 'a_b.example.com', 'http://127.0.0.1:5000', 'host/path', ''),
);
const baseImage = fc.oneof(
  // Not '/' or 'A': 'py/thon:3.12-slim' and 'python:3.12-sAlim' are valid references (a path; a tag may hold
  // capitals), so a draw of them deployed for real and its requests reached moto in the next cases (CI, seed 806422228).
  spoiled('python:3.12-slim', ['@']),
  oneOf('Python:3', 'pYthon:3.12-slim', 'a//b', 'a/../b', ':tag', `@sha256:${HEX64}`, `r.example.com:99999/a:x`, `python:${'t'.repeat(129)}`, 'python:.x'),
);
/** --arch: case-insensitive x86_64 or arm64; everything else, the usual aliases (amd64, aarch64) included, is refused. */
const arch = fc.oneof(
  spoiled('arm64', UNICODE),
  oneOf('amd64', 'aarch64', 'x86-64', 'x64', 'arm', 'arm64v8', 'ARM 64', 'x86', 'i386', 's390x', '', ' arm64', 'arm64 '),
  fc.string({ maxLength: 20 }).filter((s) => !/^(x86_64|arm64)$/i.test(s)),
);
/** --traffic: requests per second, 0 to 100,000, up to three decimals; anything else is refused. */
const traffic = fc.oneof(
  spoiled('25', UNICODE),
  oneOf('-1', '1e3', '100001', '0x10', '1,000', '5 req/s', '', ' 5', '.5', '5.', '1.2345', 'Infinity', 'NaN', '99999999'),
  fc.string({ maxLength: 12 }).filter((s) => !/^\d{1,6}(\.\d{1,3})?$/.test(s) || Number(s) > 100_000),
);
/** rollback --to: a tag of the repository or a sha256: digest, nothing else. */
const rollbackTo = fc.oneof(
  spoiled('v1.2', [...UNICODE, '/', ':', '@']),
  oneOf('sha256:abc', `sha256:${HEX64.toUpperCase()}`, `sha512:${HEX64}`, `sha256:${HEX64}0`, `repo@sha256:${HEX64}`, '-v1', '.v1', 'a/b', 'a:b', '', ' ', 't'.repeat(129)),
);
const choice = (allowed: string[]) => fc.oneof(spoiled(allowed[0]!), fc.string({ maxLength: 20 }).filter((s) => !allowed.includes(s)));
/** Files a certificate or key flag may name that must be refused without being read whole (or at all). */
const badFile = (kind: 'cert' | 'key') => fc.constantFrom(
  ...['fifo', 'zeroLink', 'big', 'empty', 'garbage', 'folder'].map((k) => () => files[k]!),
  () => '/dev/zero', () => '/dev/urandom', () => '/dev/null',
  () => path.join(work, 'missing.pem'), () => path.join(work, 'x\x1b[2J.pem'),
  () => (kind === 'cert' ? files.key! : files.otherKey!), // a key given as the certificate; the key of another pair
).map((f) => f());

const timeout = fc.oneof(
  spoiled('10m', UNICODE),
  oneOf('0s', '25h', '10', 'm', '-5m', '1.5h', '10 m', '2d', '', ' ', 'soon', '1e3s', '0x10m', '99999999h'),
  fc.string({ maxLength: 12 }).filter((s) => !/^\s*(\d{1,7}[smhd])+\s*$/i.test(s)),
);
const days = fc.oneof(spoiled('365'), oneOf('0', '826', '-1', '1.5', '1e2', 'abc', '', ' ', '99999999', '3 65', '0x10'), fc.integer({ min: 826 }).map(String));
const keyType = fc.oneof(spoiled('rsa2048'), fc.string({ maxLength: 20 }).filter((s) => !/^\s*(rsa2048|ecdsa-p256)\s*$/i.test(s)));
const dnsName = fc.oneof(
  spoiled('app.example.com', ['_', '*', '..', ...UNICODE]),
  oneOf('-a.example.com', 'a-.example.com', 'a..b', 'a_b.example.com', '*.com', 'a.*.example.com', 'a.123', 'fe80::1%eth0', '', '.a.com', 'a.com.', `${'a'.repeat(64)}.com`),
  lower(254, 300).map((s) => `${s.match(/.{1,60}/g)!.join('.')}.com`),
);
const outDir = () => fc.oneof(
  oneOf('/', '/etc', '/usr/local/certs', '/bin', '/sbin', '/lib', '/lib64/x', '/boot/x', '/dev/shm/x', '/proc/x', '/sys/x', '/var', '/var/lib/certs', '', '   '),
  oneOf(files.file!, path.join(files.file!, 'below'), files.openToAll!, path.join(files.openToAll!, 'new'), path.join(work, 'x\x1b]0;pwned\x07')),
);

// ---------------------------------------------------------------- the flags, each with its command line

type Command = 'deploy' | 'deploy --local' | 'generate-certs' | 'doctor' | 'rollback' | 'alarm test' | 'ci init --aws';
interface FlagCase {
  command: Command;
  flag: string;
  values: () => fc.Arbitrary<string>;
  /** The whole command line with this bad value; every other flag valid. */
  argv: (value: string) => string[];
}

/** A deploy that would go straight to our moto (prebuilt image, direct method) if validation let anything through. */
const deployBase = (): Record<string, string | undefined> => ({
  '--ecosystem': 'rel-ok', '--email': 'ops@example.com', '--region': 'us-east-1', '--cert': files.cert, '--key': files.key,
  '--image': VALID_IMAGE, '--endpoint-url': moto.endpoint, '--deploy-method': 'direct',
});
/** A rehearsal against our moto (--emulator endpoint), so one that started would show in its request log. */
const localBase = (): Record<string, string | undefined> => ({ '--emulator': 'endpoint', '--endpoint-url': moto.endpoint });
/** A pair written to a scratch folder and imported into our moto, if validation let it. */
const certsBase = (): Record<string, string | undefined> => ({
  '--out': files.out, '--region': 'us-east-1', '--endpoint-url': moto.endpoint, '--ecosystem': 'rel-ok',
});
/** A doctor aimed at our moto, so one that got past validation would show in its request log. */
const doctorBase = (): Record<string, string | undefined> => ({
  '--ecosystem': 'rel-ok', '--region': 'us-east-1', '--cert': files.cert, '--key': files.key, '--endpoint-url': moto.endpoint,
});
/** A rollback or alarm test aimed at our moto: one that got past validation would show in its request log. */
const lifecycleBase = (): Record<string, string | undefined> => ({ '--ecosystem': 'rel-ok', '--region': 'us-east-1', '--endpoint-url': moto.endpoint });
const line = (head: string[], flags: Record<string, string | undefined>, tail: string[] = []) => [
  ...head, ...Object.entries(flags).flatMap(([k, v]) => (v === undefined ? [] : [k, v])), ...tail,
];

function deployFlag(flag: string, values: () => fc.Arbitrary<string>, also: Record<string, string | undefined> = {}): FlagCase {
  return { command: 'deploy', flag, values, argv: (v) => line(['deploy', '--yes'], { ...deployBase(), ...also, [flag]: v }) };
}
function localFlag(flag: string, values: () => fc.Arbitrary<string>, also: Record<string, string | undefined> = {}): FlagCase {
  return { command: 'deploy --local', flag, values, argv: (v) => line(['deploy', '--local', '--yes'], { ...localBase(), ...also, [flag]: v }) };
}
function certsFlag(flag: string, values: () => fc.Arbitrary<string>, also: Record<string, string | undefined> = {}, tail = ['--force', '--import-acm']): FlagCase {
  return { command: 'generate-certs', flag, values, argv: (v) => line(['generate-certs'], { ...certsBase(), ...also, [flag]: v }, tail) };
}
function doctorFlag(flag: string, values: () => fc.Arbitrary<string>, also: Record<string, string | undefined> = {}): FlagCase {
  return { command: 'doctor', flag, values, argv: (v) => line(['doctor'], { ...doctorBase(), ...also, [flag]: v }) };
}
function rollbackFlag(flag: string, values: () => fc.Arbitrary<string>): FlagCase {
  return { command: 'rollback', flag, values, argv: (v) => line(['rollback', '--yes'], { ...lifecycleBase(), [flag]: v }) };
}
function alarmFlag(flag: string, values: () => fc.Arbitrary<string>): FlagCase {
  return { command: 'alarm test', flag, values, argv: (v) => line(['alarm', 'test'], { ...lifecycleBase(), [flag]: v }) };
}
const noPair = { '--cert': undefined, '--key': undefined };
/** `ci init --aws` aimed at our moto: one that got past validation would deploy the role there (and show in its log). */
function ciFlag(flag: string, values: () => fc.Arbitrary<string>): FlagCase {
  return { command: 'ci init --aws', flag, values, argv: (v) => line(['ci', 'init', '--aws'], { '--region': 'us-east-1', '--endpoint-url': moto.endpoint, '--repository': 'acme/site', [flag]: v }) };
}
/** Not owner/name as GitHub allows them. */
const repository = fc.oneof(
  oneOf('acme', 'a/b/c', '/site', 'acme/', 'ac me/site', 'acme/si te', 'acme/site;rm -rf', 'acme\nx/site', '_acme/site'),
  lower(40, 45).map((o) => `${o}/site`),
);
/** A space, a shell character or a control character in a branch, or more than five branches. */
const branches = fc.oneof(
  oneOf('a b', 'main;x', 'ma\tin', 'main$', 'main,dev,a,b,c,d', '~main'),
  fc.integer({ min: 6, max: 12 }).map((n) => Array.from({ length: n }, (_, i) => `b${i}`).join(',')),
);
const cron = oneOf('@weekly', '* * * *', '0 24 * * *', '0 0 * * 7', 'x', '0 0 0 * *', '*/0 * * * *');

const CASES: FlagCase[] = [
  deployFlag('--ecosystem', () => ecosystem),
  deployFlag('--email', () => email),
  deployFlag('--region', () => region),
  deployFlag('--profile', () => profile),
  deployFlag('--cert-arn', () => arn, noPair),
  deployFlag('--cert', () => badFile('cert')),
  deployFlag('--key', () => badFile('key')),
  deployFlag('--image', () => image),
  deployFlag('--endpoint-url', endpoint),
  deployFlag('--registry', () => registry),
  deployFlag('--deploy-method', () => choice(['change-set', 'direct'])),
  deployFlag('--base-image', () => baseImage),
  deployFlag('--arch', () => arch),
  deployFlag('--timeout', () => timeout),
  deployFlag('--traffic', () => traffic),
  { command: 'deploy', flag: '--no-cancel', values: () => lower(1, 8), argv: (v) => line(['deploy', '--yes', `--no-cancel=${v}`], deployBase()) },
  { command: 'deploy', flag: '--yes', values: () => lower(1, 8), argv: (v) => line(['deploy', `--yes=${v}`], deployBase()) },
  { command: 'deploy', flag: '--json', values: () => lower(1, 8), argv: (v) => line(['deploy', '--yes', `--json=${v}`], deployBase()) },
  { command: 'deploy', flag: '--take-over', values: () => lower(1, 8), argv: (v) => line(['deploy', '--yes', `--take-over=${v}`], deployBase()) },

  localFlag('--ecosystem', () => ecosystem),
  localFlag('--email', () => email),
  localFlag('--region', () => fc.oneof(region, oneOf('eu-west-1', 'us-west-2'))), // the emulator runs in us-east-1 only
  localFlag('--profile', () => fc.oneof(profile, oneOf('dev', 'default'))), // a rehearsal never uses a real account
  localFlag('--cert-arn', () => fc.oneof(arn, oneOf(VALID_ARN))),
  localFlag('--cert', () => badFile('cert'), { '--key': files.key }),
  localFlag('--key', () => badFile('key'), { '--cert': files.cert }),
  localFlag('--image', () => fc.oneof(image, oneOf(VALID_IMAGE))),
  localFlag('--endpoint-url', endpoint),
  localFlag('--registry', () => fc.oneof(registry, oneOf('127.0.0.1:5000'))),
  localFlag('--emulator', () => choice(['moto', 'moto-plain', 'localstack', 'endpoint'])),
  localFlag('--base-image', () => baseImage),
  localFlag('--localstack-image', () => baseImage),
  localFlag('--arch', () => arch),
  { command: 'deploy --local', flag: '--keep', values: () => lower(1, 8), argv: (v) => line(['deploy', '--local', '--yes', `--keep=${v}`], localBase()) },
  { command: 'deploy --local', flag: '--take-over', values: () => lower(1, 8), argv: (v) => line(['deploy', '--local', '--yes', `--take-over=${v}`], localBase()) },

  certsFlag('--out', outDir),
  certsFlag('--common-name', () => dnsName),
  certsFlag('--san', () => fc.oneof(dnsName, fc.integer({ min: 101, max: 140 }).map((n) => Array.from({ length: n }, (_, i) => `h${i}.example.com`).join(',')))),
  certsFlag('--days', () => days),
  certsFlag('--key-type', () => keyType),
  certsFlag('--rotate', () => arn, {}, ['--force']),
  certsFlag('--region', () => region),
  certsFlag('--profile', () => profile),
  certsFlag('--endpoint-url', endpoint),
  certsFlag('--ecosystem', () => ecosystem),
  { command: 'generate-certs', flag: '--force', values: () => lower(1, 8), argv: (v) => line(['generate-certs', `--force=${v}`], certsBase()) },
  { command: 'generate-certs', flag: '--import-acm', values: () => lower(1, 8), argv: (v) => line(['generate-certs', `--import-acm=${v}`], certsBase()) },

  doctorFlag('--ecosystem', () => ecosystem),
  doctorFlag('--region', () => region),
  doctorFlag('--profile', () => profile),
  doctorFlag('--endpoint-url', endpoint),
  doctorFlag('--cert-arn', () => arn, noPair),
  doctorFlag('--cert', () => badFile('cert')),
  doctorFlag('--key', () => badFile('key')),
  doctorFlag('--image', () => image),
  doctorFlag('--registry', () => registry),
  doctorFlag('--arch', () => arch),
  { command: 'doctor', flag: '--json', values: () => lower(1, 8), argv: (v) => line(['doctor', `--json=${v}`], doctorBase()) },
  rollbackFlag('--to', () => rollbackTo),
  rollbackFlag('--ecosystem', () => ecosystem),
  rollbackFlag('--region', () => region),
  rollbackFlag('--profile', () => profile),
  rollbackFlag('--endpoint-url', endpoint),
  rollbackFlag('--registry', () => registry),
  { command: 'rollback', flag: '--yes', values: () => lower(1, 8), argv: (v) => line(['rollback', `--yes=${v}`], lifecycleBase()) },
  { command: 'rollback', flag: '--json', values: () => lower(1, 8), argv: (v) => line(['rollback', '--yes', `--json=${v}`], lifecycleBase()) },
  alarmFlag('--ecosystem', () => ecosystem),
  alarmFlag('--region', () => region),
  alarmFlag('--profile', () => profile),
  alarmFlag('--endpoint-url', endpoint),
  { command: 'alarm test', flag: '--json', values: () => lower(1, 8), argv: (v) => line(['alarm', 'test', `--json=${v}`], lifecycleBase()) },
  ciFlag('--repository', () => repository),
  ciFlag('--branches', () => branches),
  ciFlag('--region', () => region),
  ciFlag('--profile', () => profile),
  ciFlag('--endpoint-url', endpoint),
  ciFlag('--cron', () => cron),
  ciFlag('--role-arn', () => oneOf('arn:aws:iam::123456789012:role/ci')),
];

// ---------------------------------------------------------------- the checks

/** A raw control, invisible or bidi character on the terminal (a line break is fine). */
const RAW = /(?!\n)[\p{Cc}\p{Cf}\u2028\u2029]/u;
const STACK = /^\s+at .+(:\d+:\d+\)?|\(node:[^)]*\))$/m;

/** What is wrong with one run, or undefined. */
function judge(c: FlagCase, r: CliRun, ms: number): string | undefined {
  const out = `${r.stdout}\n${r.stderr}`;
  // The error line, always on stderr (diagnostics never go to stdout): `✘ …` from the commands, `error: …` from
  // commander's own refusals.
  const errors = r.stderr.split('\n').filter((l) => /^(✘ |error: )/.test(l));
  if (/^(✘ |error: )/m.test(r.stdout)) return 'an error line went to stdout';
  if (r.exitCode !== 2) return `exit ${r.exitCode}, not 2`;
  if (errors.length !== 1) return `${errors.length} error lines, not 1`;
  if (!errors[0]!.includes(c.flag)) return `the error line does not name ${c.flag}: ${errors[0]}`;
  if (STACK.test(out)) return 'a stack trace was printed';
  if (RAW.test(out)) return `a raw control or invisible character reached the terminal: ${JSON.stringify(RAW.exec(out)?.[0])}`;
  if (ms > HANG_FACTOR * budgetMs) return `took ${Math.round(ms)} ms (over ${HANG_FACTOR} × the ${budgetMs} ms budget: a hang)`;
  return undefined;
}

async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: n }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
  }));
}

for (const c of CASES) {
  test(`${c.command} ${c.flag}: bad values are refused with exit 2, one line naming the flag, nothing sent to AWS`, async (t) => {
    const values = [...new Set([...(c.flag === '--ecosystem' ? ECOSYSTEM_BOUNDARIES : []), ...fc.sample(c.values(), { numRuns: RUNS, seed: SEED })])];
    const requestsBefore = (await moto.settled()).length;
    const failures: string[] = [];
    await pool(values, CONCURRENCY, async (value) => {
      const started = performance.now();
      const r = await runCli(c.argv(value), { cwd: files.cwd, env: { ...FAKE_AWS_ENV, HOME: files.home!, NO_COLOR: '1' }, timeout: 10_000 });
      const ms = performance.now() - started;
      slowest.push({ ms, what: `${c.command} ${c.flag} ${JSON.stringify(value).slice(0, 60)}` });
      const problem = judge(c, r, ms);
      if (problem) failures.push(`${c.flag} ${JSON.stringify(value).slice(0, 200)}: ${problem}\n${(r.stdout + r.stderr).slice(0, 600)}`);
    });
    tried += values.length;
    const sent = (await moto.settled()).slice(requestsBefore);
    assert.deepEqual(sent, [], `requests reached moto while trying ${c.flag} (seed ${SEED}):\n${values.map((v) => JSON.stringify(v)).join('\n')}`);
    assert.deepEqual(failures, [], `seed ${SEED}`);
    // Nothing a refused run could leave behind: no pair written, no rehearsal folder.
    assert.deepEqual(readdirSync(files.cwd!), []);
    assert.equal(existsSync(files.out!), false, `a pair was written to ${files.out}`);
    t.diagnostic(`${values.length} values`);
  });
}

// A generated "bad" value that is in fact valid starts a real deploy, whose requests reach moto while later cases
// count them (CI, seed 806422228: 'python:3.12-sAlim'). The image generators are sampled widely, in-process, so a
// generator that can draw a valid reference fails here, by name, and not as a flake in another flag's case.
test('the image generators draw only references the parsers refuse', () => {
  const accepted = (parse: (v: string) => unknown) => (v: string) => { try { parse(v); return true; } catch { return false; } };
  assert.deepEqual(fc.sample(image, { numRuns: 3000, seed: 1 }).filter(accepted((v) => parseDeployImage(v))), []);
  assert.deepEqual(fc.sample(baseImage, { numRuns: 3000, seed: 1 }).filter(accepted((v) => parseImageName(v, '--base-image'))), []);
});

test('the --ecosystem generator reaches its boundaries: exactly cap+1, far over it, internal- up to the cap, astral, combining', () => {
  reaches(ecosystem, {
    'exactly cap+1 characters': (v) => /^[a-z0-9]+$/.test(v) && v.length === CAP + 1,
    'far over the cap': (v) => v.length > CAP + 10,
    'internal- exactly at the cap': (v) => v.startsWith('internal-') && v.length === CAP,
    'an astral character': hasAstral,
    'a combining mark': hasCombining,
  }, 500);
});

test('the count of bad inputs tried (for the README\'s Reliability section)', (t) => {
  slowest.sort((a, b) => b.ms - a.ms);
  const median = slowest[Math.floor(slowest.length / 2)]?.ms ?? 0;
  t.diagnostic(`${tried} bad inputs over ${CASES.length} flags (seed ${SEED}); median ${Math.round(median)} ms, slowest ${Math.round(slowest[0]?.ms ?? 0)} ms (${slowest[0]?.what}); budget per case ${budgetMs} ms, ${slowest.filter((x) => x.ms > budgetMs).length} over it`);
  assert.ok(tried >= CASES.length * 2, `only ${tried} cases ran`);
});
