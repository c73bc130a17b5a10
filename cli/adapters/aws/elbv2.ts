// Elastic Load Balancing v2, read only: a load balancer or target group by name (the preflight's name check), and
// how many the region holds (its quota check). Names are unique per region and account.
import type { ExistingResource } from '../../ports/preflight.ts';
import { clientConfig, type AwsOptions } from './config.ts';
import { callOnce } from './errors.ts';

type Elb = typeof import('@aws-sdk/client-elastic-load-balancing-v2');

async function withElb<T>(opts: AwsOptions, operation: string, subject: string | undefined, f: (elb: Elb, client: import('@aws-sdk/client-elastic-load-balancing-v2').ElasticLoadBalancingV2Client) => Promise<T>): Promise<T> {
  const elb = await import('@aws-sdk/client-elastic-load-balancing-v2');
  const client = new elb.ElasticLoadBalancingV2Client((await clientConfig(opts)) as import('@aws-sdk/client-elastic-load-balancing-v2').ElasticLoadBalancingV2ClientConfig);
  return callOnce(client, { service: 'ELBv2', operation, ...(subject ? { subject } : {}), endpoint: opts.endpointUrl }, (c) => f(elb, c));
}

const missing = (err: unknown, ...names: string[]) => names.includes(String((err as { name?: unknown }).name ?? ''));

export function findLoadBalancer(opts: AwsOptions, name: string): Promise<ExistingResource | undefined> {
  return withElb(opts, 'DescribeLoadBalancers', `load balancer ${name}`, async (elb, c) => {
    try {
      const lb = (await c.send(new elb.DescribeLoadBalancersCommand({ Names: [name] }))).LoadBalancers?.[0];
      return lb ? { name, ...(lb.LoadBalancerArn ? { arn: lb.LoadBalancerArn } : {}) } : undefined;
    } catch (err) {
      if (missing(err, 'LoadBalancerNotFoundException', 'LoadBalancerNotFound')) return undefined;
      throw err;
    }
  });
}

export function findTargetGroup(opts: AwsOptions, name: string): Promise<ExistingResource | undefined> {
  return withElb(opts, 'DescribeTargetGroups', `target group ${name}`, async (elb, c) => {
    try {
      const tg = (await c.send(new elb.DescribeTargetGroupsCommand({ Names: [name] }))).TargetGroups?.[0];
      return tg ? { name, ...(tg.TargetGroupArn ? { arn: tg.TargetGroupArn } : {}) } : undefined;
    } catch (err) {
      if (missing(err, 'TargetGroupNotFoundException', 'TargetGroupNotFound')) return undefined;
      throw err;
    }
  });
}

/** Pages through a Describe* call (Marker / NextMarker) and counts what `pick` keeps; bounded to 100 pages. */
async function countPages<P>(send: (marker: string | undefined) => Promise<{ items: P[]; next?: string }>, pick: (p: P) => boolean = () => true): Promise<number> {
  let n = 0;
  let marker: string | undefined;
  for (let page = 0; page < 100; page++) {
    const { items, next } = await send(marker);
    n += items.filter(pick).length;
    if (!next) break;
    marker = next;
  }
  return n;
}

export function countApplicationLoadBalancers(opts: AwsOptions): Promise<number> {
  return withElb(opts, 'DescribeLoadBalancers', undefined, (elb, c) =>
    countPages(
      async (Marker) => {
        const out = await c.send(new elb.DescribeLoadBalancersCommand({ PageSize: 400, ...(Marker ? { Marker } : {}) }));
        return { items: out.LoadBalancers ?? [], ...(out.NextMarker ? { next: out.NextMarker } : {}) };
      },
      (lb) => (lb.Type ?? 'application') === 'application',
    ),
  );
}

export function countTargetGroups(opts: AwsOptions): Promise<number> {
  return withElb(opts, 'DescribeTargetGroups', undefined, (elb, c) =>
    countPages(async (Marker) => {
      const out = await c.send(new elb.DescribeTargetGroupsCommand({ PageSize: 400, ...(Marker ? { Marker } : {}) }));
      return { items: out.TargetGroups ?? [], ...(out.NextMarker ? { next: out.NextMarker } : {}) };
    }),
  );
}
