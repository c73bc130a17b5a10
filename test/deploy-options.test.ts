// resolveDeployOptions on its own: every missing answer is listed at once, whatever the branch is called.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveDeployOptions } from '../cli/deploy/options.ts';
import { UsageError } from '../cli/core/errors.ts';
import { owningBranch } from '../cli/domain/ecosystem.ts';
import { ROOT } from './support/paths.ts';

test('a branch that leaves nothing to name an ecosystem is one missing answer among the others, not an error on its own', async () => {
  const cwd = mkdtempSync(path.join(tmpdir(), 'hd-options-'));
  try {
    await assert.rejects(resolveDeployOptions({}, { cwd, projectDir: ROOT, branch: '_', imageTag: 't', resolveRegion: async () => 'us-east-1' }), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.equal(e.code, 'MISSING_ANSWERS');
      assert.match(e.message, /--ecosystem <name> \(the git branch "_" leaves nothing to name one\)/);
      assert.match(e.message, /--email/);
      assert.match(e.message, /--cert-arn/);
      return true;
    });
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

test('the branch that named the ecosystem is kept (it owns the stacks); an explicit --ecosystem keeps none; --take-over is passed on', async () => {
  const cwd = mkdtempSync(path.join(tmpdir(), 'hd-options-'));
  const env = { cwd, projectDir: ROOT, branch: 'Feature/X', imageTag: 't', resolveRegion: async () => 'us-east-1' };
  const flags = { email: 'ops@example.com', certArn: 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012' };
  try {
    const derived = await resolveDeployOptions({ ...flags, takeOver: true }, env);
    assert.deepEqual([derived.ecosystem, derived.branch, derived.takeOver], ['feature-x-02cc19', 'Feature/X', true]);
    const explicit = await resolveDeployOptions({ ...flags, ecosystem: 'shared' }, env);
    assert.deepEqual([explicit.ecosystem, explicit.branch, explicit.takeOver], ['shared', undefined, undefined]);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

test('owningBranch: the name derived from the branch belongs to it; any other name, or no usable branch, to none', () => {
  assert.equal(owningBranch('feature-x-02cc19', 'Feature/X'), 'Feature/X');
  assert.equal(owningBranch('main', 'main'), 'main');
  // Typed, or given with --ecosystem: the person's own choice, even when it looks like the branch.
  assert.equal(owningBranch('feature-x', 'Feature/X'), undefined);
  assert.equal(owningBranch('main', undefined), undefined);
  assert.equal(owningBranch('b', '_'), undefined); // `_` names nothing (sanitizeEcosystem refuses it)
});

test('--arch: any case of x86_64 or arm64; default this machine\'s (x64 → X86_64, arm64 → ARM64); another machine must say; a bad value names the flag', async () => {
  const cwd = mkdtempSync(path.join(tmpdir(), 'hd-options-'));
  const env = { cwd, projectDir: ROOT, imageTag: 't', resolveRegion: async () => 'us-east-1' };
  const flags = { ecosystem: 'dev', email: 'ops@example.com', certArn: 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012' };
  try {
    assert.equal((await resolveDeployOptions(flags, { ...env, hostArch: 'x64' })).architecture, 'X86_64');
    assert.equal((await resolveDeployOptions(flags, { ...env, hostArch: 'arm64' })).architecture, 'ARM64');
    for (const [arch, want] of [['arm64', 'ARM64'], ['ARM64', 'ARM64'], ['Arm64', 'ARM64'], ['x86_64', 'X86_64'], ['X86_64', 'X86_64']]) {
      assert.equal((await resolveDeployOptions({ ...flags, arch }, { ...env, hostArch: 'x64' })).architecture, want, arch);
    }
    // A machine Fargate has no architecture for: a missing answer (exit 2), unless --arch says which.
    await assert.rejects(resolveDeployOptions(flags, { ...env, hostArch: 's390x' }), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.equal(e.code, 'MISSING_ANSWERS');
      assert.match(e.message, /missing --arch x86_64\|arm64 \(this machine is "s390x", which Fargate does not run\)/);
      return true;
    });
    assert.equal((await resolveDeployOptions({ ...flags, arch: 'arm64' }, { ...env, hostArch: 's390x' })).architecture, 'ARM64');
    for (const arch of ['amd64', 'aarch64', 'arm', ' arm64', 'x86-64', '\u001b[2Jarm64', '']) {
      await assert.rejects(resolveDeployOptions({ ...flags, arch }, env), (e: unknown) => {
        assert.ok(e instanceof UsageError);
        assert.equal(e.code, 'BAD_INPUT');
        assert.match(e.message, /^--arch ".*" is not a CPU architecture Fargate runs: give x86_64 or arm64/);
        assert.ok(!e.message.includes('\u001b'), 'no raw escape in the message');
        return true;
      }, arch);
    }
    await assert.rejects(resolveDeployOptions({ ...flags, arch: 'amd64' }, env), /for "amd64", --arch x86_64/);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

test('--timeout is parsed into milliseconds and --no-cancel (cancel: false) is passed on; a bad --timeout is a usage error before any AWS call', async () => {
  const cwd = mkdtempSync(path.join(tmpdir(), 'hd-options-'));
  const env = { cwd, projectDir: ROOT, imageTag: 't', resolveRegion: async () => 'us-east-1' };
  const flags = { ecosystem: 'shared', email: 'ops@example.com', certArn: 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012' };
  try {
    const given = await resolveDeployOptions({ ...flags, timeout: '45m', cancel: false }, env);
    assert.deepEqual([given.timeoutMs, given.noCancel], [45 * 60_000, true]);
    const defaults = await resolveDeployOptions({ ...flags, cancel: true }, env);
    assert.deepEqual([defaults.timeoutMs, defaults.noCancel], [undefined, undefined]);
    await assert.rejects(resolveDeployOptions({ ...flags, timeout: 'soon' }, env), (e: unknown) => e instanceof UsageError && e.exitCode === 2 && /--timeout "soon" is not a duration/.test(e.message));
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});
