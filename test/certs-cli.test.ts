// The real CLI (dist/, built by `npm run build`) run as a user would: exit codes, the one-object --json contract,
// file modes, refusing to overwrite, and the private key never appearing in anything printed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, chmodSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { BIN, runCli, type CliRun } from './support/cli.ts';
import { ROOT } from './support/paths.ts';

let cwd: string;
const gen = (args: string[], dir = cwd) => runCli(['generate-certs', ...args], { cwd: dir, timeout: 60_000 });

/** The base64 lines of a PEM private key: none of them may show up in output. */
function keyBody(keyPath: string): string[] {
  return readFileSync(keyPath, 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('-----'));
}

function assertNoKey(run: CliRun, keyPath: string): void {
  const printed = run.stdout + run.stderr;
  const lines = keyBody(keyPath);
  assert.ok(lines.length >= 3, 'the key has a body to look for');
  for (const line of lines) assert.ok(!printed.includes(line), 'a line of the private key was printed');
  for (const chunk of lines.join('').match(/.{24}/g) ?? []) assert.ok(!printed.includes(chunk), 'a fragment of the private key was printed');
  assert.doesNotMatch(printed, /PRIVATE KEY-----/);
}

function onlyJson(run: CliRun): Record<string, unknown> {
  const lines = run.stdout.split('\n').filter((l) => l.trim() !== '');
  assert.equal(lines.length, 1, `exactly one line on stdout, got:\n${run.stdout}`);
  return JSON.parse(lines[0] ?? '') as Record<string, unknown>;
}

before(() => {
  assert.ok(existsSync(path.join(ROOT, 'dist', 'main.js')), 'dist/ is missing: run `npm run build` first');
  cwd = mkdtempSync(path.join(tmpdir(), 'certs-cli-'));
});
after(() => rmSync(cwd, { recursive: true, force: true }));

