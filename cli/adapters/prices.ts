// Which PricePort the commands use. The live Price List adapter (cli/adapters/aws/pricing.ts, `--live-prices`)
// plugs in here: this is the one line to change when it lands; until then both answer from the bundled tables.
import type { PricePort } from '../ports/prices.ts';
import { bundledPrices } from './bundled-prices.ts';

export const pricePort = (_aws: { region?: string; profile?: string }): PricePort => bundledPrices;
