// The cost model (cli/domain/cost.ts) over the real templates, each line pinned to a figure computed by hand from
// AWS's published us-east-1 prices (the README's "What it costs" writes the same arithmetic out), and the estimate
// following the template text with no code change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { costFacts, keptImages } from '../cli/domain/cost-template.ts';
import { estimateCost, lcus, costSummary } from '../cli/domain/cost.ts';
import { BUNDLED_TABLES, US_EAST_1 } from '../cli/domain/price-tables.ts';
import { bundledPrices } from '../cli/adapters/bundled-prices.ts';
import { STALE_AFTER_DAYS } from '../cli/domain/prices.ts';

const INFRA = readFileSync(new URL('../infra/hello-world-infra.yaml', import.meta.url), 'utf8');
const ECR = readFileSync(new URL('../infra/hello-world-ecr-infra.yaml', import.meta.url), 'utf8');
const NOW = new Date('2026-12-01T00:00:00Z');
const PARAMS = { Ecosystem: 'main', EmailAddress: 'a@example.com', ImageId: 'x', SSLCert: 'arn:aws:acm:us-east-1:1:certificate/x' };

// The reference case by hand: us-east-1, one X86_64 task of 0.25 vCPU and 0.5 GB, 730 hours, idle.
const HAND = {
  alb: 0.0225 * 730, // 16.425
  lcu: 0,
  ipv4: 3 * 0.005 * 730, // the ALB's 2 AZs + 1 task: 10.95
  vcpu: 0.25 * 0.04048 * 730, // 7.3876
  gb: 0.5 * 0.004445 * 730, // 1.622425
  alarm: 2 * 0.1, // one metric-math alarm reading 2 metrics: 0.20
  insights: 32 * 0.3, // 9.60
  logsIngest: 0.1 * 0.5, // 0.05
  logsStorage: 0.1 * (14 / 30.42) * 0.03, // 0.0014
  ecr: 20 * 0.1 * 0.1, // 20 images kept × 0.1 GB: 0.20
};
const handTotal = Object.values(HAND).reduce((a, b) => a + b, 0);

test('the reference case: every line pinned to the hand-computed figure, the total within 2 %', () => {
  const c = estimateCost(costFacts(INFRA, PARAMS, ECR), US_EAST_1, { now: NOW });
  const by = Object.fromEntries(c.lines.map((l) => [l.key, l.monthly]));
  const near = (got: number | undefined, want: number) => assert.ok(got !== undefined && Math.abs(got - want) <= 0.006, `${got} ≠ ${want}`);
  near(by['alb'], HAND.alb);
  near(by['lcu'], HAND.lcu);
  near(by['ipv4'], HAND.ipv4);
  near(by['fargate-vcpu'], HAND.vcpu);
  near(by['fargate-gb'], HAND.gb);
  near(by['alarm'], HAND.alarm);
  near(by['insights'], HAND.insights);
  near(by['logs-ingest'], HAND.logsIngest);
  near(by['logs-storage'], HAND.logsStorage);
  near(by['ecr'], HAND.ecr);
  assert.ok(Math.abs(c.monthly - handTotal) / handTotal < 0.02, `${c.monthly} vs ${handTotal}`);
  assert.equal(c.architecture, 'X86_64');
  assert.deepEqual(c.tasks, { low: 1, expected: 1, high: 4 });
  assert.deepEqual(c.task, { vcpu: 0.25, gb: 0.5, publicIp: true });
  // MaxTasks 4: three more tasks, each 9.010025 of Fargate and one address (3.65).
  assert.ok(Math.abs(c.high - (handTotal + 3 * (HAND.vcpu + HAND.gb + 3.65) + 3 * HAND.logsIngest)) < 0.05, String(c.high));
  assert.equal(c.low, c.monthly);
  assert.equal(c.prices.stale, false);
  assert.match(costSummary(c), /^\$46\.\d\d\/mo at 1 task \(\$46\.\d\d–\$8\d\.\d\d\/mo for 1–4\)$/);
  for (const l of c.lines) assert.ok(l.source.startsWith('https://'), `${l.key} has a source`);
});

