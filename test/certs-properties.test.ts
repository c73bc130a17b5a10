// Property-based tests over every generate-certs input validator: thousands of generated inputs, bad ones among
// them by construction. Each input is either accepted (and then the result obeys the rule) or refused with a
// UsageError (exit 2) carrying a code, a message and a hint — never a crash with any other exception type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EXIT, UsageError } from '../cli/core/errors.ts';
import { ECOSYSTEM_MAX_LENGTH, sanitizeEcosystem, validateEcosystem } from '../cli/domain/ecosystem.ts';
import { KEY_TYPES, MAX_DAYS, parseCommonName, parseDays, parseKeyType, parseSans, parseSubjectName } from '../cli/certs/validate.ts';
import { parseRegion, parseCertificateArn, parseEndpointUrl, parseProfile } from '../cli/domain/parsers.ts';
import { planGenerateCerts, type GenerateCertsFlags } from '../cli/certs/options.ts';
import { validatePair } from '../cli/domain/certificates/pair.ts';
import { generateSelfSigned } from '../cli/domain/certificates/generate.ts';
import { aroundCap, hasAstral, hasCombining, hasLoneSurrogate, reaches, reservedPrefixed, withUnicode } from './support/boundaries.ts';

const RUNS = { numRuns: 2000 };

/** Runs fn; returns its value, or undefined after checking the exception is a well-formed UsageError. */
function acceptOrUsage<T>(fn: () => T, code?: string | RegExp): T | undefined {
  try {
    return fn();
  } catch (err) {
    assert.ok(err instanceof UsageError, `expected UsageError, got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
    assert.equal(err.exitCode, EXIT.usage);
    if (typeof code === 'string') assert.equal(err.code, code);
    if (code instanceof RegExp) assert.match(err.code, code);
    assert.ok(err.message.length > 0 && err.message.length < 400, 'a short, non-empty message');
    assert.ok(err.hint !== undefined && err.hint.length > 0, 'a hint');
    return undefined;
  }
}

function mustRefuse(fn: () => unknown, code: string): void {
  let returned: unknown;
  const ok = acceptOrUsage(() => { returned = fn(); return true; }, code);
  assert.equal(ok, undefined, `accepted ${JSON.stringify(returned)}`);
}

// Strings that stress parsers: unicode, control characters, whitespace, digits and separators.
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: fc.constantFrom(...'0123456789-+.,:/ _*%eE\t\n\u0000'.split('')), maxLength: 30 }),
  fc.string({ maxLength: 300 }),
);

test('--days: only whole numbers 1..825 are accepted', () => {
  fc.assert(fc.property(anyText, (raw) => {
    const days = acceptOrUsage(() => parseDays(raw), 'DAYS_INVALID');
    if (days !== undefined) {
      assert.ok(Number.isInteger(days) && days >= 1 && days <= MAX_DAYS);
      assert.equal(String(days), raw.trim().replace(/^0+(?=\d)/, ''));
    }
  }), RUNS);
  // The caps themselves (0 and 1, MAX_DAYS and MAX_DAYS+1) are drawn for sure, not left to the integers' bias.
  // Checked by planting an off-by-one cap in parseDays (`days > MAX_DAYS + 1`): the property failed on 826.
  const outside = fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: MAX_DAYS + 1 }), fc.double({ noInteger: true }), fc.constantFrom(0, MAX_DAYS + 1));
  const inside = fc.oneof(fc.integer({ min: 1, max: MAX_DAYS }), fc.constantFrom(1, MAX_DAYS - 1, MAX_DAYS));
  reaches(outside, { '0': (n) => n === 0, 'MAX_DAYS+1': (n) => n === MAX_DAYS + 1 }, 2000);
  reaches(inside, { '1': (n) => n === 1, 'MAX_DAYS': (n) => n === MAX_DAYS }, 100);
  fc.assert(fc.property(outside, (n) => {
    mustRefuse(() => parseDays(String(n)), 'DAYS_INVALID');
  }), RUNS);
  fc.assert(fc.property(inside, (n) => assert.equal(parseDays(String(n)), n)));
});

test('--key-type: only the two supported types', () => {
  fc.assert(fc.property(anyText, (raw) => {
    const kt = acceptOrUsage(() => parseKeyType(raw), 'KEY_TYPE_INVALID');
    if (kt !== undefined) assert.ok((KEY_TYPES as readonly string[]).includes(kt) && raw.trim().toLowerCase() === kt);
  }), RUNS);
  for (const bad of ['rsa1024', 'rsa4096', 'ecdsa-p384', 'ed25519', 'rsa', 'RSA-2048', '']) mustRefuse(() => parseKeyType(bad), 'KEY_TYPE_INVALID');
});

const DNS_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

test('--san / --common-name: DNS names and IPs only', () => {
  fc.assert(fc.property(anyText, (raw) => {
    const name = acceptOrUsage(() => parseSubjectName(raw), 'NAME_INVALID');
    if (name?.type === 'dns') {
      assert.match(name.value, DNS_NAME);
      assert.ok(name.value.length <= 253);
    }
    acceptOrUsage(() => parseCommonName(raw), 'NAME_INVALID');
  }), RUNS);
  fc.assert(fc.property(fc.array(anyText, { maxLength: 5 }), (raws) => {
    acceptOrUsage(() => parseSans(raws), /^(NAME_INVALID|SAN_TOO_MANY)$/);
  }), RUNS);
  // Generated valid names are accepted as what they are.
  fc.assert(fc.property(fc.domain(), (d) => {
    const n = parseSubjectName(d);
    if (/\.[0-9]+$/.test(d)) return; // fc.domain may end in an all-digit label, which we refuse on purpose
    assert.deepEqual(n, { type: 'dns', value: d.toLowerCase() });
  }), RUNS);
  fc.assert(fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (ip) => assert.deepEqual(parseSubjectName(ip), { type: 'ip', value: ip })), RUNS);
  // Names with a character outside the DNS alphabet inside them are always refused (surrounding blanks are trimmed).
  const badChar = fc.constantFrom(...'_ !@#$^&()=+[]{};\'"<>?|\\`~'.split(''), 'é', '\u0000', '\u200b');
  fc.assert(fc.property(fc.domain(), badChar, fc.nat(), (d, c, at) => {
    const i = 1 + (at % d.length);
    mustRefuse(() => parseSubjectName(`${d.slice(0, i)}${c}${d.slice(i)}x`), 'NAME_INVALID');
  }), RUNS);
  for (const bad of ['*.com', 'a.*.example.com', 'ex..ample', '.example', 'example.', '-a.example', 'a-.example', '1.2.3.999', 'fe80::1%eth0', 'a'.repeat(64) + '.com', `${'a.'.repeat(127)}ab`]) {
    mustRefuse(() => parseSubjectName(bad), 'NAME_INVALID');
  }
  mustRefuse(() => parseCommonName(`${'a'.repeat(60)}.example.com`), 'NAME_INVALID');
});

const validArn = fc.record({
  partition: fc.constantFrom('aws', 'aws-cn', 'aws-us-gov'),
  region: fc.constantFrom('us-east-1', 'eu-west-2', 'ap-southeast-1', 'us-gov-west-1'),
  account: fc.stringMatching(/^\d{12}$/),
  id: fc.uuid(),
}).map(({ partition, region, account, id }) => `arn:${partition}:acm:${region}:${account}:certificate/${id}`);

test('--rotate: only ACM certificate ARNs', () => {
  fc.assert(fc.property(anyText, (raw) => {
    const arn = acceptOrUsage(() => parseCertificateArn(raw), 'ARN_INVALID');
    if (arn !== undefined) assert.match(arn.arn, /^arn:aws[a-z-]*:acm:/);
  }), RUNS);
  fc.assert(fc.property(validArn, (arn) => {
    const parsed = parseCertificateArn(arn);
    assert.equal(parsed.arn, arn);
    assert.equal(`arn:${parsed.partition}:acm:${parsed.region}:${parsed.account}:certificate/${parsed.id}`, arn);
  }), RUNS);
  // One character changed, removed or added somewhere in a valid ARN: still well-formed, or a clean refusal.
  fc.assert(fc.property(validArn, fc.nat(), fc.string({ minLength: 0, maxLength: 2 }), fc.nat({ max: 2 }), (arn, at, insert, drop) => {
    const i = at % arn.length;
    acceptOrUsage(() => parseCertificateArn(arn.slice(0, i) + insert + arn.slice(i + drop)), 'ARN_INVALID');
  }), RUNS);
  for (const bad of ['arn:aws:iam::123456789012:server-certificate/x', 'arn:aws:acm:us-east-1:12345678901:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0', 'arn:aws:acm:us-east-1:123456789012:certificate/not-a-uuid']) {
    mustRefuse(() => parseCertificateArn(bad), 'ARN_INVALID');
  }
});

test('--endpoint-url: http(s) URLs without credentials, query or fragment', () => {
  fc.assert(fc.property(fc.oneof(anyText, fc.webUrl({ withQueryParameters: true, withFragments: true })), (raw) => {
    const url = acceptOrUsage(() => parseEndpointUrl(raw), 'ENDPOINT_INVALID');
    if (url !== undefined) {
      const u = new URL(url);
      assert.ok(u.protocol === 'http:' || u.protocol === 'https:');
      assert.equal(u.username + u.password + u.search + u.hash, '');
    }
  }), RUNS);
  fc.assert(fc.property(fc.webUrl(), (raw) => {
    if (/[?#@]/.test(raw)) return;
    assert.equal(parseEndpointUrl(raw), new URL(raw).toString().replace(/\/$/, ''));
  }), RUNS);
  for (const bad of ['ftp://127.0.0.1', 'http://user:pw@127.0.0.1:5000', 'http://127.0.0.1:5000/?x=1', '127.0.0.1:5000', 'localhost', 'http://', 'file:///etc/passwd']) {
    mustRefuse(() => parseEndpointUrl(bad), 'ENDPOINT_INVALID');
  }
});

test('--region and --profile', () => {
  fc.assert(fc.property(anyText, (raw) => {
    const r = acceptOrUsage(() => parseRegion(raw), 'REGION_INVALID');
    if (r !== undefined) assert.match(r, /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/);
    const p = acceptOrUsage(() => parseProfile(raw), 'PROFILE_INVALID');
    if (p !== undefined) assert.doesNotMatch(p, /\s/);
  }), RUNS);
});

const CAP = ECOSYSTEM_MAX_LENGTH;
const SHAPED = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
// Branches and names at the ecosystem's boundaries (issue 18): already valid names of exactly cap−1, cap and cap+1
// characters and far past it (which the sanitizer must not pass through as they are, nor the validator accept),
// the reserved prefixes, and astral characters, combining marks and lone surrogates.
const atBoundaries = fc.oneof(aroundCap(CAP), reservedPrefixed(fc.oneof(aroundCap(CAP - 9), fc.string({ maxLength: 6 }))), withUnicode(fc.oneof(aroundCap(CAP), fc.string({ maxLength: 10 }))));
const branchish = fc.oneof(anyText, fc.string({ unit: fc.constantFrom(...'abcXYZ019/_-.'.split('')), maxLength: 60 }), atBoundaries, atBoundaries);

// The property below was checked by planting the break once: sanitizeEcosystem passing a valid-shaped branch
// through whatever its length (`name === branch && name.length <= ECOSYSTEM_MAX_LENGTH` → `name === branch`) made
// it fail on its own (with the hand-written examples removed); so did validateEcosystem without its length check.
test('ecosystem: the branch generator reaches the cap (cap−1, cap, cap+1, far past), the reserved prefixes and unicode', () => {
  reaches(branchish, {
    'a valid-shaped name of cap−1 characters': (b) => SHAPED.test(b) && b.length === CAP - 1,
    'a valid-shaped name of exactly cap characters': (b) => SHAPED.test(b) && b.length === CAP,
    'a valid-shaped name of cap+1 characters': (b) => SHAPED.test(b) && b.length === CAP + 1,
    'a valid-shaped name far past the cap': (b) => SHAPED.test(b) && b.length > CAP + 5,
    'an internal- name': (b) => b.startsWith('internal-'),
    'a valid-shaped internal- name within the cap': (b) => SHAPED.test(b) && b.startsWith('internal-') && b.length <= CAP,
    'an aws prefix': (b) => /^aws/i.test(b),
    'an astral character': hasAstral,
    'a combining mark': hasCombining,
    'a lone surrogate': hasLoneSurrogate,
  }, 2000);
});

test('ecosystem: sanitize always yields a valid name (or refuses cleanly); validate is exact', () => {
  fc.assert(fc.property(branchish, (branch) => {
    const name = acceptOrUsage(() => sanitizeEcosystem(branch), 'ECOSYSTEM_UNUSABLE');
    if (name === undefined) {
      assert.doesNotMatch(branch.toLowerCase(), /[a-z0-9]/, 'refused only when nothing usable is left');
      return;
    }
    assert.equal(validateEcosystem(name), name);
    assert.ok(name.length <= ECOSYSTEM_MAX_LENGTH);
    assert.equal(sanitizeEcosystem(name), name, 'idempotent');
  }), RUNS);
  fc.assert(fc.property(branchish, (raw) => {
    const ok = acceptOrUsage(() => validateEcosystem(raw), 'ECOSYSTEM_INVALID');
    if (ok !== undefined) assert.ok(SHAPED.test(ok) && ok.length <= ECOSYSTEM_MAX_LENGTH && !ok.startsWith('internal-'), JSON.stringify(ok));
    // Exact: every valid-shaped name within the cap and without the reserved prefix is accepted as it is.
    if (SHAPED.test(raw) && raw.length <= CAP && !raw.startsWith('internal-')) assert.equal(ok, raw);
  }), RUNS);
  // AWS refuses load balancer names beginning "internal-"; the ALB is named after the ecosystem.
  assert.throws(() => validateEcosystem('internal-api'), (e: unknown) => e instanceof UsageError && /internal-/.test(e.message));
  assert.equal(sanitizeEcosystem('Internal/API'), 'b-internal-api-79cef8');
  assert.equal(validateEcosystem('internalapi'), 'internalapi');
});

test('ecosystem: two different branches never share an ecosystem; a valid one is its own', () => {
  // Branches that sanitize alike: long ones past the 24-character cap with a common stem, case variants, and
  // characters the sanitizer drops or merges (non-ASCII letters, runs of separators).
  const piece = fc.string({ unit: fc.constantFrom(...'abcABC019/_-.ÜüßéЖ😀 '.split('')), maxLength: 12 });
  const stem = fc.constantFrom('feature/login-page-redesign', 'Feature/Login-Page-Redesign', 'release/2024', 'ber', 'internal', '');
  const branch = fc.oneof(fc.tuple(stem, piece).map(([s, p]) => s + p), piece, fc.string({ maxLength: 40 }), atBoundaries);
  const name = (b: string) => acceptOrUsage(() => sanitizeEcosystem(b), 'ECOSYSTEM_UNUSABLE');
  fc.assert(fc.property(branch, branch, (a, b) => {
    fc.pre(a !== b);
    const [x, y] = [name(a), name(b)];
    if (x !== undefined && y !== undefined) assert.notEqual(x, y, `${JSON.stringify(a)} and ${JSON.stringify(b)}`);
  }), RUNS);
  // Found by the property above: lone surrogates (half an emoji) all become U+FFFD in UTF-8, so hashing that alone
  // gave these two one name.
  assert.notEqual(name('release/2024\ude00'), name('release/2024\ud83d'));
  // Every case variant of one branch gets its own name too.
  fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'abcdef-/'.split('')), minLength: 1, maxLength: 30 }), fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }), (raw, upper) => {
    const variant = [...raw].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('');
    fc.pre(variant !== raw);
    const [x, y] = [name(raw), name(variant)];
    if (x !== undefined && y !== undefined) assert.notEqual(x, y);
  }), RUNS);
  // A valid ecosystem typed as a branch (up to the cap) is left alone.
  const valid = fc.stringMatching(/^[a-z][a-z0-9]{0,7}(-[a-z0-9]{1,7}){0,3}$/).filter((s) => s.length <= ECOSYSTEM_MAX_LENGTH && !s.startsWith('internal-'));
  fc.assert(fc.property(valid, (v) => assert.equal(sanitizeEcosystem(v), v)), RUNS);
});

