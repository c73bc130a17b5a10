// --domain's zone lookup in the prerequisites step (cli/steps/domain-zone.ts, cli/steps/domain-setup.ts) over a FAKE
// DnsZonePort that pages the way ListHostedZonesByName does (zones sorted by reversed labels, from the name asked
// for: https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListHostedZonesByName.html). The same lookup
// against moto's Route 53 is in test/deploy-domain.test.ts; this file needs no emulator, so `npm run mutate` runs it
// (the mutants it was written against: docs/mutation.md).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { HostedZone } from '../cli/ports/dns.ts';
import { findHostedZone } from '../cli/steps/domain-zone.ts';
import { certificatePlan, domainResources, lookUpZone } from '../cli/steps/domain-setup.ts';
import { recordingIO, stepCtx, UNUSED_DNS } from './support/fake-ports.ts';

/** FAKE Route 53: the zones in ListHostedZonesByName order; each call is recorded with its arguments. */
function fakeDns(zones: HostedZone[]): typeof UNUSED_DNS & { calls: Array<{ from: string; max: number; signal: boolean }> } {
  const key = (n: string) => n.split('.').reverse().join('.');
  const sorted = [...zones].sort((a, b) => key(a.name).localeCompare(key(b.name)));
  const calls: Array<{ from: string; max: number; signal: boolean }> = [];
  return {
    ...UNUSED_DNS,
    calls,
    async zonesFrom(dnsName, max, opts) {
      calls.push({ from: dnsName, max, signal: opts?.signal !== undefined });
      return sorted.filter((z) => key(z.name) >= key(dnsName)).slice(0, max);
    },
  };
}

const zone = (name: string, id: string, isPrivate = false): HostedZone => ({ id, name, private: isPrivate });

describe('findHostedZone: the longest public zone that holds the name', () => {
  test('a deeper zone wins over its parent; each candidate is asked for on its own, longest first, never the TLD', async () => {
    const dns = fakeDns([zone('example.com', 'Z1'), zone('deep.example.com', 'Z2')]);
    assert.deepEqual(await findHostedZone(dns, 'a.b.deep.example.com'), zone('deep.example.com', 'Z2'));
    assert.deepEqual(dns.calls.map((c) => c.from), ['a.b.deep.example.com', 'b.deep.example.com', 'deep.example.com']);
    dns.calls.length = 0;
    assert.equal(await findHostedZone(dns, 'hello.example.net'), undefined);
    assert.deepEqual(dns.calls.map((c) => c.from), ['hello.example.net', 'example.net'], 'the top-level domain alone is never asked for');
  });

  test('a page that starts at the name but holds another zone first is no match; a private zone of the name is passed over', async () => {
    // ListHostedZonesByName from "app.inner.example.com" returns the zones after it too: a zone that merely follows
    // the name in the listing must not be taken for it.
    const dns = fakeDns([zone('example.com', 'Z1'), zone('inner.example.com', 'ZP', true), zone('zzz.example.com', 'Z3')]);
    assert.deepEqual(await findHostedZone(dns, 'app.inner.example.com'), zone('example.com', 'Z1'));
  });

  test('each page is bounded to the few zones of one name, and the signal is passed on', async () => {
    const dns = fakeDns([zone('example.com', 'Z1')]);
    await findHostedZone(dns, 'hello.example.com', new AbortController().signal);
    assert.ok(dns.calls.every((c) => c.max === 20 && c.signal), JSON.stringify(dns.calls));
    dns.calls.length = 0;
    await findHostedZone(dns, 'hello.example.com');
    assert.ok(dns.calls.every((c) => !c.signal), 'no signal given, none passed');
  });
});

