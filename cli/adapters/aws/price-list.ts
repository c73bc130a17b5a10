// What `--live-prices` asks the AWS Price List Query API for, and how it reads the answer: for every PriceKey of the
// cost model, the service code and filters of one GetProducts query, and the rule that picks the one product (SKU)
// among what comes back. Pure: no SDK, no I/O (pricing.ts sends the queries).
//
// The answer's shape (each PriceList entry a JSON string: product {productFamily, attributes, sku}, serviceCode,
// terms.OnDemand.<sku.offerTermCode>.priceDimensions.<rateCode> {unit, beginRange, endRange, pricePerUnit.USD}) is
// AWS's: https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_pricing_GetProducts.html and the
// price list file format, https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/reading-service-price-list-file-for-services.html
//
// Attribute values (service codes, productFamily, usagetype) come from AWS's published price lists, as the bulk offer
// files (https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<ServiceCode>/current/<region>/index.json) and
// GetProducts answers show them. A value AWS renames later is not a wrong price: the key is then "not in the
// answer" and takes the bundled price, saying so.
import type { PriceKey } from '../../domain/prices.ts';

export interface KeyQuery {
  /** GetProducts ServiceCode. */
  service: string;
  /** TERM_MATCH productFamily, when the family is known; narrows the answer to a page or two. */
  productFamily?: string;
  /** TERM_MATCH regionCode: false for Route 53, whose prices are global (its products carry no region). */
  regional: boolean;
  /**
   * The usage type without its region prefix. The Price List writes most regions' usage types with a prefix
   * (USE2-LCUUsage, EU-LCUUsage, APS1-DataProcessing-Bytes) and some of us-east-1's without one (LCUUsage,
   * CW:AlarmMonitorUsage) while others keep theirs (USE1-Fargate-GB-Hours, USE1-PublicIPv4:InUseAddress), and no
   * table maps a region to its prefix. So the query filters on the region and the rule below on the usage type:
   * exactly this text, optionally after one region code (letters then a digit, or EU). That also keeps out the
   * look-alikes beside the product we mean: TS-LoadBalancerUsage (trust stores), Outposts-LCUUsage ($0),
   * ReservedLCUUsage, Fargate-Windows-…, SpotUsage:Fargate-….
   */
  usagetype: string;
  /** Units the Price List may state for this product (matched case-insensitively); another unit is refused. */
  units: RegExp;
  /** The model's unit, as a bill says it. */
  unit: string;
  /** Multiplies the per-unit price: Route 53 prices per query, the model per million. */
  scale?: number;
}

// https://aws.amazon.com/elasticloadbalancing/pricing/ , https://aws.amazon.com/vpc/pricing/ (public IPv4),
// https://aws.amazon.com/fargate/pricing/ , https://aws.amazon.com/cloudwatch/pricing/ ,
// https://aws.amazon.com/ecr/pricing/ , https://aws.amazon.com/route53/pricing/
const HOURS = /^(hrs|hours)$/i;
const fargate = (usagetype: string, unit: string): KeyQuery => ({ service: 'AmazonECS', productFamily: 'Compute', regional: true, usagetype, units: HOURS, unit });

export const KEY_QUERIES: Record<PriceKey, KeyQuery> = {
  albHour: { service: 'AWSELB', productFamily: 'Load Balancer-Application', regional: true, usagetype: 'LoadBalancerUsage', units: HOURS, unit: 'per load balancer-hour' },
  lcuHour: { service: 'AWSELB', productFamily: 'Load Balancer-Application', regional: true, usagetype: 'LCUUsage', units: /^lcu-hrs$/i, unit: 'per LCU-hour' },
  // AmazonVPC's products of a region fit in a page or two, and published examples disagree on the family of the
  // public IPv4 product, so this one filters on the region only.
  ipv4Hour: { service: 'AmazonVPC', regional: true, usagetype: 'PublicIPv4:InUseAddress', units: HOURS, unit: 'per address-hour' },
  fargateVcpuHourX86: fargate('Fargate-vCPU-Hours:perCPU', 'per vCPU-hour'),
  fargateGbHourX86: fargate('Fargate-GB-Hours', 'per GB-hour'),
  fargateVcpuHourArm: fargate('Fargate-ARM-vCPU-Hours:perCPU', 'per vCPU-hour'),
  fargateGbHourArm: fargate('Fargate-ARM-GB-Hours', 'per GB-hour'),
  alarmMonth: { service: 'AmazonCloudWatch', productFamily: 'Alarm', regional: true, usagetype: 'CW:AlarmMonitorUsage', units: /^alarms?$/i, unit: 'per alarm-month' },
  metricMonth: { service: 'AmazonCloudWatch', productFamily: 'Metric', regional: true, usagetype: 'CW:MetricMonitorUsage', units: /^metrics?$/i, unit: 'per metric-month' },
  logsIngestGb: { service: 'AmazonCloudWatch', productFamily: 'Data Payload', regional: true, usagetype: 'DataProcessing-Bytes', units: /^gb$/i, unit: 'per GB ingested' },
  logsStorageGbMonth: { service: 'AmazonCloudWatch', productFamily: 'Storage Snapshot', regional: true, usagetype: 'TimedStorage-ByteHrs', units: /^gb-mo$/i, unit: 'per GB-month' },
  ecrStorageGbMonth: { service: 'AmazonECR', regional: true, usagetype: 'TimedStorage-ByteHrs', units: /^gb-mo$/i, unit: 'per GB-month' },
  route53ZoneMonth: { service: 'AmazonRoute53', productFamily: 'DNS Zone', regional: false, usagetype: 'HostedZone', units: /zone/i, unit: 'per hosted zone-month' },
  route53QueriesMillion: { service: 'AmazonRoute53', productFamily: 'DNS Query', regional: false, usagetype: 'DNS-Queries', units: /^quer(y|ies)$/i, unit: 'per million queries', scale: 1_000_000 },
};

