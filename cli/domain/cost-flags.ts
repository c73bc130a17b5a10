// The cost estimate's flags, shared by deploy and status: --traffic <req/s> (the traffic the LCU and log lines are
// priced for; default idle) and --live-prices (the Price List API instead of the bundled table).
import { UsageError } from '../core/errors.ts';
import { shown } from './shown.ts';

/** Far above what one hello-world ALB serves; a typo (an extra zero or three) is refused rather than priced. */
export const TRAFFIC_MAX = 100_000;

export function parseTraffic(raw: string, flag = '--traffic'): number {
  if (!/^\d{1,6}(\.\d{1,3})?$/.test(raw) || Number(raw) > TRAFFIC_MAX) {
    throw new UsageError('BAD_INPUT', `${flag} ${shown(raw)} is not a request rate: give requests per second, a number from 0 to ${TRAFFIC_MAX.toLocaleString('en-US')} (e.g. 5 or 0.5).`);
  }
  return Number(raw);
}

export interface CostFlags {
  /** --traffic: requests per second. */
  traffic?: string;
  /** --live-prices */
  livePrices?: boolean;
}
