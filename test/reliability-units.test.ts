// The rules behind "nothing is accepted that AWS would refuse", in-process and fast: shown() never lets a control
// or invisible character through, the e-mail, image, registry and region parsers refuse what SNS, ECS, the
// templates or the SDK would, a special file is never read, --out refuses system and world-writable folders, the
// cache folder is never made under a HOME that does not exist, and the region list matches the installed SDK.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { shown, escapeInvisible, SHOWN_MAX } from '../cli/domain/shown.ts';
import { hasAstral, hasLoneSurrogate, reaches } from './support/boundaries.ts';
import { EMAIL, parseEmail, parseRegion, parseCertificateArn, closestRegions } from '../cli/domain/parsers.ts';
import { ecrRegistryOf, parseDeployImage, parseImageName, parseRegistry, unpinnedImageWarning } from '../cli/domain/image-ref.ts';
import { checkParameterValues } from '../cli/domain/template-params.ts';
import { readRegularFile, PemFileError, MAX_CERT_FILE_BYTES } from '../cli/domain/certificates/pem-file.ts';
import { checkOutDir, isSystemFolder, pairPaths } from '../cli/domain/certificates/files.ts';
import { cacheRoot } from '../cli/core/paths.ts';
import { AWS_REGIONS } from '../cli/domain/aws-regions.ts';
import { UsageError } from '../cli/core/errors.ts';
import { ROOT } from './support/paths.ts';

const RUNS = { numRuns: 1000 };
const RAW = /(?!\n)[\p{Cc}\p{Cf}\u2028\u2029]/u;
const refuses = (fn: () => unknown, what?: RegExp) => assert.throws(fn, (e: unknown) => {
  assert.ok(e instanceof UsageError, String(e));
  assert.equal(e.exitCode, 2);
  assert.doesNotMatch(e.message, RAW);
  if (what) assert.match(e.message, what);
  return true;
});
const HEX = 'a'.repeat(64);

describe('shown(): a value as text that cannot drive the terminal', () => {
  it('escapes ESC/OSC sequences, C1 controls, bidi and zero-width characters, and cuts long values', () => {
    assert.equal(shown('\x1b]0;pwned\x07\x1b[2Ja@b.com'), '"\\u001b]0;pwned\\u0007\\u001b[2Ja@b.com"');
    assert.equal(shown('a\u200bb\u202ec\u0085d\u00a0e'), '"a\\u200bb\\u202ec\\u0085d\\u00a0e"');
    assert.equal(shown('x'.repeat(100)), `"${'x'.repeat(80)}…"`);
    assert.equal(shown('😀'.repeat(90)).length, 80 * 2 + 3, 'cut by code point, never inside a pair');
    assert.equal(escapeInvisible('line one\x1b[2J\nline two'), 'line one\\u001b[2J\nline two');
  });
  it('never lets a raw control, format or separator character through, whatever the input', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
      const out = shown(s);
      assert.doesNotMatch(out, RAW);
      assert.ok(out.startsWith('"') && (out.endsWith('"')));
    }), RUNS);
  });
  // Issue 18: the cut's boundary, SHOWN_MAX code points: values of exactly max−1, max and max+1 code points (and
  // longer), made of astral characters, combining marks, lone surrogates and ASCII, so a cut by UTF-16 unit or one
  // off by one shows. Checked by planting the break once in cli/domain/shown.ts (cutting at `chars.length > max + 1`):
  // this property failed on its own.
  it('cuts at exactly SHOWN_MAX code points, never inside a surrogate pair, and shows the rest exactly', () => {
    const unit = fc.constantFrom('a', '"', '😀', '\u0301', '\ud83d', '\u200b', '\x1b');
    const value = fc.oneof(fc.constantFrom(SHOWN_MAX - 1, SHOWN_MAX, SHOWN_MAX + 1), fc.integer({ min: 0, max: SHOWN_MAX * 2 }))
      .chain((n) => fc.array(unit, { minLength: n, maxLength: n }).map((units) => units.join('')));
    const points = (v: string) => Array.from(v).length;
    reaches(value, { 'max−1 code points': (v) => points(v) === SHOWN_MAX - 1, 'max code points': (v) => points(v) === SHOWN_MAX, 'max+1 code points': (v) => points(v) === SHOWN_MAX + 1, 'an astral character': hasAstral, 'a lone surrogate': hasLoneSurrogate }, RUNS.numRuns);
    fc.assert(fc.property(value, (v) => {
      const chars = Array.from(v);
      const back = JSON.parse(shown(v)) as string;
      assert.equal(back, chars.length > SHOWN_MAX ? `${chars.slice(0, SHOWN_MAX).join('')}…` : v);
    }), RUNS);
  });
});

