// The CLI surface without AWS: help, version, and input errors that must stop before any AWS call.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './support/cli.ts';
import { ROOT } from './support/paths.ts';

test('--help lists the commands and exits 0', async () => {
  const r = await runCli(['--help']);
  assert.equal(r.exitCode, 0);
  assert.match(r.stdout, /deploy \[options\]/);
  assert.match(r.stdout, /generate-certs/);
});

test('--version prints the package version', async () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const r = await runCli(['--version']);
  assert.equal(r.exitCode, 0);
  assert.equal(r.stdout.trim(), pkg.version);
});

test('a flag value that looks like the program\'s own -v is the command\'s value, refused as such (exit 2), never the version', async () => {
  for (const args of [['rollback', '--yes', '--to', '-v1', '--ecosystem', 'x', '--region', 'us-east-1'], ['deploy', '--yes', '--ecosystem', '-v1', '--email', 'a@b.com', '--region', 'us-east-1']]) {
    const r = await runCli(args);
    assert.equal(r.exitCode, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /"-v1"/);
    assert.doesNotMatch(r.stdout, /^\d+\.\d+\.\d+$/m);
  }
});

test('deploy --help shows every flag, what is needed without a TTY, and the exit codes', async () => {
  const r = await runCli(['deploy', '--help']);
  assert.equal(r.exitCode, 0);
  for (const flag of ['--yes', '--json', '--ecosystem', '--email', '--region', '--profile', '--cert-arn', '--cert', '--key', '--image', '--endpoint-url', '--registry', '--deploy-method']) {
    assert.ok(r.stdout.includes(flag), `help mentions ${flag}`);
  }
  assert.match(r.stdout, /Without a TTY/);
  assert.match(r.stdout, /--region <region> +\(unless AWS_REGION/, 'the region is listed among what must be known');
  assert.match(r.stdout, /130 interrupted/);
});

test('an unknown flag is a usage error (exit 2)', async () => {
  const r = await runCli(['deploy', '--no-such-flag']);
  assert.equal(r.exitCode, 2);
  assert.match(r.stderr, /unknown option/);
});

test('an unknown --deploy-method is a usage error (exit 2)', async () => {
  const r = await runCli(['deploy', '--deploy-method', 'teleport']);
  assert.equal(r.exitCode, 2);
  assert.match(r.stderr, /teleport/);
});

test('with --json, a flag commander rejects still ends stdout with one JSON object in the command\'s shape', async () => {
  const deploy = await runCli(['deploy', '--json', '--deploy-method', 'sideways']);
  assert.equal(deploy.exitCode, 2);
  const lines = deploy.stdout.trim().split('\n');
  assert.equal(lines.length, 1, deploy.stdout);
  const result = JSON.parse(lines[0]!) as { type: string; ok: boolean; error: { code: string; message: string; hint: string } };
  assert.equal(result.type, 'result');
  assert.equal(result.ok, false);
  assert.equal(result.error.code, 'BAD_FLAGS');
  assert.match(result.error.message, /sideways/);
  assert.match(result.error.hint, /hello-deploy deploy --help/);
  assert.match(deploy.stderr, /sideways/, 'the human message still goes to stderr');

  // The default command too, and generate-certs' single-object shape.
  const bare = await runCli(['--json', '--no-such-flag']);
  assert.equal(bare.exitCode, 2);
  assert.equal((JSON.parse(bare.stdout) as { type: string }).type, 'result');
  const certs = await runCli(['generate-certs', '--json', '--no-such-flag']);
  assert.equal(certs.exitCode, 2);
  const obj = JSON.parse(certs.stdout) as { ok: boolean; type?: string; error: { code: string; hint: string } };
  assert.deepEqual([obj.ok, obj.type, obj.error.code], [false, undefined, 'BAD_FLAGS']);
  assert.match(obj.error.hint, /generate-certs --help/);

  // Without --json nothing is printed on stdout.
  const plain = await runCli(['deploy', '--no-such-flag']);
  assert.equal(plain.exitCode, 2);
  assert.equal(plain.stdout, '');
});

test('an unknown command says so and lists the commands (exit 2), before anything runs', async () => {
  // A word no command will ever be (`destroy` was one, until it became a command).
  for (const args of [['teleport'], ['teleport', '--yes'], ['--yes', 'teleport']]) {
    const r = await runCli(args);
    assert.equal(r.exitCode, 2, args.join(' '));
    assert.match(r.stderr, /^error: unknown command 'teleport' \(the commands are: deploy, generate-certs, doctor, logs, status, rollback, alarm, destroy, ci\)$/m, args.join(' '));
    assert.match(r.stderr, /run with --help for usage/);
    assert.doesNotMatch(r.stderr, /too many arguments/);
    assert.equal(r.stdout, '', 'nothing on stdout without --json');
  }
  // A word after the command itself is still that command's excess argument, as commander says.
  const extra = await runCli(['deploy', 'teleport']);
  assert.equal(extra.exitCode, 2);
  assert.match(extra.stderr, /too many arguments for 'deploy'/);
});

test('with --json, an unknown command ends stdout with the BAD_FLAGS result line', async () => {
  for (const args of [['teleport', '--json'], ['--json', '--yes', 'teleport']]) {
    const r = await runCli(args);
    assert.equal(r.exitCode, 2);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1, r.stdout);
    const result = JSON.parse(lines[0]!) as { type: string; ok: boolean; error: { code: string; message: string; hint: string } };
    assert.deepEqual([result.type, result.ok, result.error.code], ['result', false, 'BAD_FLAGS']);
    assert.match(result.error.message, /^unknown command 'teleport'/);
    assert.match(result.error.hint, /`hello-deploy --help` lists the commands/);
  }
});