export interface PriceListFilter {
  Type: 'TERM_MATCH';
  Field: string;
  Value: string;
}

/** The GetProducts filters for one key in one region. */
export function filtersFor(key: PriceKey, region: string): PriceListFilter[] {
  const q = KEY_QUERIES[key];
  const filters: PriceListFilter[] = [];
  if (q.regional) filters.push({ Type: 'TERM_MATCH', Field: 'regionCode', Value: region });
  if (q.productFamily) filters.push({ Type: 'TERM_MATCH', Field: 'productFamily', Value: q.productFamily });
  return filters;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const usageRule = (base: string) => new RegExp(`^(?:(?:[A-Z]{2,4}\\d|EU)-)?${escapeRe(base)}$`);

/** One product of a GetProducts answer, as far as the model reads it. */
export interface ListedPrice {
  sku: string;
  usagetype: string;
  unit: string;
  /** USD per Price List unit, of the first tier. */
  usd: number;
}

/** Why an answer gave no price for a key, in a few words. */
export class PriceListProblem extends Error {}

/**
 * Reads one PriceList entry (a JSON string). The on-demand price is the first tier's: the dimension whose beginRange
 * is "0" (CloudWatch metrics, Route 53 zones and queries are tiered; the model prices a small deployment, which stays
 * in the first tier). Several on-demand dimensions starting at 0 with different prices are refused as ambiguous.
 */
export function readEntry(entry: string): ListedPrice & { productFamily?: string; regionCode?: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(entry);
  } catch {
    throw new PriceListProblem('an entry of the answer is not JSON');
  }
  const d = doc as { product?: { sku?: unknown; productFamily?: unknown; attributes?: Record<string, unknown> }; terms?: { OnDemand?: Record<string, { priceDimensions?: Record<string, unknown> }> } };
  const sku = d.product?.sku;
  const attrs = d.product?.attributes;
  if (typeof sku !== 'string' || !/^[A-Z0-9]{1,40}$/.test(sku) || !attrs || typeof attrs !== 'object') throw new PriceListProblem('an entry of the answer has no product SKU or attributes');
  const usagetype = typeof attrs.usagetype === 'string' ? attrs.usagetype : '';
  const dims = Object.values(d.terms?.OnDemand ?? {}).flatMap((t) => Object.values(t?.priceDimensions ?? {})) as { unit?: unknown; beginRange?: unknown; pricePerUnit?: { USD?: unknown } }[];
  const first = dims.filter((x) => x && Number(x.beginRange ?? '0') === 0);
  const prices = new Set(first.map((x) => x.pricePerUnit?.USD));
  if (first.length === 0) throw new PriceListProblem(`SKU ${sku} has no on-demand price starting at 0`);
  if (prices.size > 1) throw new PriceListProblem(`SKU ${sku} has ${prices.size} different first-tier prices`);
  const usd = first[0]!.pricePerUnit?.USD;
  if (typeof usd !== 'string' || !/^\d+(\.\d+)?$/.test(usd)) throw new PriceListProblem(`SKU ${sku} has no USD price`);
  const unit = typeof first[0]!.unit === 'string' ? first[0]!.unit : '';
  return {
    sku,
    usagetype,
    unit,
    usd: Number(usd),
    ...(typeof d.product?.productFamily === 'string' ? { productFamily: d.product.productFamily } : {}),
    ...(typeof attrs.regionCode === 'string' ? { regionCode: attrs.regionCode } : {}),
  };
}

/** The model's price for `key` from every entry GetProducts answered with; throws PriceListProblem. */
export function pickPrice(key: PriceKey, region: string, entries: string[]): { usd: number; unit: string; sku: string } {
  const q = KEY_QUERIES[key];
  const rule = usageRule(q.usagetype);
  // Only the entries this key could mean are read strictly: a malformed look-alike elsewhere in the page is not ours.
  const mine = entries
    .filter((e) => e.includes(q.usagetype))
    .map(readEntry)
    .filter((p) => rule.test(p.usagetype) && (!q.productFamily || p.productFamily === q.productFamily) && (!q.regional || p.regionCode === region));
  if (mine.length === 0) throw new PriceListProblem('not in the answer');
  const distinct = new Set(mine.map((p) => p.usd));
  if (distinct.size > 1) throw new PriceListProblem(`${mine.length} products match (${mine.map((p) => p.sku).join(', ')})`);
  // Equal prices under several SKUs (a product listed twice) are one price; name the first SKU in sort order.
  const chosen = [...mine].sort((a, b) => a.sku.localeCompare(b.sku))[0]!;
  if (!q.units.test(chosen.unit)) throw new PriceListProblem(`SKU ${chosen.sku} is priced per "${chosen.unit.slice(0, 20)}", not ${q.unit.replace(/^per /, '')}`);
  // Per query × 10^6 in binary floating point is 0.39999999999999997: round to what the Price List wrote (≤ 10 places).
  const usd = q.scale ? Number((chosen.usd * q.scale).toPrecision(12)) : chosen.usd;
  return { usd, unit: q.unit, sku: chosen.sku };
}
