// What an ecosystem costs per month, line by line, computed from the templates and parameters deployed
// (cli/domain/cost-template.ts reads them) and a price table (cli/domain/prices.ts; bundled: price-tables.ts).
// Pure. Every line says its unit price, quantity and source; the totals are a range over the task count (the
// autoscaling minimum … MaxTasks) with the expected count in between; what the model assumes (traffic, log volume,
// image size) is said beside it, since no template can know it.
import { archFlagValue } from './architecture.ts';
import { costFacts, type CostFacts } from './cost-template.ts';
import { priceAgeDays, STALE_AFTER_DAYS, type PriceKey, type PriceTable } from './prices.ts';

/** A month as AWS's pricing examples count it. */
export const HOURS_PER_MONTH = 730;
/** Days in an average month (365 / 12), to turn a retention in days into the share of a month's logs kept. */
const DAYS_PER_MONTH = 30.42;

/**
 * Container Insights (standard) on Fargate: the metrics one cluster with one service and one task family emits, by
 * our count of the Fargate rows of the metrics table
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html): CPU and
 * memory reserved/utilized, network rx/tx and ephemeral storage reserved/utilized, each per cluster, per service and
 * per task family (8 × 3); DesiredTaskCount, RunningTaskCount, PendingTaskCount, DeploymentCount and TaskSetCount
 * per service (5); ServiceCount and TaskCount per cluster (2); TaskCount per task family (1). Not checked against a
 * bill. They are billed as custom metrics, and only while a task runs (the ECS guide's Container Insights page).
 */
export const CONTAINER_INSIGHTS_METRICS = 32;

/** Defaults for what the model cannot know; each is stated wherever the estimate shows. */
export const ASSUME = {
  /** Log lines of an idle task: ALB health checks every 10 s from two nodes and the container's own every 15 s, ~150 bytes each (gunicorn's access log). */
  idleLogGbPerTask: 0.1,
  /** Log bytes per request (one access-log line). */
  logBytesPerRequest: 200,
  /** Compressed size of one image (a python slim base and Flask); ECR stores shared layers once, so kept × size is an upper bound. */
  imageGb: 0.1,
  /** Bytes an ALB processes per request (request and response), for the LCU's processed-bytes dimension. */
  bytesPerRequest: 10_000,
  /** How long a connection stays open, for the LCU's active-connections dimension. */
  connectionSeconds: 1,
} as const;

export interface CostUsage {
  /** Tasks running in the expected case (status: the real running count; a new deploy: the autoscaling minimum). */
  expectedTasks?: number;
  /** Requests per second (0: idle). */
  trafficRps?: number;
  /** Log ingestion per month; default from ASSUME. */
  logGbPerMonth?: number;
  /** Compressed size of one image, when known. */
  imageGb?: number;
  now: Date;
}

export interface CostLine {
  key: string;
  what: string;
  /** USD per unit. */
  unitUsd: number;
  unit: string;
  quantity: number;
  /** What the quantity counts: "hours", "addresses × hours", … */
  quantityUnit: string;
  /** USD, rounded to cents. */
  monthly: number;
  source: string;
}

export interface CostEstimate {
  region: string;
  /** USD per month in the expected case, rounded to cents. */
  monthly: number;
  low: number;
  high: number;
  tasks: { low: number; expected: number; high: number };
  architecture: string;
  task?: { vcpu: number; gb: number; publicIp: boolean };
  /** The lines at the expected task count. */
  lines: CostLine[];
  assumptions: string[];
  /** What the estimate cannot know, and leaves out. */
  excludes: string;
  prices: { checked: string; origin: 'bundled' | 'live'; ageDays: number; stale: boolean; notes: string[] };
  /** "us-east-1 bundled prices of 2026-11-30": say it wherever the figure is shown. */
  basis: string;
}

const cents = (n: number) => Math.round(n * 100) / 100;

/** LCUs an ALB uses at `rps` requests a second: the highest of AWS's four dimensions (ELB pricing page). */
export function lcus(rps: number): number {
  if (rps <= 0) return 0;
  const newConnections = rps / 25; // one new connection per request (no keep-alive), 25 a second per LCU
  const active = (rps * ASSUME.connectionSeconds) / 3000; // 3,000 active connections (per minute) per LCU
  const processedGbPerHour = (rps * 3600 * ASSUME.bytesPerRequest) / 1e9; // 1 GB an hour per LCU (targets: IPs)
  // Rule evaluations: the listener has only its default action, and the first 10 rules are free.
  return Math.max(newConnections, active, processedGbPerHour);
}