describe('lookUpZone and the --domain plan text', () => {
  test('a zone found is recorded by id and name and named in the plan; none found records null and says the records are yours to add', async () => {
    const dns = fakeDns([zone('example.org', 'ZORG')]);
    const found = stepCtx({ dns }, { options: { certificate: { kind: 'managed' }, domain: { name: 'hello.example.org' } } });
    const a = recordingIO();
    await lookUpZone(found, a.io);
    assert.deepEqual(found.state.hostedZone, { id: 'ZORG', name: 'example.org' });
    assert.deepEqual(a.rec.progress, ['looking up the Route 53 zone for hello.example.org']);
    assert.deepEqual(a.rec.info, [
      'Domain hello.example.org: an ACM certificate for hello.example.org with DNS validation (it renews itself), its validation CNAME in the Route 53 zone example.org (CloudFormation adds it), and an alias A record hello.example.org → the load balancer (IPv4 only, so no AAAA).',
      'No certificate to import: with --domain the self-signed pair is not used.',
    ]);

    const none = stepCtx({ dns }, { options: { certificate: { kind: 'managed' }, domain: { name: 'hello.example.net' } } });
    const b = recordingIO();
    await lookUpZone(none, b.io);
    assert.equal(none.state.hostedZone, null);
    assert.match(b.rec.info[0]!, /^Domain hello\.example\.net: an ACM certificate for hello\.example\.net with DNS validation \(it renews itself\); no Route 53 zone holds hello\.example\.net, so the validation CNAME and the record pointing hello\.example\.net at the load balancer are yours to add at your DNS provider \(both are printed\)\.$/);
  });

  test('a --hosted-zone-id given up front is used as it is: Route 53 is not asked', async () => {
    const dns: typeof UNUSED_DNS = { ...UNUSED_DNS, zonesFrom: async () => assert.fail('no lookup when the zone id is given') };
    const ctx = stepCtx({ dns }, { options: { certificate: { kind: 'managed' }, domain: { name: 'hello.example.com', hostedZoneId: 'ZGIVEN' } } });
    const { io, rec } = recordingIO();
    await lookUpZone(ctx, io);
    assert.deepEqual(ctx.state.hostedZone, { id: 'ZGIVEN', name: 'hello.example.com' });
    assert.deepEqual(rec.progress, []);
    assert.match(rec.info[0]!, /its validation CNAME in the Route 53 zone hello\.example\.com \(CloudFormation adds it\)/);
  });

  test('without --domain the lookup does nothing', async () => {
    const dns: typeof UNUSED_DNS = { ...UNUSED_DNS, zonesFrom: async () => assert.fail('no lookup without --domain') };
    const ctx = stepCtx({ dns });
    const { io, rec } = recordingIO();
    await lookUpZone(ctx, io);
    assert.equal(ctx.state.hostedZone, undefined);
    assert.deepEqual([rec.info, rec.progress], [[], []]);
  });

  test('the certificate plan for each kind of certificate', () => {
    assert.equal(certificatePlan({ certificate: { kind: 'arn', arn: 'arn:x' } }), 'confirm certificate arn:x exists in ACM');
    assert.equal(certificatePlan({ certificate: { kind: 'pair', certFile: '/c.pem', keyFile: '/k.pem' } }), 'validate and import /c.pem into ACM');
    assert.match(certificatePlan({ certificate: { kind: 'managed' }, domain: { name: 'a.example.com' } }), /^find the public Route 53 hosted zone holding a\.example\.com \(ListHostedZonesByName/);
    assert.match(certificatePlan({ certificate: { kind: 'managed' } }), /holding the --domain name/);
  });

  test('the resources --domain makes: a known zone by name, an unknown one in general words', () => {
    assert.match(domainResources('a.example.com', { name: 'example.com' }), /validation CNAME in the Route 53 zone example\.com \(CloudFormation adds it\)/);
    assert.match(domainResources('a.example.com', undefined), /validation CNAME in the Route 53 zone that holds it \(CloudFormation adds it\)/);
    assert.doesNotMatch(domainResources('a.example.com', null), /CloudFormation adds it/);
  });
});