test('the whole flag set: any combination is planned or refused with a UsageError', () => {
  const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
  const flags: fc.Arbitrary<GenerateCertsFlags> = fc.record({
    out: maybe(fc.oneof(anyText, fc.constant('app/certs'))),
    commonName: maybe(fc.oneof(anyText, fc.domain())),
    san: maybe(fc.array(fc.oneof(anyText, fc.domain(), fc.ipV4()), { maxLength: 4 })),
    days: maybe(fc.oneof(anyText, fc.integer({ min: -5, max: 900 }).map(String))),
    keyType: maybe(fc.oneof(anyText, fc.constantFrom(...KEY_TYPES))),
    force: maybe(fc.boolean()),
    importAcm: maybe(fc.boolean()),
    rotate: maybe(fc.oneof(anyText, validArn)),
    region: maybe(fc.oneof(anyText, fc.constantFrom('us-east-1', 'eu-west-1'))),
    profile: maybe(anyText),
    endpointUrl: maybe(fc.oneof(anyText, fc.constant('http://127.0.0.1:5000'))),
    ecosystem: maybe(fc.oneof(anyText, fc.constantFrom('main', 'feature-x'))),
    json: maybe(fc.boolean()),
  }, { requiredKeys: [] });
  fc.assert(fc.property(flags, (f) => {
    const plan = acceptOrUsage(() => planGenerateCerts(f, '/tmp/property-cwd'));
    if (plan === undefined) return;
    assert.ok(plan.request.days >= 1 && plan.request.days <= MAX_DAYS);
    assert.ok((KEY_TYPES as readonly string[]).includes(plan.request.keyType));
    if (plan.acm?.mode === 'rotate') assert.equal(plan.aws.region, plan.acm.arn.region);
  }), RUNS);
});

test('validatePair: random and damaged PEM text is refused cleanly, never a crash', async () => {
  const real = await generateSelfSigned({ commonName: { type: 'dns', value: 'prop.test' }, sans: [], days: 30, keyType: 'ecdsa-p256' });
  const damaged = (pem: string) => fc.tuple(fc.nat(), fc.string({ maxLength: 3 }), fc.nat({ max: 4 })).map(([at, insert, drop]) => {
    const i = at % pem.length;
    return pem.slice(0, i) + insert + pem.slice(i + drop);
  });
  fc.assert(fc.property(fc.oneof(anyText, damaged(real.certificatePem)), fc.oneof(anyText, damaged(real.privateKeyPem), fc.constant(real.privateKeyPem)), (cert, key) => {
    const v = acceptOrUsage(() => validatePair(cert, key));
    if (v !== undefined) assert.equal(v.info.keyType, 'ecdsa-p256');
  }), { numRuns: 1500 });
});