function linesAt(facts: CostFacts, table: PriceTable, tasks: number, usage: CostUsage): CostLine[] {
  const price = (k: PriceKey) => table.prices[k];
  const line = (key: string, what: string, k: PriceKey, quantity: number, quantityUnit: string): CostLine => {
    const p = price(k);
    return { key, what, unitUsd: p.usd, unit: p.unit, quantity, quantityUnit, monthly: cents(p.usd * quantity), source: p.source };
  };
  const h = HOURS_PER_MONTH;
  const out: CostLine[] = [];
  const albs = facts.loadBalancers.length;
  if (albs) {
    out.push(line('alb', `Application Load Balancer${albs > 1 ? `s (${albs})` : ''}`, 'albHour', albs * h, 'ALB-hours'));
    const l = lcus(usage.trafficRps ?? 0);
    out.push(line('lcu', `ALB capacity units (${(usage.trafficRps ?? 0) > 0 ? `${usage.trafficRps} req/s: ${l.toFixed(2)} LCU` : 'idle: 0 LCU'})`, 'lcuHour', l * h * albs, 'LCU-hours'));
  }
  const albAddresses = facts.loadBalancers.filter((b) => b.scheme === 'internet-facing').reduce((n, b) => n + b.azs, 0);
  const taskAddresses = facts.task?.publicIp ? tasks : 0;
  const addresses = albAddresses + taskAddresses;
  if (addresses) out.push(line('ipv4', `Public IPv4 addresses (${addresses}: the ALB's ${albAddresses}, one per AZ${facts.task?.publicIp ? ` + ${tasks} task${tasks === 1 ? '' : 's'}` : ''})`, 'ipv4Hour', addresses * h, 'address-hours'));
  if (facts.task) {
    const arm = facts.task.architecture === 'ARM64';
    const size = `${tasks} × ${facts.task.vcpu} vCPU`;
    out.push(line('fargate-vcpu', `Fargate ${archFlagValue(facts.task.architecture)} vCPU (${size})`, arm ? 'fargateVcpuHourArm' : 'fargateVcpuHourX86', tasks * facts.task.vcpu * h, 'vCPU-hours'));
    out.push(line('fargate-gb', `Fargate ${archFlagValue(facts.task.architecture)} memory (${tasks} × ${facts.task.gb} GB)`, arm ? 'fargateGbHourArm' : 'fargateGbHourX86', tasks * facts.task.gb * h, 'GB-hours'));
  }
  if (facts.alarms.count) out.push(line('alarm', `CloudWatch alarm${facts.alarms.count === 1 ? '' : 's'} (${facts.alarms.count}, reading ${facts.alarms.metrics} metric${facts.alarms.metrics === 1 ? '' : 's'})`, 'alarmMonth', facts.alarms.metrics, 'alarm metric-months'));
  // Container Insights metrics exist only while a task runs (ECS sends none for a service with no RUNNING task).
  if (facts.containerInsights) out.push(line('insights', 'Container Insights metrics', 'metricMonth', tasks > 0 ? CONTAINER_INSIGHTS_METRICS : 0, 'metric-months'));
  if (facts.logRetentionDays.length) {
    const ingest = logGb(usage, tasks);
    out.push(line('logs-ingest', 'CloudWatch Logs ingestion', 'logsIngestGb', ingest, 'GB'));
    const retention = facts.logRetentionDays[0];
    // Kept: a month's logs times the share of a month the retention keeps; never-expiring logs are counted after a year.
    const stored = retention === undefined ? ingest * 12 : ingest * Math.min(retention / DAYS_PER_MONTH, 120);
    out.push(line('logs-storage', `CloudWatch Logs storage (${retention === undefined ? 'never expire: after a year' : `${retention}-day retention`})`, 'logsStorageGbMonth', stored, 'GB-months'));
  }
  if (facts.ecrKeptImages !== undefined) {
    const gb = usage.imageGb ?? ASSUME.imageGb;
    out.push(line('ecr', `ECR storage (at most ${facts.ecrKeptImages} images kept × ${gb} GB)`, 'ecrStorageGbMonth', facts.ecrKeptImages * gb, 'GB-months'));
  }
  if (facts.domain.records) {
    out.push(line('route53-zone', 'Route 53 hosted zone (the domain\'s, if it serves only this)', 'route53ZoneMonth', 1, 'zone-months'));
    out.push(line('route53-queries', `Route 53 queries (${facts.domain.aliasRecords ? 'an alias record to the ALB: free' : 'not estimated'})`, 'route53QueriesMillion', 0, 'million queries'));
  }
  return out;
}

