// --live-prices: the real @aws-sdk/client-pricing client against FakePriceList (a FAKE Price List Query API on
// loopback: no emulator serves the Price List), answering with the shapes of test/fixtures/pricing/.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { PRICE_KEYS, type PriceKey, type PriceTable } from '../cli/domain/prices.ts';
import { KEY_QUERIES, PriceListProblem, pickPrice, readEntry } from '../cli/adapters/aws/price-list.ts';
import { livePricePort, pricesCacheDir } from '../cli/adapters/aws/pricing.ts';
import { fixtureEntries, startFakePriceList, type FakePriceList } from './support/fake-price-list.ts';

// The SDK signs every call: static test keys, so no profile or instance metadata is consulted.
process.env.AWS_ACCESS_KEY_ID = 'testing';
process.env.AWS_SECRET_ACCESS_KEY = 'testing';
delete process.env.AWS_SESSION_TOKEN;
delete process.env.AWS_PROFILE;

const NOW = new Date('2026-12-01T10:00:00Z');
const DAY = 86_400_000;

/** Stands in for the colleague's bundled tables: every price 9.99 from a pricing page, dated 2026-11-30. */
const bundled = (region: string): PriceTable => ({
  region,
  checked: '2026-11-30',
  origin: 'bundled',
  prices: Object.fromEntries(PRICE_KEYS.map((k) => [k, { usd: 9.99, unit: 'per bundled unit', source: 'https://aws.amazon.com/pricing/' }])) as PriceTable['prices'],
});

const EXPECTED: Record<PriceKey, [number, string, string]> = {
  albHour: [0.0225, 'per load balancer-hour', 'AWSELB SKU XA1ALBHOURUSE1X1'],
  lcuHour: [0.008, 'per LCU-hour', 'AWSELB SKU XA1ALBLCUUSE1XX2'],
  ipv4Hour: [0.005, 'per address-hour', 'AmazonVPC SKU XV1IPV4INUSEXX01'],
  fargateVcpuHourX86: [0.04048, 'per vCPU-hour', 'AmazonECS SKU 8CESGAFWKAJ98PME'],
  fargateGbHourX86: [0.004445, 'per GB-hour', 'AmazonECS SKU PBZNQUSEXZUC34C9'],
  fargateVcpuHourArm: [0.03238, 'per vCPU-hour', 'AmazonECS SKU XSZATS4VYMDC9CYN'],
  fargateGbHourArm: [0.00356, 'per GB-hour', 'AmazonECS SKU UNH9KPQP7W7C66C9'],
  alarmMonth: [0.1, 'per alarm-month', 'AmazonCloudWatch SKU XC1ALARMSTDXXX01'],
  metricMonth: [0.3, 'per metric-month', 'AmazonCloudWatch SKU XC1METRICSXXXX03'],
  logsIngestGb: [0.5, 'per GB ingested', 'AmazonCloudWatch SKU XC1LOGSINGEST004'],
  logsStorageGbMonth: [0.03, 'per GB-month', 'AmazonCloudWatch SKU XC1LOGSSTORAGE06'],
  ecrStorageGbMonth: [0.1, 'per GB-month', 'AmazonECR SKU XE1ECRSTORAGE001'],
  route53ZoneMonth: [0.5, 'per hosted zone-month', 'AmazonRoute53 SKU XR5HOSTEDZONE001'],
  route53QueriesMillion: [0.4, 'per million queries', 'AmazonRoute53 SKU XR5DNSQUERIES002'],
};

let fake: FakePriceList;
let cacheDir: string;
const port = (extra: { now?: Date; deadlineMs?: number } = {}) =>
  livePricePort({ endpointUrl: fake.endpoint, cacheDir, now: () => extra.now ?? NOW, fallback: bundled, ...(extra.deadlineMs ? { deadlineMs: extra.deadlineMs } : {}) });

