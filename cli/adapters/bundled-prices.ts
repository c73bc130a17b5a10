// The bundled PricePort: the region's table from cli/domain/price-tables.ts, never a network call. A region
// without a table gets us-east-1's, and `notes` says so (the estimate shows it beside its basis).
import { BUNDLED_TABLES, unconfirmedPrices, US_EAST_1 } from '../domain/price-tables.ts';
import type { PricePort } from '../ports/prices.ts';

export const bundledPrices: PricePort = {
  async table(region, _options) {
    const own = BUNDLED_TABLES[region];
    const table = own ?? US_EAST_1;
    const notes: string[] = [];
    if (!own) notes.push(`no bundled prices for ${region}: us-east-1's are used (--live-prices reads ${region}'s own)`);
    else if (unconfirmedPrices(own).length) notes.push(`${unconfirmedPrices(own).length} of ${region}'s bundled prices are us-east-1's, not confirmed for ${region}`);
    return { table, notes };
  },
};
