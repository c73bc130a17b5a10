// --domain's record check and --replace-record (cli/steps/domain-setup.ts: checkRecordElsewhere, replaceRecords) over
// a FAKE Route 53 record port and FAKE stack resources. The same paths against moto's Route 53 are in
// test/deploy-domain.test.ts; this file needs no emulator, so `npm run mutate` runs it: the mutants it was written
// against were reached by no fast test before (docs/mutation.md, cli/steps).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { AbortError } from '../cli/core/errors.ts';
import type { RecordView } from '../cli/domain/dns-records.ts';
import { checkRecordElsewhere, replaceRecords } from '../cli/steps/domain-setup.ts';
import { UNUSED_DNS, fakePreflight, recordingIO, stepCtx, untouchable } from './support/fake-ports.ts';
import type { PreflightPorts } from '../cli/ports/preflight.ts';

const NAME = 'hello.example.com';
const ZONE = { id: 'ZHELLO', name: 'example.com' };
const INFRA = 'feature-x-hello-world-infra';
const OUR_ALIAS: RecordView = { name: NAME, type: 'A', aliasTarget: 'dualstack.feature-x-alb-1.us-east-1.elb.amazonaws.com', aliasZoneId: 'Z35SXDOTRQ7X7K', values: [] };
const CNAME: RecordView = { name: NAME, type: 'CNAME', values: ['old-host.example.net'] };

/** FAKE Route 53 records of one name, and FAKE stack resources (the infra stack's logical → physical ids). */
function setup(opts: { records: RecordView[]; ids?: Map<string, string>; replaceRecord?: boolean; zone?: typeof ZONE | null; domain?: boolean }) {
  const asked: { zoneId: string; name: string; signal: AbortSignal | undefined }[] = [];
  const stacksAsked: string[] = [];
  const dns: typeof UNUSED_DNS = {
    ...UNUSED_DNS,
    records: async (zoneId, name, o) => (asked.push({ zoneId, name, signal: o?.signal }), opts.records),
  };
  const preflight: PreflightPorts = fakePreflight({ stackResources: { physicalIds: async (s) => (stacksAsked.push(s), opts.ids) } });
  const ctx = stepCtx(
    { dns, preflight },
    {
      options: { certificate: { kind: 'managed' }, ...(opts.domain === false ? {} : { domain: { name: NAME, ...(opts.replaceRecord ? { replaceRecord: true } : {}) } }) },
      state: { hostedZone: opts.zone === undefined ? ZONE : opts.zone },
    },
  );
  const { io, rec } = recordingIO();
  return { ctx, io, rec, asked, stacksAsked };
}

