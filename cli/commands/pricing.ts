// The cost estimate's inputs for a command: both templates' text (the ones this checkout deploys), the region's
// price table from the PricePort (bundled, or live with --live-prices), and the traffic assumption.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Pricing } from '../domain/cost.ts';
import { pricePort } from '../adapters/prices.ts';

export async function loadPricing(input: { projectDir: string; region: string; live?: boolean; trafficRps?: number; profile?: string; endpointUrl?: string; signal?: AbortSignal }): Promise<Pricing | undefined> {
  try {
    const [infraTemplate, ecrTemplate] = await Promise.all([
      readFile(path.join(input.projectDir, 'infra/hello-world-infra.yaml'), 'utf8'),
      readFile(path.join(input.projectDir, 'infra/hello-world-ecr-infra.yaml'), 'utf8'),
    ]);
    const { table, notes } = await pricePort({ region: input.region, ...(input.profile ? { profile: input.profile } : {}), ...(input.endpointUrl ? { endpointUrl: input.endpointUrl } : {}) }).table(input.region, { live: input.live === true, ...(input.signal ? { signal: input.signal } : {}) });
    return { infraTemplate, ecrTemplate, table, notes, ...(input.trafficRps !== undefined ? { trafficRps: input.trafficRps } : {}) };
  } catch {
    // Without its templates (a broken install) there is nothing to price: the estimate is left out, not guessed.
    return undefined;
  }
}