describe('--email: a pragmatic RFC 5321 address', () => {
  it('refuses what the red team got through, naming why', () => {
    for (const bad of ['\x1b]0;pwned\x07\x1b[2Ja@b.com', 'a\u200b@b.com', '<a@b.com>', 'a@b..com', 'a@-b.com', 'a@b-.com', '.a@b.com', 'a.@b.com', 'a..b@c.com', 'a@b', 'a@b.c', 'a@b.c0m', 'a b@c.com', `${'a'.repeat(65)}@b.com`, `a@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(63)}.com`]) {
      refuses(() => parseEmail(bad), /^--email ".*" is not an e-mail address: /);
      assert.equal(EMAIL.test(bad), false, bad);
    }
  });
  it('accepts ordinary addresses, plus-tags and subdomains', () => {
    for (const good of ['ops@example.com', 'first.last+alarms@sub.example.co.uk', "o'brien@example.ie", 'x@a-b.io']) assert.equal(parseEmail(good), good);
  });
  it('anything with a character outside printable ASCII is refused', () => {
    fc.assert(fc.property(fc.string({ maxLength: 20 }), fc.constantFrom('\x1b', '\n', ' ', '\u200b', 'é', '\u0085', '\x7f'), fc.string({ maxLength: 20 }), (a, c, b) => {
      refuses(() => parseEmail(`${a}${c}${b}@example.com`));
    }), RUNS);
  });
});

