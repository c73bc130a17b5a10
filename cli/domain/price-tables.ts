// The bundled price tables: AWS on-demand list prices per region, in USD, each with its unit and the page it was
// read from. Pure data (cli/adapters/bundled-prices.ts serves it; `--live-prices` reads the Price List API instead).
// us-east-1 is the reference case and every figure in it is sourced. For the other regions only what a source
// confirmed is given; a price no source confirmed for a region is us-east-1's, and its `source` says so in words
// (never a guessed regional figure).
//
// To refresh: re-read each page below, change the figure and the table's `checked` date (past STALE_AFTER_DAYS,
// cli/domain/prices.ts, every estimate flags the table as stale), and run test/cost-model.test.ts, whose pinned
// reference figures then need the same change.
import type { Price, PriceKey, PriceTable } from './prices.ts';

export const BUNDLED_CHECKED = '2026-11-30';

const ELB = 'https://aws.amazon.com/elasticloadbalancing/pricing/';
const VPC = 'https://aws.amazon.com/vpc/pricing/ ("Public IPv4 Address"); https://aws.amazon.com/blogs/aws/new-aws-public-ipv4-address-charge-public-ip-insights/';
// aws.amazon.com/fargate/pricing/ renders its rates with a script: the us-east-1 figures were read from pages quoting
// the Price List for us-east-1 (vantage.sh/blog/fargate-pricing; cloudburn.io/blog/aws-fargate-pricing, "as of
// March 2026"), which agree with each other and with factualminds.com's June 2026 x86 figures.
const FARGATE = 'https://aws.amazon.com/fargate/pricing/ (us-east-1 rates as quoted by vantage.sh/blog/fargate-pricing and cloudburn.io/blog/aws-fargate-pricing)';
// Alarms are billed per alarm metric: a metric-math alarm pays for each metric it reads (the page's "per alarm
// metric"; its free tier counts "alarm metrics" too). Container Insights metrics are billed as custom metrics
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cloudwatch-container-insights.html).
const CLOUDWATCH = 'https://aws.amazon.com/cloudwatch/pricing/';
const ECR = 'https://aws.amazon.com/ecr/pricing/';
// Queries to an alias record that points at an AWS resource (the ALB) are free; the first 25 zones cost $0.50 each.
const ROUTE53 = 'https://aws.amazon.com/route53/pricing/';

const p = (usd: number, unit: string, source: string): Price => ({ usd, unit, source });

export const US_EAST_1: PriceTable = {
  region: 'us-east-1',
  checked: BUNDLED_CHECKED,
  origin: 'bundled',
  prices: {
    albHour: p(0.0225, 'per ALB-hour', ELB),
    lcuHour: p(0.008, 'per LCU-hour', ELB),
    ipv4Hour: p(0.005, 'per public IPv4 address-hour', VPC),
    fargateVcpuHourX86: p(0.04048, 'per vCPU-hour (Linux/X86_64)', FARGATE),
    fargateGbHourX86: p(0.004445, 'per GB-hour (Linux/X86_64)', FARGATE),
    fargateVcpuHourArm: p(0.03238, 'per vCPU-hour (Linux/ARM64)', FARGATE),
    fargateGbHourArm: p(0.00356, 'per GB-hour (Linux/ARM64)', FARGATE),
    alarmMonth: p(0.1, 'per alarm metric-month (standard resolution)', CLOUDWATCH),
    metricMonth: p(0.3, 'per metric-month (first 10,000)', CLOUDWATCH),
    logsIngestGb: p(0.5, 'per GB ingested (standard)', CLOUDWATCH),
    logsStorageGbMonth: p(0.03, 'per GB-month stored', CLOUDWATCH),
    ecrStorageGbMonth: p(0.1, 'per GB-month (private repository)', ECR),
    route53ZoneMonth: p(0.5, 'per hosted zone-month (first 25)', ROUTE53),
    route53QueriesMillion: p(0.4, 'per million standard queries', ROUTE53),
  },
};

/**
 * A region's table: what a source confirmed for it, and us-east-1's figure, labelled as such, for the rest.
 * - The public IPv4 charge is one rate, $0.005 per address-hour, in every commercial region (the VPC blog post
 *   announcing it).
 * - Fargate: an earlier revision of AWS's page (https://aws.amazon.com/jp/fargate/pricing/) priced US East (N.
 *   Virginia), US East (Ohio), US West (Oregon) and EU (Ireland) as one group; the same figures are assumed for those
 *   four regions today. Frankfurt, Tokyo and Sydney were priced higher, and no source at hand gave today's figures.
 * - ALB, CloudWatch, ECR and Route 53: no regional figure was confirmed from a source; they are us-east-1's.
 */
function regionTable(region: string, confirmed: ReadonlyArray<PriceKey>): PriceTable {
  const prices = Object.fromEntries(
    Object.entries(US_EAST_1.prices).map(([k, price]) => [
      k,
      confirmed.includes(k as PriceKey) ? price : { ...price, source: `not confirmed for ${region}: us-east-1's figure (${price.source})` },
    ]),
  ) as Record<PriceKey, Price>;
  return { region, checked: BUNDLED_CHECKED, origin: 'bundled', prices };
}

const FARGATE_KEYS: PriceKey[] = ['fargateVcpuHourX86', 'fargateGbHourX86', 'fargateVcpuHourArm', 'fargateGbHourArm'];

export const BUNDLED_TABLES: Readonly<Record<string, PriceTable>> = {
  'us-east-1': US_EAST_1,
  'us-east-2': regionTable('us-east-2', ['ipv4Hour', ...FARGATE_KEYS]),
  'us-west-2': regionTable('us-west-2', ['ipv4Hour', ...FARGATE_KEYS]),
  'eu-west-1': regionTable('eu-west-1', ['ipv4Hour', ...FARGATE_KEYS]),
  'eu-central-1': regionTable('eu-central-1', ['ipv4Hour']),
  'ap-northeast-1': regionTable('ap-northeast-1', ['ipv4Hour']),
  'ap-southeast-2': regionTable('ap-southeast-2', ['ipv4Hour']),
};

/** How many of a table's prices no source confirmed for its region (shown beside the estimate). */
export const unconfirmedPrices = (t: PriceTable): PriceKey[] => (Object.keys(t.prices) as PriceKey[]).filter((k) => t.prices[k].source.startsWith('not confirmed'));
