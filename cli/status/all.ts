// `status --all`: every ecosystem of this tool in the account and region, so forgotten branches are found. One
// paginated DescribeStacks lists every live stack with its tags, parameters and outputs; ours are the
// `<ecosystem>-hello-world-infra` stacks (and a lone `<ecosystem>-hello-world-ecr`) tagged ManagedBy=hello-deploy.
// Then each ecosystem's desired count (ECS DescribeServices, a few at a time) and the template its infra stack was
// deployed with (GetTemplate: another branch may run another template) price what it runs.
import { BRANCH_TAG } from '../domain/ecosystem.ts';
import type { Pricing } from '../domain/cost.ts';
import { resourceNames } from '../domain/names.ts';
import type { StackView } from '../ports/stacks.ts';
import { priceDeployed, type StatusPorts } from './gather.ts';
import { settledOk } from './judge.ts';

export interface EcosystemRow {
  ecosystem: string;
  /** The infra stack's status, or the ECR stack's when it is alone. */
  state: string;
  /** Which stacks exist. */
  stacks: Array<'ecr' | 'infra'>;
  url?: string;
  /** ISO creation time of the oldest of its stacks. */
  createdAt?: string;
  /** Whole days since then. */
  ageDays?: number;
  image?: string;
  branch?: string;
  desired?: number;
  /** USD per month for the desired count (an estimate; see cost.ts). */
  monthly?: number;
  /** The same for the autoscaling minimum and MaxTasks, the tasks' architecture and public IPv4 addresses. */
  cost?: { low: number; high: number; tasks: { low: number; expected: number; high: number }; architecture: string; ipv4Monthly?: number };
  /** Why the desired count could not be read. */
  unread?: string;
  /** Set when the estimate is not of the deployed template (GetTemplate failed or gave none, or the model cannot read it): why. */
  pricedOnCheckout?: string;
}

const INFRA = /^(.+)-hello-world-infra$/;
const ECR = /^(.+)-hello-world-ecr$/;
/** How many DescribeServices run at once: enough to list 20 ecosystems in one or two round trips, gentle on the API. */
export const ALL_CONCURRENCY = 8;
const DAY = 86_400_000;

const ours = (s: StackView) => s.tags.ManagedBy === 'hello-deploy';

/** Runs `f` over `items`, at most `limit` at a time, keeping the order. */
async function bounded<T, R>(items: T[], limit: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export async function listEcosystems(ports: Pick<StatusPorts, 'stacks' | 'ecs'>, now: number, signal?: AbortSignal, pricing?: Pricing): Promise<EcosystemRow[]> {
  const stacks = (await ports.stacks.all(signal ? { signal } : {})).filter(ours);
  const byEco = new Map<string, { infra?: StackView; ecr?: StackView }>();
  for (const s of stacks) {
    const infra = INFRA.exec(s.name);
    const ecr = ECR.exec(s.name);
    const eco = infra?.[1] ?? ecr?.[1];
    if (!eco) continue;
    const entry = byEco.get(eco) ?? {};
    if (infra) entry.infra = s;
    else entry.ecr = s;
    byEco.set(eco, entry);
  }
  const ecosystems = [...byEco.keys()].sort();
  return bounded(ecosystems, ALL_CONCURRENCY, async (ecosystem): Promise<EcosystemRow> => {
    const { infra, ecr } = byEco.get(ecosystem)!;
    const main = (infra ?? ecr)!;
    const created = [infra?.createdAt, ecr?.createdAt].filter((d): d is Date => d !== undefined).sort((a, b) => a.getTime() - b.getTime())[0];
    const row: EcosystemRow = {
      ecosystem,
      state: main.status,
      stacks: [...(ecr ? (['ecr'] as const) : []), ...(infra ? (['infra'] as const) : [])],
      ...(infra?.outputs.ServiceUrl ? { url: infra.outputs.ServiceUrl } : {}),
      ...(created ? { createdAt: created.toISOString(), ageDays: Math.floor((now - created.getTime()) / DAY) } : {}),
      ...(infra?.parameters.ImageId ? { image: infra.parameters.ImageId } : {}),
      ...(main.tags[BRANCH_TAG] ?? ecr?.tags[BRANCH_TAG] ? { branch: main.tags[BRANCH_TAG] ?? ecr!.tags[BRANCH_TAG]! } : {}),
    };
    if (!infra) return row;
    const names = resourceNames(ecosystem);
    const opts = signal ? { signal } : {};
    const [serviceR, templateR] = await Promise.allSettled([
      ports.ecs.service({ cluster: names.cluster, service: names.service }, opts),
      pricing && ports.stacks.template ? ports.stacks.template(infra.name, opts) : Promise.resolve(undefined),
    ]);
    if (serviceR.status === 'rejected') {
      row.unread = serviceR.reason instanceof Error ? serviceR.reason.message : String(serviceR.reason);
      return row;
    }
    const desired = serviceR.value?.desired ?? 0;
    row.desired = desired;
    if (pricing) {
      const { cost: c, gap } = priceDeployed(pricing, templateR, infra.parameters, new Date(now), desired);
      const ipv4 = c.lines.find((l) => l.key === 'ipv4')?.monthly;
      row.monthly = c.monthly;
      row.cost = { low: c.low, high: c.high, tasks: c.tasks, architecture: c.architecture, ...(ipv4 !== undefined ? { ipv4Monthly: ipv4 } : {}) };
      if (gap) row.pricedOnCheckout = gap;
    }
    return row;
  });
}

/** Healthy-ish: every ecosystem's stacks settled, not rolled back, and the infra stack there. */
export function judgeAll(rows: EcosystemRow[]): { healthy: boolean; reasons: string[] } {
  const reasons: string[] = [];
  for (const r of rows) {
    if (!settledOk(r.state)) reasons.push(`${r.ecosystem}: ${r.stacks.includes('infra') ? 'the infra stack' : 'the ECR stack'} is ${r.state}`);
    else if (!r.stacks.includes('infra')) reasons.push(`${r.ecosystem}: only the ECR stack is deployed (a deploy that stopped half-way, or a destroy that did not finish)`);
  }
  return { healthy: reasons.length === 0, reasons };
}
