// PricePort for `--live-prices`: the AWS Price List Query API (GetProducts), one query per PriceKey (price-list.ts
// says which), cached per region for a week, and the bundled table whenever the API cannot answer.
//
// The Query API is served from a few regions only, whatever region is being priced: "the following two endpoints:
// https://api.pricing.us-east-1.amazonaws.com, https://api.pricing.ap-south-1.amazonaws.com" (the service's API
// reference, https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/Welcome.html#Welcome_AWS_Price_List_Service,
// as the SDKs quote it: https://docs.rs/aws-sdk-pricing/0.24.0/aws_sdk_pricing/; eu-central-1 was added since). So the
// client always talks to us-east-1 and the region being priced is a filter (regionCode). The IAM action is
// pricing:GetProducts, with no resource-level permissions.
//
// Fallback, whole or per key:
// - a failed call (no credentials, access denied, throttling, an endpoint that stops answering, the whole fetch past
//   its deadline) abandons the fetch: the bundled table is used as it is, and one note says why;
// - a key the answers do not price (no product matches, several do at different prices, an unreadable entry, an
//   unexpected unit) takes the bundled price for that key alone, whose source still names its pricing page, and the
//   note lists those keys with why. Such a mixed table is not cached, so the next run asks again.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cacheRoot } from '../../core/paths.ts';
import { PRICE_KEYS, type Price, type PriceKey, type PriceTable } from '../../domain/prices.ts';
import { shown } from '../../domain/shown.ts';
import type { PricePort } from '../../ports/prices.ts';
import { clientConfig } from './config.ts';
import { mapAwsError } from './errors.ts';
import { KEY_QUERIES, PriceListProblem, filtersFor, pickPrice } from './price-list.ts';

export interface LivePriceOptions {
  /** --profile: whose credentials sign the GetProducts calls. */
  profile?: string;
  /** --endpoint-url-like override for the Price List endpoint (tests: the loopback FakePriceList). */
  endpointUrl?: string;
  /** Where `<region>.json` is cached (pricesCacheDir()); undefined: no cache, every run asks. */
  cacheDir: string | undefined;
  now: () => Date;
  /** The bundled table for a region: what any failure falls back to. */
  fallback: (region: string) => PriceTable;
  /** Bound on the whole fetch, every query and page included; default 20 s. Each call also has clientConfig's bounds. */
  deadlineMs?: number;
}

/** A cached table is used without a call for this long. */
export const CACHE_DAYS = 7;
const DAY_MS = 86_400_000;
/** Queries in flight at once: 14 keys in four rounds, gentle on the API's rate limits. */
const PARALLEL = 4;
/** Pages per key (100 products each); a key that needs more has filters too loose to trust. */
const MAX_PAGES = 5;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** hello-deploy's price cache folder: $XDG_CACHE_HOME/hello-deploy/prices (or ~/.cache/…); undefined without one. */
export function pricesCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const root = cacheRoot(env);
  return root ? path.join(root, 'prices') : undefined;
}

interface CacheFile {
  version: 1;
  /** When the table was fetched (ISO time); the week is counted from it. */
  fetchedAt: string;
  table: PriceTable;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

function isPrice(p: unknown): p is Price {
  const x = p as Price | undefined;
  return !!x && typeof x.usd === 'number' && Number.isFinite(x.usd) && x.usd >= 0 && typeof x.unit === 'string' && typeof x.source === 'string';
}

/** The cached table for `region` when it is whole, ours and younger than a week; anything else reads as none. */
async function readCache(file: string, region: string, now: Date): Promise<CacheFile | undefined> {
  try {
    const c = JSON.parse(await readFile(file, 'utf8')) as CacheFile;
    const age = now.getTime() - Date.parse(c.fetchedAt);
    const t = c.table;
    const whole = t?.region === region && t.origin === 'live' && typeof t.checked === 'string' && PRICE_KEYS.every((k) => isPrice(t.prices?.[k]));
    // A fetch time in the future (a clock set back) is not trusted to be fresh.
    return c.version === 1 && whole && age >= 0 && age < CACHE_DAYS * DAY_MS ? c : undefined;
  } catch {
    return undefined; // absent, unreadable or corrupt: fetched again and overwritten
  }
}

/** Written to a temporary file beside it and renamed, so a reader never sees half a file. */
async function writeCache(file: string, content: CacheFile): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}