describe('--image: the template\'s ImageId pattern and the distribution/reference grammar', () => {
  const infra = readFileSync(path.join(ROOT, 'infra/hello-world-infra.yaml'), 'utf8');
  const template = (v: string) => checkParameterValues(infra, { ImageId: v }).length === 0;
  it('refuses each value the red team saw pass both checks and exit 0 on moto', () => {
    for (const bad of [`r.io/fz-@sha256:${HEX}`, `r.io/a//b@sha256:${HEX}`, `r.io/a/../b@sha256:${HEX}`, `r.io/a.-b@sha256:${HEX}`, 'r.io/a__b:x', `r.io/x/@sha256:${HEX}`, `r.io:99999/a@sha256:${HEX}`]) {
      assert.ok(!template(bad) || throwsUsage(() => parseDeployImage(bad)), bad);
    }
    refuses(() => parseDeployImage(`r.io:99999/a@sha256:${HEX}`), /port 99999; a port is 1-65535/);
    refuses(() => parseDeployImage(`r.io/a:x@sha256:${HEX}`), /both a tag and a digest/);
    refuses(() => parseDeployImage('app:latest'), /names no registry/);
    refuses(() => parseDeployImage('r.io/app'), /neither a :tag nor/);
  });
  it('accepts ECR references by digest and by tag; a tag is flagged as one that will be resolved to its digest', () => {
    const byDigest = `123456789012.dkr.ecr.us-east-1.amazonaws.com/main-hello-world-ecr@sha256:${HEX}`;
    const byTag = '123456789012.dkr.ecr.us-east-1.amazonaws.com/main-hello-world-ecr:abc1234-20260101';
    for (const good of [byDigest, byTag, '127.0.0.1:5000/a/b_c.d-e:v1.2']) {
      assert.ok(template(good), good);
      parseDeployImage(good);
    }
    assert.equal(unpinnedImageWarning(byDigest), undefined);
    assert.match(unpinnedImageWarning(byTag) ?? '', /is a tag, not a digest: a tag can be moved.*resolves it to its digest before deploying, and the digest is what gets deployed/);
  });
  it('ECR private registry hosts (which DescribeImages resolves) are told apart from every other registry by name', () => {
    assert.deepEqual(ecrRegistryOf('123456789012.dkr.ecr.us-east-1.amazonaws.com'), { account: '123456789012', region: 'us-east-1' });
    assert.deepEqual(ecrRegistryOf('123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com'), { account: '123456789012', region: 'us-gov-west-1' });
    assert.deepEqual(ecrRegistryOf('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn'), { account: '123456789012', region: 'cn-north-1' });
    for (const other of ['public.ecr.aws', '127.0.0.1:5000', 'ghcr.io', '12345.dkr.ecr.us-east-1.amazonaws.com', '123456789012.dkr.ecr.us-east-1.amazonaws.com.example.com']) {
      assert.equal(ecrRegistryOf(other), undefined, other);
    }
  });
  it('whatever the parser accepts, the template accepts too (no value passes ours and fails CloudFormation)', () => {
    const part = fc.stringMatching(/^[a-z0-9]{1,6}([._-][a-z0-9]{1,6}){0,2}$/);
    const ref = fc.tuple(fc.constantFrom('r.io', '127.0.0.1:5000', 'a-b.example.com:443'), fc.array(part, { minLength: 1, maxLength: 3 }), fc.oneof(fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/).map((t) => `:${t}`), fc.constant(`@sha256:${HEX}`)))
      .map(([host, parts, end]) => `${host}/${parts.join('/')}${end}`);
    fc.assert(fc.property(ref, (v) => {
      if (throwsUsage(() => parseDeployImage(v))) return;
      assert.ok(template(v), v);
    }), RUNS);
  });
  it('base images may be Docker Hub short names, still by the grammar', () => {
    parseImageName('python:3.12-slim', '--base-image');
    parseImageName(`hello-deploy/python-base@sha256:${HEX}`, '--base-image');
    refuses(() => parseImageName('Python:3', '--base-image'), /--base-image/);
    refuses(() => parseImageName('a//b', '--base-image'));
    refuses(() => parseRegistry('127.0.0.1:65536'), /port 65536/);
    refuses(() => parseRegistry('a_b.example.com'));
    assert.equal(parseRegistry('127.0.0.1:5000'), '127.0.0.1:5000');
  });
});

function throwsUsage(fn: () => unknown): boolean {
  try {
    fn();
    return false;
  } catch (e) {
    if (e instanceof UsageError) return true;
    throw e;
  }
}

describe('--region: only the regions the AWS SDK knows, used exactly as validated', () => {
  it('trims, and returns the trimmed name', () => {
    assert.equal(parseRegion('us-east-1 '), 'us-east-1');
    assert.equal(parseRegion('us-east-1\n'), 'us-east-1');
  });
  it('refuses an unknown region with the closest known names', () => {
    refuses(() => parseRegion('zz-nowhere-9'), /not an AWS region.*closest known names: /);
    refuses(() => parseRegion('eu-wset-1'), /eu-west-1/);
    assert.deepEqual(closestRegions('us-east-3', 2), ['us-east-1', 'us-east-2']);
    refuses(() => parseCertificateArn('arn:aws:acm:zz-nowhere-9:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555', '--cert-arn'), /not an AWS region/);
  });
  it('the copied region list is the installed SDK\'s (else: node scripts/aws-regions.mjs)', async () => {
    // @ts-expect-error a plain .mjs script without types
    const { sdkRegions, render, OUT } = await import('../scripts/aws-regions.mjs');
    assert.equal(readFileSync(OUT, 'utf8'), render(await sdkRegions()));
    assert.ok(AWS_REGIONS.includes('us-east-1') && AWS_REGIONS.includes('eu-west-3') && !AWS_REGIONS.includes('aws-global'));
  });
});