describe('live prices (FakePriceList)', () => {
  before(() => void (cacheDir = mkdtempSync(path.join(tmpdir(), 'hd-prices-'))));
  after(() => rmSync(cacheDir, { recursive: true, force: true }));
  beforeEach(async () => {
    await fake?.close();
    fake = await startFakePriceList();
    rmSync(path.join(cacheDir, 'us-east-1.json'), { force: true });
  });
  after(async () => fake?.close());

  it('prices every key from the answer: figure, unit and SKU', async () => {
    const { table, notes } = await port().table('us-east-1', { live: true });
    assert.equal(table.origin, 'live');
    assert.equal(table.region, 'us-east-1');
    assert.equal(table.checked, '2026-12-01');
    for (const k of PRICE_KEYS) {
      const [usd, unit, sku] = EXPECTED[k];
      assert.deepEqual(table.prices[k], { usd, unit, source: `AWS Price List API, ${sku}` }, k);
    }
    assert.deepEqual(notes, ['live prices of 2026-12-01 from the AWS Price List API']);
  });

  it('follows NextToken through every page', async () => {
    fake.pageSize = 1;
    const { table } = await port().table('us-east-1', { live: true });
    assert.equal(table.prices.albHour.usd, 0.0225);
    const albPages = fake.requests.filter((r) => r.ServiceCode === 'AWSELB' && r.Filters.some((f) => f.Value === 'Load Balancer-Application'));
    // Two keys query AWSELB's five Application products one at a time: five pages each, four of them with a token.
    assert.equal(albPages.length, 10);
    assert.equal(albPages.filter((r) => r.NextToken).length, 8);
  });

  it('sends, per key, the service code and the region (Route 53: none, it is global)', async () => {
    await port().table('eu-west-1', { live: true });
    assert.ok(fake.requests.every((r) => r.target === 'AWSPriceListService.GetProducts' && r.FormatVersion === 'aws_v1'));
    for (const k of PRICE_KEYS) {
      const q = KEY_QUERIES[k];
      const seen = fake.requests.filter((r) => r.ServiceCode === q.service && (!q.productFamily || r.Filters.some((f) => f.Field === 'productFamily' && f.Value === q.productFamily)));
      assert.ok(seen.length > 0, `${k}: no ${q.service} query`);
      for (const r of seen) {
        const region = r.Filters.filter((f) => f.Field === 'regionCode');
        assert.deepEqual(region, q.regional ? [{ Type: 'TERM_MATCH', Field: 'regionCode', Value: 'eu-west-1' }] : [], k);
      }
    }
  });

  it('caches a whole table for a week: a second run asks nothing; past a week it asks again', async () => {
    await port().table('us-east-1', { live: true });
    const file = path.join(cacheDir, 'us-east-1.json');
    assert.ok(existsSync(file));
    const asked = fake.requests.length;
    const again = await port({ now: new Date(NOW.getTime() + 6 * DAY) }).table('us-east-1', { live: true });
    assert.equal(fake.requests.length, asked, 'a cached table is used without a call');
    assert.deepEqual(again.notes, ['live prices of 2026-12-01, cached']);
    assert.equal(again.table.prices.fargateVcpuHourX86.usd, 0.04048);

    const later = new Date(NOW.getTime() + 8 * DAY);
    const stale = await port({ now: later }).table('us-east-1', { live: true });
    assert.ok(fake.requests.length > asked, 'an 8-day-old cache is fetched again');
    assert.equal(stale.table.checked, '2026-12-09');
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { table: PriceTable }).table.checked, '2026-12-09');
  });

  it('ignores a corrupt cache file and replaces it', async () => {
    const file = path.join(cacheDir, 'us-east-1.json');
    writeFileSync(file, '{"version":1,"fetchedAt":"2026-12-01T09:00:00Z","table":{"region":"us-east-1"');
    const { table, notes } = await port().table('us-east-1', { live: true });
    assert.ok(fake.requests.length > 0);
    assert.equal(table.origin, 'live');
    assert.match(notes[0]!, /from the AWS Price List API/);
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { table: PriceTable }).table.prices.albHour.usd, 0.0225);
  });

  it('falls back to the bundled table on a 400 AccessDeniedException, naming the permission', async () => {
    fake.deny();
    const { table, notes } = await port().table('us-east-1', { live: true });
    assert.deepEqual(table, bundled('us-east-1'));
    assert.equal(notes.length, 1);
    assert.match(notes[0]!, /^live prices unavailable \(Price List GetProducts: access denied: .*pricing:GetProducts\): using the bundled prices of 2026-11-30$/);
    assert.ok(!existsSync(path.join(cacheDir, 'us-east-1.json')), 'a fallback is not cached');
  });

  it('falls back when the API stops answering, within the deadline', async () => {
    fake.stall();
    const started = Date.now();
    const { table, notes } = await port({ deadlineMs: 400 }).table('us-east-1', { live: true });
    assert.ok(Date.now() - started < 3_000, `took ${Date.now() - started} ms`);
    assert.equal(table.origin, 'bundled');
    assert.deepEqual(notes, ['live prices unavailable (the Price List API did not answer within 0.4 s): using the bundled prices of 2026-11-30']);
  });

  it('takes the bundled price for a key the answer lacks, says which, and does not cache the mix', async () => {
    fake.omit('Fargate-ARM-GB-Hours');
    const { table, notes } = await port().table('us-east-1', { live: true });
    assert.equal(table.origin, 'live');
    assert.deepEqual(table.prices.fargateGbHourArm, bundled('us-east-1').prices.fargateGbHourArm);
    assert.equal(table.prices.fargateVcpuHourArm.usd, 0.03238);
    assert.deepEqual(notes, ['live prices of 2026-12-01; bundled prices of 2026-11-30 for 1 the Price List API did not give: fargateGbHourArm (not in the answer)']);
    assert.ok(!existsSync(path.join(cacheDir, 'us-east-1.json')));
  });

  it('without live: the bundled table and no call', async () => {
    const { table, notes } = await port().table('us-east-1', { live: false });
    assert.equal(table.origin, 'bundled');
    assert.deepEqual(notes, []);
    assert.equal(fake.requests.length, 0);
  });

  it('refuses a region that is not region-shaped before any call or file name', async () => {
    const { table, notes } = await port().table('../../etc/x', { live: true });
    assert.equal(table.origin, 'bundled');
    assert.match(notes[0]!, /"\.\.\/\.\.\/etc\/x" is not an AWS region name/);
    assert.equal(fake.requests.length, 0);
  });
});

