// What an ecosystem costs while it runs, per month, from what is running now: a small, pure estimate with a bundled
// us-east-1 price table (issue 17 makes the full model). Traffic-dependent charges (LCUs beyond one, data transfer,
// log ingestion) are left out and said to be; a quiet app pays little of them.
import { FARGATE_PRICES, FARGATE_PRICES_CHECKED, type CpuArchitecture } from './architecture.ts';

/** When the prices below were checked (the Fargate ones: cli/domain/architecture.ts, with their sources). */
export const PRICES_CHECKED = FARGATE_PRICES_CHECKED;

/** A month as AWS's pricing examples count it. */
export const HOURS_PER_MONTH = 730;

/**
 * us-east-1 on-demand list prices, USD:
 * - ALB: $0.0225 per load balancer-hour and $0.008 per LCU-hour (https://aws.amazon.com/elasticloadbalancing/pricing/,
 *   its US-East-1 examples). An idle ALB still consumes a fraction of an LCU; one LCU is counted as the ceiling of a
 *   quiet app's usage.
 * - Public IPv4: $0.005 per address-hour for every AWS-provided public IPv4 address, in use or idle, since
 *   2024-02-01 (https://aws.amazon.com/vpc/pricing/, "Public IPv4 Address" tab;
 *   https://aws.amazon.com/blogs/aws/new-aws-public-ipv4-address-charge-public-ip-insights/). An internet-facing ALB
 *   holds one per Availability Zone it is in (the template's two public subnets: 2); each task with
 *   AssignPublicIp ENABLED holds one more.
 * - CloudWatch: $0.10 per standard-resolution metric alarm per month (https://aws.amazon.com/cloudwatch/pricing/).
 */
export const PRICES = {
  albHour: 0.0225,
  lcuHour: 0.008,
  ipv4Hour: 0.005,
  alarmMonth: 0.1,
} as const;

/** The template's task size (infra/hello-world-infra.yaml TaskDefinition: Cpu 256 = 0.25 vCPU, Memory 512 MiB = 0.5 GB). */
export const TASK_SIZE = { vcpu: 0.25, gb: 0.5 } as const;

/** The ALB's public addresses: one per Availability Zone (the template puts it in two public subnets). */
export const ALB_ADDRESSES = 2;

export interface CostLine {
  what: string;
  monthly: number;
}

export interface CostEstimate {
  /** USD per month, rounded to cents. */
  monthly: number;
  lines: CostLine[];
  /** "estimate, us-east-1 prices of 2026-11-30": say it wherever the figure is shown. */
  basis: string;
  /** What the figure leaves out. */
  excludes: string;
}

const cents = (n: number) => Math.round(n * 100) / 100;

/** The monthly cost of one ecosystem's infra stack with `tasks` tasks running on `architecture`. */
export function estimateMonthlyCost(input: { tasks: number; architecture: CpuArchitecture; tasksHavePublicIp?: boolean }): CostEstimate {
  const tasks = Math.max(0, Math.floor(input.tasks));
  const fargate = FARGATE_PRICES[input.architecture];
  const addresses = ALB_ADDRESSES + (input.tasksHavePublicIp === false ? 0 : tasks);
  const lines: CostLine[] = [
    { what: 'Application Load Balancer (hours + 1 LCU)', monthly: (PRICES.albHour + PRICES.lcuHour) * HOURS_PER_MONTH },
    { what: `public IPv4 addresses (${addresses}: the ALB's ${ALB_ADDRESSES}${input.tasksHavePublicIp === false ? '' : ` + 1 per task`})`, monthly: addresses * PRICES.ipv4Hour * HOURS_PER_MONTH },
    { what: `Fargate ${input.architecture} (${tasks} task${tasks === 1 ? '' : 's'} × ${TASK_SIZE.vcpu} vCPU, ${TASK_SIZE.gb} GB)`, monthly: tasks * (TASK_SIZE.vcpu * fargate.vcpuHour + TASK_SIZE.gb * fargate.gbHour) * HOURS_PER_MONTH },
    { what: 'CloudWatch alarm', monthly: PRICES.alarmMonth },
  ].map((l) => ({ ...l, monthly: cents(l.monthly) }));
  return {
    monthly: cents(lines.reduce((sum, l) => sum + l.monthly, 0)),
    lines,
    basis: `estimate, us-east-1 prices of ${PRICES_CHECKED}`,
    excludes: 'data transfer, LCUs beyond one, log ingestion and storage, ECR storage',
  };
}

/** `$27.43/mo` */
export const perMonth = (usd: number) => `$${usd.toFixed(2)}/mo`;
