// The prices the cost model (issue 17) multiplies by: one table per region, each price with its unit and where it
// came from. Two sources fill it: the bundled tables (dated, from AWS's public pricing pages) and the AWS Price List
// Query API (`--live-prices`, cached for a week). This file holds only the shape both agree on; the figures live
// beside the model.

/** Every unit price the model uses. A key the template does not need (Route 53 without a domain) is still priced. */
export const PRICE_KEYS = [
  'albHour', // Application Load Balancer, per load balancer-hour
  'lcuHour', // ALB, per LCU-hour
  'ipv4Hour', // public IPv4 address, per address-hour (in use or idle)
  'fargateVcpuHourX86', // Fargate Linux/X86_64, per vCPU-hour
  'fargateGbHourX86', // Fargate Linux/X86_64, per GB-hour
  'fargateVcpuHourArm', // Fargate Linux/ARM64, per vCPU-hour
  'fargateGbHourArm', // Fargate Linux/ARM64, per GB-hour
  'alarmMonth', // CloudWatch standard-resolution metric alarm, per alarm-month (per metric the alarm reads)
  'metricMonth', // CloudWatch custom metric (what Container Insights metrics are billed as), per metric-month
  'logsIngestGb', // CloudWatch Logs standard ingestion, per GB
  'logsStorageGbMonth', // CloudWatch Logs storage (archived), per GB-month
  'ecrStorageGbMonth', // ECR private repository storage, per GB-month
  'route53ZoneMonth', // Route 53 hosted zone, per zone-month (first 25)
  'route53QueriesMillion', // Route 53 standard queries, per million (alias queries to AWS resources are free)
] as const;
export type PriceKey = (typeof PRICE_KEYS)[number];

export interface Price {
  /** USD per unit. */
  usd: number;
  /** "per LCU-hour", "per GB-month", … as a bill would say. */
  unit: string;
  /** Where the figure came from: a pricing page URL, or "AWS Price List API, SKU <sku>". */
  source: string;
}

export interface PriceTable {
  /** The region these prices are for, e.g. us-east-1. */
  region: string;
  /** When the prices were read (YYYY-MM-DD): the bundled table's check date, or the live fetch's day. */
  checked: string;
  /** bundled: shipped with the tool; live: read from the Price List API (possibly from the week-long cache). */
  origin: 'bundled' | 'live';
  prices: Record<PriceKey, Price>;
}

/** Past this age a price is flagged wherever the estimate shows (issue 17: "a price older than 180 days"). */
export const STALE_AFTER_DAYS = 180;

/** Whole days between a table's check date and `now`. */
export function priceAgeDays(table: Pick<PriceTable, 'checked'>, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(`${table.checked}T00:00:00Z`)) / 86_400_000);
}