test('the estimate follows the template text: Cpu, Memory, the CpuArchitecture default, MaxTasks, retention', () => {
  const changed = INFRA.replace("Cpu: '256'", "Cpu: '1024'").replace("Memory: '512'", "Memory: '2048'")
    .replace(/(CpuArchitecture:\n(?:.*\n)*? {4}Default: )X86_64/, '$1ARM64')
    .replace(/(MaxTasks:\n(?:.*\n)*? {4}Default: )4/, '$17')
    .replace('RetentionInDays: 14', 'RetentionInDays: 90');
  const f = costFacts(changed, PARAMS, ECR);
  assert.deepEqual(f.task, { vcpu: 1, gb: 2, architecture: 'ARM64', publicIp: true });
  assert.deepEqual(f.tasks, { min: 1, max: 7 });
  assert.deepEqual(f.logRetentionDays, [90]);
  const c = estimateCost(f, US_EAST_1, { now: NOW });
  const by = Object.fromEntries(c.lines.map((l) => [l.key, l]));
  assert.equal(by['fargate-vcpu']!.monthly, Math.round(1 * 0.03238 * 730 * 100) / 100);
  assert.equal(by['fargate-gb']!.monthly, Math.round(2 * 0.00356 * 730 * 100) / 100);
  assert.match(by['logs-storage']!.what, /90-day/);
  assert.equal(c.tasks.high, 7);
  // A parameter still wins over the template's default.
  assert.equal(costFacts(changed, { ...PARAMS, CpuArchitecture: 'X86_64', MaxTasks: '2' }, ECR).task!.architecture, 'X86_64');
  assert.equal(costFacts(changed, { ...PARAMS, MaxTasks: '2' }, ECR).tasks.max, 2);
  // No public IP for the tasks: only the ALB's addresses.
  const privateTasks = estimateCost(costFacts(INFRA.replace('AssignPublicIp: ENABLED', 'AssignPublicIp: DISABLED'), PARAMS, ECR), US_EAST_1, { now: NOW });
  assert.equal(privateTasks.lines.find((l) => l.key === 'ipv4')!.quantity, 2 * 730);
});

test('the domain path adds a hosted zone line (queries to the alias are free); without a zone, none', () => {
  const withZone = costFacts(INFRA, { ...PARAMS, DomainName: 'hello.example.com', HostedZoneId: 'Z123' }, ECR);
  assert.deepEqual(withZone.domain, { records: 1, aliasRecords: 1, certificates: 1, hostedZoneId: 'Z123' });
  const c = estimateCost(withZone, US_EAST_1, { now: NOW });
  assert.equal(c.lines.find((l) => l.key === 'route53-zone')!.monthly, 0.5);
  assert.equal(c.lines.find((l) => l.key === 'route53-queries')!.monthly, 0);
  assert.equal(costFacts(INFRA, PARAMS, ECR).domain.records, 0);
});

test('traffic: LCUs from the new-connection dimension, logs grow with requests', () => {
  assert.equal(lcus(0), 0);
  assert.equal(lcus(25), 1);
  const c = estimateCost(costFacts(INFRA, PARAMS, ECR), US_EAST_1, { now: NOW, trafficRps: 10 });
  assert.equal(c.lines.find((l) => l.key === 'lcu')!.monthly, Math.round(0.4 * 730 * 0.008 * 100) / 100);
  assert.ok(c.assumptions.some((a) => a.includes('10 req/s')));
});

test('status prices the real count; a price table past STALE_AFTER_DAYS is flagged', () => {
  const f = costFacts(INFRA, PARAMS, ECR);
  const none = estimateCost(f, US_EAST_1, { now: NOW, expectedTasks: 0 });
  assert.equal(none.lines.find((l) => l.key === 'insights')!.monthly, 0);
  assert.equal(none.lines.find((l) => l.key === 'fargate-vcpu')!.monthly, 0);
  const later = new Date(Date.parse(`${US_EAST_1.checked}T00:00:00Z`) + (STALE_AFTER_DAYS + 1) * 86_400_000);
  const stale = estimateCost(f, US_EAST_1, { now: later });
  assert.equal(stale.prices.stale, true);
  assert.match(stale.basis, /STALE/);
});

test('the bundled tables: seven regions, every key priced; an unknown region gets us-east-1 and says so', async () => {
  for (const r of ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-northeast-1', 'ap-southeast-2']) {
    assert.equal(BUNDLED_TABLES[r]!.region, r);
  }
  const { table, notes } = await bundledPrices.table('sa-east-1', { live: false });
  assert.equal(table.region, 'us-east-1');
  assert.match(notes.join(' '), /no bundled prices for sa-east-1/);
  const eu = await bundledPrices.table('eu-central-1', { live: false });
  assert.match(eu.table.prices.albHour.source, /^not confirmed for eu-central-1/);
  assert.equal(keptImages('{"rules":[{"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countNumber":7}}]}'), undefined);
});

test('a --domain deploy is priced with its record and the zone line before the zone is looked up', async () => {
  const { deployCost } = await import('../cli/deploy/cost.ts');
  const pricing = { infraTemplate: INFRA, ecrTemplate: ECR, table: US_EAST_1, notes: [] };
  const plain = deployCost({ architecture: 'X86_64' }, pricing, NOW);
  const domain = deployCost({ architecture: 'X86_64', domain: { name: 'app.example.com' } } as never, pricing, NOW);
  assert.equal(plain.lines.find((l) => l.key === 'route53-zone'), undefined);
  const zone = domain.lines.find((l) => l.key === 'route53-zone');
  assert.ok(zone, 'the zone line is there with a domain');
  assert.equal(zone.monthly, US_EAST_1.prices.route53ZoneMonth.usd);
  assert.ok(Math.abs(domain.monthly - plain.monthly - zone.monthly) < 0.011, `${domain.monthly} − ${plain.monthly}`);
});
