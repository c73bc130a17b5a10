import type { PriceTable } from '../domain/prices.ts';

/**
 * Where the cost model's prices come from. The bundled implementation never fails; the live one (`--live-prices`)
 * reads the AWS Price List Query API, caches a region's table for a week, and falls back to the bundled table,
 * saying so in `notes`.
 */
export interface PricePort {
  table(region: string, options: { live: boolean; signal?: AbortSignal }): Promise<{ table: PriceTable; notes: string[] }>;
}