describe('hello-deploy generate-certs (real CLI)', () => {
  test('plain mode: writes app/certs by default, says where, the fingerprint and the key mode; never the key', async () => {
    const run = await gen([]);
    assert.equal(run.exitCode, 0, run.stderr);
    const keyPath = path.join(cwd, 'app', 'certs', 'key.pem');
    const certPath = path.join(cwd, 'app', 'certs', 'cert.pem');
    assert.equal(statSync(keyPath).mode & 0o777, 0o600);
    assert.equal(statSync(certPath).mode & 0o777, 0o644);
    assert.match(run.stdout, /certificate\s+app\/certs\/cert\.pem/);
    assert.match(run.stdout, /private key\s+app\/certs\/key\.pem\s+\(mode 0600/);
    assert.match(run.stdout, /sha-256\s+([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    assert.match(run.stdout, /names\s+hello-deploy\.local, localhost, 127\.0\.0\.1/);
    // The next step: a deploy picks app/certs up by itself.
    assert.match(run.stdout, /\nNext: npx hello-deploy \(the wizard, which uses app\/certs\)/);
    assertNoKey(run, keyPath);
  });

  test('refuses to overwrite without --force (exit 2, hint), leaving the pair untouched', async () => {
    const keyPath = path.join(cwd, 'app', 'certs', 'key.pem');
    const before = readFileSync(keyPath, 'utf8');
    const run = await gen([]);
    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /already exist/);
    assert.match(run.stderr, /--force/);
    assert.equal(run.stdout, '');
    assert.equal(readFileSync(keyPath, 'utf8'), before);
    assertNoKey(run, keyPath);
  });

  test('--json refusal: one error object on stdout, nothing on stderr (main.ts honours `reported`)', async () => {
    const run = await gen(['--json']);
    assert.equal(run.exitCode, 2);
    const obj = onlyJson(run);
    assert.equal(obj.ok, false);
    const error = obj.error as { code: string; message: string; hint: string };
    assert.equal(error.code, 'CERTS_EXIST');
    assert.match(error.hint, /--force/);
    assert.equal(run.stderr, '');
  });

  test('--force --json replaces the pair; one result object with the contract fields and no key', async () => {
    const keyPath = path.join(cwd, 'app', 'certs', 'key.pem');
    const old = readFileSync(keyPath, 'utf8');
    chmodSync(keyPath, 0o644); // even a loosened old key ends up 0600 again
    const run = await gen(['--force', '--json', '--key-type', 'ecdsa-p256', '--days', '30', '--common-name', 'cli.example.test', '--san', '127.0.0.1']);
    assert.equal(run.exitCode, 0, run.stderr);
    const obj = onlyJson(run);
    assert.equal(obj.ok, true);
    assert.equal(obj.certPath, path.join(cwd, 'app', 'certs', 'cert.pem'));
    assert.equal(obj.keyPath, keyPath);
    assert.equal(obj.keyFileMode, '0600');
    assert.equal(obj.keyType, 'ecdsa-p256');
    assert.equal(obj.commonName, 'cli.example.test');
    assert.equal(obj.subject, 'CN=cli.example.test');
    assert.deepEqual(obj.sans, ['cli.example.test', '127.0.0.1']);
    assert.match(String(obj.fingerprintSha256), /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    assert.equal(new Date(String(obj.notAfter)).getTime() - new Date(String(obj.notBefore)).getTime(), 30 * 86_400_000);
    assert.equal(obj.certificateArn, undefined);
    assert.ok(!Object.keys(obj).some((k) => /key(Pem)?$/i.test(k) && k !== 'keyPath' && k !== 'keyType'), 'no key field');
    assert.notEqual(readFileSync(keyPath, 'utf8'), old);
    assert.equal(statSync(keyPath).mode & 0o777, 0o600);
    assert.equal(run.stderr, '');
    assertNoKey(run, keyPath);
  });

  test('the key is 0600 whatever the umask (umask 000 here)', async () => {
    const dir = path.join(cwd, 'umask');
    const r = await execa('sh', ['-c', `umask 000 && exec "${process.execPath}" "${BIN}" generate-certs --out "${dir}" --key-type ecdsa-p256`], { reject: false });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(statSync(path.join(dir, 'key.pem')).mode & 0o777, 0o600);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(path.join(dir, 'cert.pem')).mode & 0o777, 0o644);
  });

  const badInputs: Array<[string[], string, RegExp]> = [
    [['--days', '0'], 'DAYS_INVALID', /at least 1/],
    [['--days', '826'], 'DAYS_INVALID', /825/],
    [['--days', 'ten'], 'DAYS_INVALID', /whole number/],
    [['--key-type', 'rsa1024'], 'KEY_TYPE_INVALID', /rsa1024/],
    [['--san', 'bad_name.example'], 'NAME_INVALID', /not a valid DNS name/],
    [['--common-name', 'a..b'], 'NAME_INVALID', /empty label/],
    [['--rotate', 'arn:aws:acm:us-east-1:123:certificate/x'], 'ARN_INVALID', /not an ACM certificate ARN/],
    [['--import-acm', '--endpoint-url', 'ftp://127.0.0.1:1'], 'ENDPOINT_INVALID', /http or https/],
    [['--import-acm', '--ecosystem', 'Not_Valid'], 'ECOSYSTEM_INVALID', /start with a lowercase letter/],
    [['--import-acm', '--region', 'mars'], 'REGION_INVALID', /not an AWS region/],
  ];
  for (const [args, code, message] of badInputs) {
    test(`bad input ${args.join(' ')} → exit 2 ${code}, nothing written, no AWS call`, async () => {
      const dir = mkdtempSync(path.join(cwd, 'bad-'));
      const plain = await gen(args, dir);
      assert.equal(plain.exitCode, 2);
      assert.match(plain.stderr, message);
      assert.match(plain.stderr, /hint:/);
      const json = await gen([...args, '--json'], dir);
      assert.equal(json.exitCode, 2);
      const obj = onlyJson(json);
      assert.deepEqual([obj.ok, (obj.error as { code: string }).code], [false, code]);
      assert.equal(existsSync(path.join(dir, 'app')), false, 'nothing was written');
    });
  }

  test('--out pointing at a file → exit 2 OUT_DIR_INVALID', async () => {
    const file = path.join(cwd, 'a-file');
    writeFileSync(file, 'x');
    const run = await gen(['--out', file, '--json']);
    assert.equal(run.exitCode, 2);
    assert.equal((onlyJson(run).error as { code: string }).code, 'OUT_DIR_INVALID');
  });

  test('--import-acm outside a git repository without --ecosystem → exit 2 before any file or AWS call', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'certs-nogit-'));
    try {
      const run = await runCli(['generate-certs', '--import-acm', '--endpoint-url', 'http://127.0.0.1:9', '--json'], { cwd: dir, timeout: 60_000, env: { GIT_CEILING_DIRECTORIES: path.dirname(dir) } });
      assert.equal(run.exitCode, 2);
      assert.equal((onlyJson(run).error as { code: string }).code, 'ECOSYSTEM_UNKNOWN');
      assert.equal(existsSync(path.join(dir, 'app')), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('no region anywhere → exit 2 AWS_REGION, before anything is written', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'certs-noregion-'));
    try {
      const env = { AWS_REGION: '', AWS_DEFAULT_REGION: '', AWS_CONFIG_FILE: path.join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none'), HOME: dir };
      const run = await runCli(['generate-certs', '--import-acm', '--ecosystem', 'main', '--json'], { cwd: dir, timeout: 60_000, env });
      assert.equal(run.exitCode, 2);
      assert.equal((onlyJson(run).error as { code: string }).code, 'AWS_REGION');
      assert.equal(existsSync(path.join(dir, 'app')), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an unknown flag is a usage error (exit 2)', async () => {
    const run = await gen(['--no-such-flag']);
    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /unknown option/);
  });

  test('--help loads neither the x509 library nor the AWS SDK (they are imported lazily)', () => {
    // Walk the static import graph of the bundle from dist/main.js: dynamic import() chunks are not followed.
    const seen = new Set<string>();
    const external = new Set<string>();
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(path.join(ROOT, 'dist', file), 'utf8');
      for (const m of text.matchAll(/^import\s+(?:[^'"]*?from\s+)?["']([^"']+)["']/gm)) {
        const target = m[1] ?? '';
        if (target.startsWith('./')) walk(target.slice(2));
        else external.add(target);
      }
    };
    walk('main.js');
    assert.ok([...external].some((e) => e.startsWith('node:')), 'the walk sees static imports');
    for (const heavy of external) assert.doesNotMatch(heavy, /^@peculiar\/|^@aws-sdk\/|^tsyringe/);
  });

  test('`hello-deploy generate-certs --help` documents the flags and exits 0', async () => {
    mkdirSync(path.join(cwd, 'help'), { recursive: true });
    const run = await gen(['--help'], path.join(cwd, 'help'));
    assert.equal(run.exitCode, 0);
    for (const flag of ['--out', '--common-name', '--san', '--days', '--key-type', '--force', '--import-acm', '--rotate', '--region', '--profile', '--endpoint-url', '--ecosystem', '--json']) {
      assert.ok(run.stdout.includes(flag), flag);
    }
  });
});