function logGb(usage: CostUsage, tasks: number): number {
  if (usage.logGbPerMonth !== undefined) return usage.logGbPerMonth;
  const requests = (usage.trafficRps ?? 0) * 3600 * HOURS_PER_MONTH;
  return Math.round((ASSUME.idleLogGbPerTask * tasks + (requests * ASSUME.logBytesPerRequest) / 1e9) * 1000) / 1000;
}

const sum = (lines: CostLine[]) => cents(lines.reduce((n, l) => n + l.monthly, 0));

export function estimateCost(facts: CostFacts, table: PriceTable, usage: CostUsage, notes: string[] = []): CostEstimate {
  const low = facts.tasks.min;
  const high = Math.max(facts.tasks.max, low);
  const expected = Math.max(0, Math.floor(usage.expectedTasks ?? low));
  const lines = linesAt(facts, table, expected, usage);
  const ageDays = priceAgeDays(table, usage.now);
  const rps = usage.trafficRps ?? 0;
  const assumptions = [
    `${HOURS_PER_MONTH} hours a month, on-demand list prices, no free tier`,
    rps > 0 ? `traffic ${rps} req/s: one new connection per request, ${ASSUME.connectionSeconds} s open, ${ASSUME.bytesPerRequest / 1000} KB processed per request` : 'idle: no traffic (--traffic <req/s> prices some)',
    usage.logGbPerMonth !== undefined ? `${usage.logGbPerMonth} GB of logs a month` : `logs: ${ASSUME.idleLogGbPerTask} GB a month per task (health checks), plus ${ASSUME.logBytesPerRequest} bytes per request`,
    ...(facts.ecrKeptImages !== undefined ? [`images of ${usage.imageGb ?? ASSUME.imageGb} GB each${usage.imageGb === undefined ? ' (assumed)' : ''}`] : []),
    ...(facts.containerInsights ? [`Container Insights: ${CONTAINER_INSIGHTS_METRICS} metrics while a task runs`] : []),
    `tasks: ${low} (autoscaling minimum) … ${high} (MaxTasks), ${expected} expected`,
  ];
  return {
    region: table.region,
    monthly: sum(lines),
    low: sum(linesAt(facts, table, low, usage)),
    high: sum(linesAt(facts, table, high, usage)),
    tasks: { low, expected, high },
    architecture: facts.task?.architecture ?? 'X86_64',
    ...(facts.task ? { task: { vcpu: facts.task.vcpu, gb: facts.task.gb, publicIp: facts.task.publicIp } } : {}),
    lines,
    assumptions,
    excludes: 'data transfer out, Container Insights performance log events, taxes and credits',
    prices: { checked: table.checked, origin: table.origin, ageDays, stale: ageDays > STALE_AFTER_DAYS, notes },
    basis: `${table.region} ${table.origin} prices of ${table.checked}${ageDays > STALE_AFTER_DAYS ? ` (STALE: ${ageDays} days old)` : ''}`,
  };
}

/** `$27.43/mo` */
export const perMonth = (usd: number) => `$${usd.toFixed(2)}/mo`;
/** `$46.59/mo (1 task; $46.59–$84.57 for 1–4)` */
export function costSummary(c: Pick<CostEstimate, 'monthly' | 'low' | 'high' | 'tasks'>): string {
  const n = c.tasks.expected;
  return `${perMonth(c.monthly)} at ${n} task${n === 1 ? '' : 's'} (${perMonth(c.low).replace('/mo', '')}–${perMonth(c.high)} for ${c.tasks.low}–${c.tasks.high})`;
}

/** What pricing an ecosystem needs besides its parameters: the templates' text, a price table, a traffic assumption. */
export interface Pricing {
  infraTemplate: string;
  ecrTemplate?: string;
  table: PriceTable;
  /** What the price source said (a region priced with us-east-1's table, a live fetch that fell back). */
  notes: string[];
  trafficRps?: number;
}

/** The estimate for a stack with these parameters and (when known) this many tasks running; the minimum otherwise. */
export function priceEcosystem(p: Pricing, parameters: Record<string, string>, now: Date, expectedTasks?: number): CostEstimate {
  return estimateCost(costFacts(p.infraTemplate, parameters, p.ecrTemplate), p.table, {
    now,
    ...(expectedTasks !== undefined ? { expectedTasks } : {}),
    ...(p.trafficRps !== undefined ? { trafficRps: p.trafficRps } : {}),
  }, p.notes);
}