test('no command is still deploy: `--yes` without answers is refused by deploy itself (exit 2, its result line)', async () => {
  const r = await runCli(['--yes', '--json', '--ecosystem', 'cli-default', '--endpoint-url', 'http://127.0.0.1:9'], { env: { AWS_REGION: 'us-east-1' } });
  assert.equal(r.exitCode, 2, r.stderr);
  const last = r.events[r.events.length - 1] as { type: string; ok: boolean; error: { code: string; message: string } };
  assert.deepEqual([last.type, last.ok], ['result', false]);
  assert.notEqual(last.error.code, 'BAD_FLAGS');
  assert.match(last.error.message, /--email/);
});

describe('a template that cannot be read (issue: --json broke on template errors)', () => {
  // A project folder of its own: a Dockerfile and the ECR template as shipped, and the infra template broken.
  const project = (breakInfra: (file: string) => void) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hd-badtpl-'));
    mkdirSync(path.join(dir, 'infra'));
    copyFileSync(path.join(ROOT, 'Dockerfile'), path.join(dir, 'Dockerfile'));
    copyFileSync(path.join(ROOT, 'infra/hello-world-ecr-infra.yaml'), path.join(dir, 'infra/hello-world-ecr-infra.yaml'));
    breakInfra(path.join(dir, 'infra/hello-world-infra.yaml'));
    return dir;
  };
  const args = ['deploy', '--yes', '--json', '--ecosystem', 'badtpl', '--email', 'ops@example.com', '--region', 'us-east-1',
    '--cert-arn', 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555',
    // Nothing listens on port 9: had any AWS call been made, the run would fail on it instead.
    '--endpoint-url', 'http://127.0.0.1:9'];
  for (const [what, breakIt] of [
    ['YAML that does not parse', (f: string) => writeFileSync(f, 'Resources: [\n  unclosed: {\n')],
    ['a folder in the template\'s place', (f: string) => mkdirSync(f)],
  ] as const) {
    test(`${what}: exit 1, the last stdout line is a result naming the file, nothing on stdout besides`, async () => {
      const dir = project(breakIt);
      try {
        const r = await runCli(args, { cwd: dir, env: { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' } });
        assert.equal(r.exitCode, 1, `${r.stdout}\n${r.stderr}`);
        const lines = r.stdout.trim().split('\n');
        assert.equal(lines.length, 1, r.stdout);
        const result = JSON.parse(lines[0]!) as { type: string; ok: boolean; error: { code: string; message: string } };
        assert.equal(result.type, 'result');
        assert.equal(result.ok, false);
        assert.equal(result.error.code, 'TEMPLATE_INVALID');
        assert.ok(result.error.message.includes(path.join(dir, 'infra/hello-world-infra.yaml')), result.error.message);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