describe('certificate and key files: regular files of a sane size, never blocking', () => {
  it('a FIFO, a device, a directory, a symlink to /dev/zero and an oversized file are refused at once, unread', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hd-pemfile-'));
    try {
      execFileSync('mkfifo', [path.join(dir, 'fifo')]);
      execFileSync('ln', ['-s', '/dev/zero', path.join(dir, 'zero')]);
      writeFileSync(path.join(dir, 'big'), 'A'.repeat(MAX_CERT_FILE_BYTES + 1));
      writeFileSync(path.join(dir, 'ok'), 'hello');
      const kind = async (f: string) => readRegularFile(f, MAX_CERT_FILE_BYTES).then(() => 'read', (e: unknown) => (e instanceof PemFileError ? e.problem.kind : `threw ${String(e)}`));
      const started = Date.now();
      assert.equal(await kind(path.join(dir, 'fifo')), 'not-regular');
      assert.equal(await kind('/dev/urandom'), 'not-regular');
      assert.equal(await kind(path.join(dir, 'zero')), 'not-regular');
      assert.equal(await kind(dir), 'directory');
      assert.equal(await kind(path.join(dir, 'big')), 'too-large');
      assert.equal(await kind(path.join(dir, 'missing')), 'missing');
      assert.equal(await readRegularFile(path.join(dir, 'ok'), 10), 'hello');
      assert.ok(Date.now() - started < 1000, 'nothing blocked');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('generate-certs --out: never a system folder, never a folder everyone may write to', () => {
  it('names the system folders and their insides, but not the temp folders', () => {
    for (const d of ['/', '/etc', '/etc/ssl/x', '/usr', '/usr/local/x', '/bin', '/sbin', '/lib', '/lib64', '/libx32/a', '/boot', '/dev', '/proc/1', '/sys', '/var', '/var/lib/x']) assert.ok(isSystemFolder(d), d);
    for (const d of ['/var/tmp/x', tmpdir(), path.join(tmpdir(), 'x'), '/home/me/certs', '/srv/app', '/etcetera', '/usrx']) assert.ok(!isSystemFolder(d), d);
  });
  it('refuses a world-writable folder without the sticky bit, and one inside it; says how to fix it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hd-out-'));
    try {
      const open = path.join(dir, 'open');
      mkdirSync(open);
      chmodSync(open, 0o777);
      for (const out of [open, path.join(open, 'new')]) {
        await assert.rejects(checkOutDir(pairPaths(out, dir), { force: false }), (e: UsageError) => e.code === 'OUT_DIR_INVALID' && /writable by every user \(mode 0777, no sticky bit\)/.test(e.message) && /chmod o-w/.test(e.hint ?? ''));
      }
      chmodSync(open, 0o1777); // like /tmp: sticky, so nobody can replace another's files
      await checkOutDir(pairPaths(open, dir), { force: false });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the cache folder', () => {
  it('is never placed under a HOME that does not exist', () => {
    assert.equal(cacheRoot({ HOME: '/nonexistent/x' }), undefined);
    assert.equal(cacheRoot({ HOME: '/nonexistent/x', XDG_CACHE_HOME: '/nonexistent/y' }), undefined);
    assert.equal(cacheRoot({ HOME: 'relative/home' }), undefined);
    assert.equal(cacheRoot({ HOME: tmpdir() }), path.join(tmpdir(), '.cache', 'hello-deploy'));
    assert.equal(cacheRoot({ HOME: '/nonexistent/x', XDG_CACHE_HOME: tmpdir() }), path.join(tmpdir(), 'hello-deploy'));
  });
});
