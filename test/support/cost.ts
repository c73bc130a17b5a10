// The deploy's cost estimate as the command computes it (cli/deploy/cost.ts): the real templates, the bundled
// us-east-1 table and a fixed day, so screens that show it render the same figures every run.
import { readFileSync } from 'node:fs';
import { deployCost } from '../../cli/deploy/cost.ts';
import { US_EAST_1 } from '../../cli/domain/price-tables.ts';

const PRICING = {
  infraTemplate: readFileSync(new URL('../../infra/hello-world-infra.yaml', import.meta.url), 'utf8'),
  ecrTemplate: readFileSync(new URL('../../infra/hello-world-ecr-infra.yaml', import.meta.url), 'utf8'),
  table: US_EAST_1,
  notes: [],
};

export const costFor = (architecture: 'X86_64' | 'ARM64') => deployCost({ architecture }, PRICING, new Date('2026-12-01T00:00:00Z'));