describe('checkRecordElsewhere: a record of the --domain name that is not the stack\'s alias', () => {
  test('a CNAME elsewhere is refused with DOMAIN_RECORD_ELSEWHERE naming the record, the zone and the stack; nothing is kept to delete', async () => {
    const s = setup({ records: [CNAME] });
    await assert.rejects(checkRecordElsewhere(s.ctx, s.io), (e: AbortError) => {
      assert.equal(e.code, 'DOMAIN_RECORD_ELSEWHERE');
      assert.equal(e.exitCode, 1);
      assert.equal(
        e.message,
        `"${NAME}" already has "CNAME → old-host.example.net" in the Route 53 zone "example.com", which is not ${INFRA}'s alias record; CloudFormation cannot create the alias over it, and serving the name here would take that away. Nothing was changed.`,
      );
      assert.match(e.hint ?? '', /^Pick another --domain, remove that record yourself, or pass --replace-record/);
      return true;
    });
    assert.equal(s.ctx.state.recordsToReplace, undefined);
    assert.deepEqual(s.rec.warn, []);
    // The zone's records of exactly the name, with the step's signal; the infra stack's own resources beside them.
    assert.deepEqual(s.asked, [{ zoneId: 'ZHELLO', name: NAME, signal: s.io.signal }]);
    assert.deepEqual(s.stacksAsked, [INFRA]);
  });

  test('--replace-record: the records are kept for the infra step (type, name, text) and a warning says they go right before the stack changes', async () => {
    const other: RecordView = { name: NAME, type: 'AAAA', values: ['2001:db8::1', '2001:db8::2'] };
    const s = setup({ records: [CNAME, other], replaceRecord: true });
    await checkRecordElsewhere(s.ctx, s.io);
    assert.deepEqual(s.ctx.state.recordsToReplace, [
      { type: 'CNAME', name: NAME, text: 'CNAME → old-host.example.net' },
      { type: 'AAAA', name: NAME, text: 'AAAA → 2001:db8::1, 2001:db8::2' },
    ]);
    assert.deepEqual(s.rec.warn, [
      `"${NAME}" already has "CNAME → old-host.example.net", "AAAA → 2001:db8::1, 2001:db8::2" in the Route 53 zone "example.com", which is not ${INFRA}'s alias record: --replace-record, so the deploy deletes it right before ${INFRA} changes, and the stack's alias A record takes its place.`,
    ]);
  });

  test('a re-deploy: the A alias is the stack\'s own DomainRecord (its physical id is the name, compared as DNS names), so nothing is refused', async () => {
    const s = setup({ records: [OUR_ALIAS], ids: new Map([['DomainRecord', 'Hello.Example.com.']]) });
    await checkRecordElsewhere(s.ctx, s.io);
    assert.equal(s.ctx.state.recordsToReplace, undefined);
    assert.deepEqual([s.rec.warn, s.rec.info], [[], []]);
  });

  test('only an A alias is taken for the stack\'s own: a plain A, an AAAA alias or a CNAME of the name is still elsewhere', async () => {
    const ids = new Map([['DomainRecord', NAME]]);
    const plainA: RecordView = { name: NAME, type: 'A', values: ['192.0.2.10'] };
    const aaaaAlias: RecordView = { ...OUR_ALIAS, type: 'AAAA' };
    for (const r of [plainA, aaaaAlias, CNAME]) {
      const s = setup({ records: [OUR_ALIAS, r], ids });
      await assert.rejects(checkRecordElsewhere(s.ctx, s.io), (e: AbortError) => e.code === 'DOMAIN_RECORD_ELSEWHERE' && e.message.includes(`already has "${r.type}`) && !e.message.includes('"A alias'), r.type);
    }
  });

  test('an A alias is not ours when the stack has no DomainRecord, or one of another name: refused', async () => {
    for (const ids of [undefined, new Map([['LoadBalancer', NAME]]), new Map([['DomainRecord', 'other.example.com']])]) {
      const s = setup({ records: [OUR_ALIAS], ids });
      await assert.rejects(checkRecordElsewhere(s.ctx, s.io), (e: AbortError) => e.code === 'DOMAIN_RECORD_ELSEWHERE' && e.message.includes('"A alias → dualstack.feature-x-alb-1'));
    }
  });

  test('records of the name that answer no browser lookup (TXT, MX) are nobody\'s business: nothing refused, nothing warned', async () => {
    const s = setup({ records: [{ name: NAME, type: 'TXT', values: ['"v=spf1 -all"'] }, { name: NAME, type: 'MX', values: ['10 mx.example.com'] }] });
    await checkRecordElsewhere(s.ctx, s.io);
    assert.deepEqual([s.rec.warn, s.ctx.state.recordsToReplace], [[], undefined]);
  });

  test('without --domain, or without a Route 53 zone (records added by hand), Route 53 and the stack are not read', async () => {
    for (const over of [{ domain: false, zone: ZONE }, { zone: null }] as const) {
      const s = setup({ records: [CNAME], ...over });
      const ctx = { ...s.ctx, ports: { dns: untouchable<typeof UNUSED_DNS>('dns'), preflight: untouchable<PreflightPorts>('preflight') } };
      await checkRecordElsewhere(ctx, s.io);
      assert.equal(ctx.state.recordsToReplace, undefined);
    }
  });
});

describe('replaceRecords: the DELETE right before the infra stack changes', () => {
  function deletes(zone: typeof ZONE | null | undefined, toReplace: { type: string; name: string; text: string }[] | undefined) {
    const deleted: { zoneId: string; record: unknown; signal: AbortSignal | undefined }[] = [];
    const dns: typeof UNUSED_DNS = { ...UNUSED_DNS, deleteRecord: async (zoneId, record, o) => void deleted.push({ zoneId, record, signal: o?.signal }) };
    const ctx = stepCtx({ dns }, { state: { ...(zone !== undefined ? { hostedZone: zone } : {}), ...(toReplace ? { recordsToReplace: toReplace } : {}) } });
    const { io, rec } = recordingIO();
    return { ctx, io, rec, deleted };
  }

  test('each record is deleted from the zone, with the step\'s signal, and said; none is left to delete again', async () => {
    const list = [
      { type: 'CNAME', name: NAME, text: 'CNAME → old-host.example.net' },
      { type: 'AAAA', name: NAME, text: 'AAAA → 2001:db8::1' },
    ];
    const d = deletes(ZONE, list.map((r) => ({ ...r })));
    await replaceRecords(d.ctx, d.io);
    assert.deepEqual(d.deleted, list.map((record) => ({ zoneId: 'ZHELLO', record, signal: d.io.signal })));
    assert.deepEqual(d.rec.info, list.map((r) => `Deleted "${NAME}" "${r.text}" from the zone "example.com" (--replace-record): the stack creates its alias there now.`));
    assert.deepEqual(d.ctx.state.recordsToReplace, []);
  });

  test('nothing to replace, or no zone: Route 53 is not called', async () => {
    for (const [zone, list] of [[ZONE, []], [ZONE, undefined], [null, [{ type: 'A', name: NAME, text: 'A → 192.0.2.1' }]]] as const) {
      const d = deletes(zone, list ? [...list] : undefined);
      await replaceRecords(d.ctx, d.io);
      assert.deepEqual([d.deleted, d.rec.info], [[], []]);
    }
  });
});
