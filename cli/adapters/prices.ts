// Which PricePort the commands use: the bundled tables, or with --live-prices the AWS Price List Query API
// (cli/adapters/aws/pricing.ts), cached for a week and falling back to the bundled table, saying why.
import { pricesCacheDir, livePricePort } from './aws/pricing.ts';
import { bundledPrices } from './bundled-prices.ts';
import type { PricePort } from '../ports/prices.ts';

export const pricePort = (aws: { region?: string; profile?: string; endpointUrl?: string }): PricePort => ({
  async table(region, options) {
    const bundled = await bundledPrices.table(region, { live: false });
    if (!options.live) return bundled;
    // An emulator serves no Price List API, and the real one would price an account this run never touches:
    // against --endpoint-url the estimate stays on the bundled table, and says so.
    if (aws.endpointUrl) return { table: bundled.table, notes: [...bundled.notes, '--live-prices is not read against --endpoint-url (no emulator serves the Price List API): bundled prices used'] };
    const live = livePricePort({ ...(aws.profile ? { profile: aws.profile } : {}), cacheDir: pricesCacheDir(), now: () => new Date(), fallback: () => bundled.table });
    const read = await live.table(region, options);
    return { table: read.table, notes: read.table.origin === 'bundled' ? [...bundled.notes, ...read.notes] : read.notes };
  },
});