describe('reading Price List entries', () => {
  const entries = fixtureEntries().map((e) => JSON.stringify(e));

  it('takes the tier that begins at 0, whatever order the dimensions come in', () => {
    const anywhere = entries.find((e) => e.includes('ECS-Anywhere-Instance-hours-WithFree'))!;
    assert.equal(readEntry(anywhere).usd, 0);
    assert.equal(pickPrice('metricMonth', 'us-east-1', entries).usd, 0.3);
    assert.equal(pickPrice('route53ZoneMonth', 'us-east-1', entries).usd, 0.5);
  });

  it('matches a region-prefixed usage type, and not its look-alikes', () => {
    assert.equal(pickPrice('albHour', 'us-east-2', entries).sku, 'XA2ALBHOURUSE2X7');
    assert.equal(pickPrice('albHour', 'us-east-1', entries).sku, 'XA1ALBHOURUSE1X1');
    assert.throws(() => pickPrice('lcuHour', 'us-east-2', entries), new PriceListProblem('not in the answer'));
  });

  it('refuses an unexpected unit and two different prices for one key', () => {
    const alb = JSON.parse(entries.find((e) => e.includes('XA1ALBHOURUSE1X1'))!) as { terms: { OnDemand: Record<string, { priceDimensions: Record<string, { unit: string; pricePerUnit: { USD: string } }> }> } };
    const dim = Object.values(Object.values(alb.terms.OnDemand)[0]!.priceDimensions)[0]!;
    dim.unit = 'Seconds';
    assert.throws(() => pickPrice('albHour', 'us-east-1', [JSON.stringify(alb)]), /priced per "Seconds"/);
    dim.unit = 'Hrs';
    const twin = JSON.stringify(alb).replaceAll('XA1ALBHOURUSE1X1', 'XA1ALBHOURTWIN99').replace('"0.0225000000"', '"0.0300000000"');
    assert.throws(() => pickPrice('albHour', 'us-east-1', [JSON.stringify(alb), twin]), /2 products match/);
    assert.throws(() => pickPrice('albHour', 'us-east-1', ['{"product": LoadBalancerUsage']), /not JSON/);
  });

  it('caches under $XDG_CACHE_HOME/hello-deploy/prices', () => {
    const xdg = mkdtempSync(path.join(tmpdir(), 'hd-xdg-'));
    try {
      assert.equal(pricesCacheDir({ XDG_CACHE_HOME: xdg }), path.join(xdg, 'hello-deploy', 'prices'));
    } finally {
      rmSync(xdg, { recursive: true, force: true });
    }
  });
});

// The port the commands use (cli/adapters/prices.ts): against an emulator it never asks the real Price List API
// (no emulator serves it, and the network rule forbids the call), and without --live-prices it is the bundled table.
describe('the commands\' price port', () => {
  it('stays on the bundled table without --live-prices, and against --endpoint-url even with it, saying why', async () => {
    const { pricePort } = await import('../cli/adapters/prices.ts');
    const plain = await pricePort({}).table('us-east-1', { live: false });
    assert.equal(plain.table.origin, 'bundled');
    assert.equal(plain.table.region, 'us-east-1');
    assert.deepEqual(plain.notes, []);
    const emulated = await pricePort({ endpointUrl: 'http://127.0.0.1:1' }).table('us-east-1', { live: true });
    assert.equal(emulated.table.origin, 'bundled');
    assert.match(emulated.notes.join('\n'), /not read against --endpoint-url/);
  });
});
