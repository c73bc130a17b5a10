// The CLI surface without AWS: help, version, and input errors that must stop before any AWS call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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

test('deploy --help shows every flag, what is needed without a TTY, and the exit codes', async () => {
  const r = await runCli(['deploy', '--help']);
  assert.equal(r.exitCode, 0);
  for (const flag of ['--yes', '--json', '--ecosystem', '--email', '--region', '--profile', '--cert-arn', '--cert', '--key', '--image', '--endpoint-url', '--registry', '--deploy-method']) {
    assert.ok(r.stdout.includes(flag), `help mentions ${flag}`);
  }
  assert.match(r.stdout, /Without a TTY/);
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