/** A failed call in one line: "Price List GetProducts: access denied: User: … is not authorized …". */
function why(err: unknown, endpoint: string | undefined): string {
  const line = mapAwsError(err, { service: 'Price List', operation: 'GetProducts', ...(endpoint ? { endpoint } : {}) }).message.split('\n')[0]!;
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

export function livePricePort(opts: LivePriceOptions): PricePort {
  const deadlineMs = opts.deadlineMs ?? 20_000;

  async function fetchAll(region: string, signal: AbortSignal): Promise<Map<PriceKey, Price | { problem: string }>> {
    const pricing = await import('@aws-sdk/client-pricing');
    const client = new pricing.PricingClient((await clientConfig({ region: 'us-east-1', ...(opts.profile ? { profile: opts.profile } : {}), ...(opts.endpointUrl ? { endpointUrl: opts.endpointUrl } : {}) })) as import('@aws-sdk/client-pricing').PricingClientConfig);
    const out = new Map<PriceKey, Price | { problem: string }>();
    const queue = [...PRICE_KEYS];
    const one = async (key: PriceKey) => {
      const q = KEY_QUERIES[key];
      const entries: string[] = [];
      let token: string | undefined;
      for (let page = 0; ; page++) {
        if (page === MAX_PAGES) return void out.set(key, { problem: `more than ${MAX_PAGES * 100} products answer its filters` });
        const res = await client.send(new pricing.GetProductsCommand({ ServiceCode: q.service, Filters: filtersFor(key, region), FormatVersion: 'aws_v1', MaxResults: 100, ...(token ? { NextToken: token } : {}) }), { abortSignal: signal });
        // The SDK hands each entry over as a LazyJsonString (a boxed string), hence String().
        const list: unknown = res.PriceList;
        if (Array.isArray(list)) entries.push(...list.map((e: unknown) => String(e)));
        token = res.NextToken || undefined;
        if (!token) break;
      }
      try {
        const p = pickPrice(key, region, entries);
        out.set(key, { usd: p.usd, unit: p.unit, source: `AWS Price List API, ${q.service} SKU ${p.sku}` });
      } catch (err) {
        if (!(err instanceof PriceListProblem)) throw err;
        out.set(key, { problem: err.message });
      }
    };
    try {
      await Promise.all(Array.from({ length: PARALLEL }, async () => {
        for (let key = queue.shift(); key; key = queue.shift()) await one(key);
      }));
      return out;
    } finally {
      client.destroy();
    }
  }

  return {
    async table(region, { live, signal }) {
      if (!live) return { table: opts.fallback(region), notes: [] };
      const bundled = (reason: string) => {
        const table = opts.fallback(region);
        return { table, notes: [`live prices unavailable (${reason}): using the bundled prices of ${table.checked}`] };
      };
      // The region names a cache file and goes into every query: only a region-shaped name gets that far.
      if (!REGION.test(region)) return bundled(`${shown(region)} is not an AWS region name`);
      const now = opts.now();
      const file = opts.cacheDir ? path.join(opts.cacheDir, `${region}.json`) : undefined;
      const cached = file ? await readCache(file, region, now) : undefined;
      if (cached) return { table: cached.table, notes: [`live prices of ${cached.table.checked}, cached`] };

      const controller = new AbortController();
      const onAbort = () => controller.abort(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => controller.abort(new Error('deadline')), deadlineMs);
      let got: Map<PriceKey, Price | { problem: string }>;
      try {
        if (signal?.aborted) throw signal.reason;
        got = await fetchAll(region, controller.signal);
      } catch (err) {
        controller.abort();
        if (signal?.aborted) return bundled('cancelled');
        if (controller.signal.reason instanceof Error && controller.signal.reason.message === 'deadline') {
          return bundled(`the Price List API did not answer within ${Math.round(deadlineMs / 100) / 10} s`);
        }
        return bundled(why(err, opts.endpointUrl));
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      }

      const checked = day(now);
      const missing = PRICE_KEYS.filter((k) => 'problem' in got.get(k)!);
      if (missing.length === PRICE_KEYS.length) return bundled(`the answers priced no key; ${PRICE_KEYS[0]}: ${(got.get(PRICE_KEYS[0])! as { problem: string }).problem}`);
      const fb = missing.length ? opts.fallback(region) : undefined;
      const prices = Object.fromEntries(PRICE_KEYS.map((k) => {
        const p = got.get(k)!;
        return [k, 'problem' in p ? fb!.prices[k] : p];
      })) as Record<PriceKey, Price>;
      const table: PriceTable = { region, checked, origin: 'live', prices };
      if (missing.length) {
        const list = missing.map((k) => `${k} (${(got.get(k) as { problem: string }).problem})`).join(', ');
        return { table, notes: [`live prices of ${checked}; bundled prices of ${fb!.checked} for ${missing.length} the Price List API did not give: ${list}`] };
      }
      const notes = [`live prices of ${checked} from the AWS Price List API`];
      if (file) {
        try {
          await writeCache(file, { version: 1, fetchedAt: now.toISOString(), table });
        } catch (err) {
          notes.push(`not cached: ${err instanceof Error ? err.message.split('\n')[0]! : String(err)}`);
        }
      }
      return { table, notes };
    },
  };
}
