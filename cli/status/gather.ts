// One snapshot of an ecosystem, every read at once: the two stacks, the service, its running and stopped tasks,
// target health and the alarm by the template's names (cli/domain/names.ts), and, as soon as the infra stack is in,
// the topic's subscriptions and the certificate it names. Promise.allSettled: a read that fails (a denied action)
// becomes "could not read X: reason" on the screen and the rest still stands; only when neither stack can be read
// is there nothing to show, and the run fails with that reason.
import { AbortError } from '../core/errors.ts';
import { priceEcosystem, type CostEstimate, type Pricing } from '../domain/cost.ts';
import { resourceNames, stackNames } from '../domain/names.ts';
import type { DescribedCertificate } from '../ports/deploy.ts';
import type { AlarmView, EcsReadPort, SubscriptionView, TargetHealthView, TaskView, ServiceView, EcosystemReadPorts } from '../ports/ecosystem.ts';
import type { StackReadPort, StackView } from '../ports/stacks.ts';
import type { StackState, StatusSnapshot, StoppedGroup } from './snapshot.ts';

export interface StatusPorts {
  stacks: StackReadPort;
  ecs: EcsReadPort;
  targets: EcosystemReadPorts['targets'];
  alarms: Pick<EcosystemReadPorts['alarms'], 'describe'>;
  subscriptions: EcosystemReadPorts['subscriptions'];
  certificates: { describe(arn: string): Promise<DescribedCertificate> };
}

export interface GatherInput {
  ecosystem: string;
  region: string;
  emulator: boolean;
  now: number;
  signal?: AbortSignal;
  pricing?: Pricing;
}

/** How many stopped tasks are read to group by reason (ECS keeps stopped tasks about an hour). */
const STOPPED_LIMIT = 20;
const EVENTS_SHOWN = 5;
const DAY = 86_400_000;

const iso = (d: Date | undefined) => (d ? d.toISOString() : undefined);
const reasonOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function stackState(s: StackView): StackState {
  const at = iso(s.updatedAt ?? s.createdAt);
  return { name: s.name, status: s.status, ...(s.statusReason ? { reason: s.statusReason } : {}), ...(at ? { updatedAt: at } : {}) };
}

/** `repo@sha256:…` → `sha256:…` (a tag reference has no digest). */
export const digestOf = (image: string | undefined) => (image?.includes('@') ? image.slice(image.indexOf('@') + 1) : undefined);

export function groupStopped(tasks: TaskView[]): StoppedGroup[] {
  const groups = new Map<string, StoppedGroup>();
  for (const t of tasks) {
    const reason = t.stoppedReason ?? t.stopCode ?? 'no reason given';
    const g = groups.get(reason) ?? { reason, count: 0, tasks: [] };
    g.count++;
    if (g.tasks.length < 3) g.tasks.push(t.id);
    const at = iso(t.stoppedAt);
    if (at && (!g.lastAt || at > g.lastAt)) g.lastAt = at;
    groups.set(reason, g);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

/**
 * The certificate the listener serves: with --domain the template's own ACM certificate (output
 * DomainCertificateArn), else the imported SSLCert parameter.
 */
export function certificateArnOf(s: StackView): string | undefined {
  return s.outputs.DomainCertificateArn || s.parameters.SSLCert || undefined;
}

/**
 * The alias record the template declares (DomainRecord, only when both DomainName and HostedZoneId are set): the
 * name and the load balancer it points at, as the stack says; no Route 53 read is needed for that.
 */
export function domainRecordOf(s: StackView): StatusSnapshot['record'] {
  const name = s.parameters.DomainName;
  if (!name) return undefined;
  const zoneId = s.parameters.HostedZoneId || undefined;
  const target = s.outputs.LoadBalancerDNSName;
  return { name, ...(zoneId ? { zoneId } : {}), ...(zoneId && target ? { target } : {}) };
}

/**
 * The estimate of what an ecosystem runs: on the template its infra stack was deployed with (GetTemplate), else on
 * this checkout's, with why (`gap`, also said in the estimate's notes). A deployed template the cost model cannot
 * read (another tool's, a hand edit) falls back the same way: one odd stack must not fail a whole `status --all`.
 */
export function priceDeployed(p: Pricing, r: PromiseSettledResult<string | undefined>, parameters: Record<string, string>, now: Date, tasks: number): { cost: CostEstimate; gap?: string } {
  const onCheckout = (gap: string) => ({ cost: priceEcosystem({ ...p, notes: [...p.notes, `priced on this checkout's infra template: the deployed one could not be read (${gap})`] }, parameters, now, tasks), gap });
  if (r.status === 'rejected') return onCheckout(reasonOf(r.reason));
  if (!r.value) return onCheckout('GetTemplate gave none');
  try {
    return { cost: priceEcosystem({ ...p, infraTemplate: r.value }, parameters, now, tasks) };
  } catch (e) {
    return onCheckout(reasonOf(e));
  }
}

export async function gatherStatus(input: GatherInput, ports: StatusPorts): Promise<StatusSnapshot> {
  const { ecosystem, signal } = input;
  const stacks = stackNames(ecosystem);
  const names = resourceNames(ecosystem);
  const ref = { cluster: names.cluster, service: names.service };
  const opts = signal ? { signal } : {};

  const infraP = ports.stacks.describe(stacks.infra, opts);
  const ecrP = ports.stacks.describe(stacks.ecr, opts);
  const [infraR, ecrR, serviceR, runningR, stoppedR, targetsR, alarmR, subsR, certR, templateR] = await Promise.allSettled([
    infraP,
    ecrP,
    ports.ecs.service(ref, opts),
    ports.ecs.tasks(ref, 'running', opts),
    ports.ecs.tasks(ref, 'stopped', { ...opts, limit: STOPPED_LIMIT }),
    ports.targets.targets(names.targetGroup, opts),
    ports.alarms.describe(names.alarm, opts),
    infraP.then((s) => (s?.outputs.AlarmTopicArn ? ports.subscriptions.list(s.outputs.AlarmTopicArn, opts) : undefined)),
    infraP.then((s) => {
      const arn = s ? certificateArnOf(s) : undefined;
      return arn ? ports.certificates.describe(arn) : undefined;
    }),
    // The template the infra stack runs, for the cost estimate: what is deployed, not this checkout's.
    input.pricing && ports.stacks.template ? ports.stacks.template(stacks.infra, opts) : Promise.resolve(undefined),
  ]);

  if (infraR.status === 'rejected' && ecrR.status === 'rejected') throw infraR.reason;
  const infra = infraR.status === 'fulfilled' ? infraR.value : undefined;
  const ecr = ecrR.status === 'fulfilled' ? ecrR.value : undefined;
  if (!infra && !ecr && infraR.status === 'fulfilled' && ecrR.status === 'fulfilled') {
    throw new AbortError('ECOSYSTEM_NOT_DEPLOYED', `ecosystem ${ecosystem} is not deployed in ${input.region}: neither ${stacks.infra} nor ${stacks.ecr} exists.`, {
      hint: `\`hello-deploy status --all\` lists the ecosystems deployed in ${input.region}; --region or --ecosystem pick another.`,
    });
  }

  const unread: StatusSnapshot['unread'] = [];
  const value = <T>(what: string, r: PromiseSettledResult<T>): T | undefined => {
    if (r.status === 'fulfilled') return r.value;
    unread.push({ what, reason: reasonOf(r.reason) });
    return undefined;
  };
  value('infra stack', infraR);
  value('ECR stack', ecrR);
  const service: ServiceView | undefined = value('service', serviceR);
  const running: TaskView[] | undefined = value('running tasks', runningR);
  const stopped: TaskView[] | undefined = value('stopped tasks', stoppedR);
  const targets: TargetHealthView[] | undefined = value('target health', targetsR);
  const alarm: AlarmView | undefined = value('alarm', alarmR);
  const subscriptions: SubscriptionView[] | undefined = value('alarm e-mail subscriptions', subsR);
  const cert: DescribedCertificate | undefined = value('certificate', certR);

  const image = infra?.parameters.ImageId;
  const digest = digestOf(image);
  const architecture = infra?.parameters.CpuArchitecture;
  const runningDigests = running ? [...new Set(running.flatMap((t) => t.containers.flatMap((c) => (c.imageDigest ? [c.imageDigest] : []))))] : undefined;
  const notAfter = cert?.notAfter;
  const record = infra ? domainRecordOf(infra) : undefined;
  return {
    ecosystem,
    region: input.region,
    at: new Date(input.now).toISOString(),
    emulator: input.emulator,
    ...(infra?.outputs.ServiceUrl ? { url: infra.outputs.ServiceUrl } : {}),
    stacks: { ...(ecr ? { ecr: stackState(ecr) } : {}), ...(infra ? { infra: stackState(infra) } : {}) },
    ...(image ? { image } : {}),
    ...(digest ? { digest } : {}),
    ...(architecture ? { architecture } : {}),
    ...(service
      ? {
          service: {
            name: service.name,
            cluster: service.cluster,
            status: service.status,
            desired: service.desired,
            running: service.running,
            pending: service.pending,
            taskDefinition: service.taskDefinition,
            deployments: service.deployments.map((d) => ({
              status: d.status,
              ...(d.rolloutState ? { rolloutState: d.rolloutState } : {}),
              ...(d.rolloutStateReason ? { rolloutStateReason: d.rolloutStateReason } : {}),
              taskDefinition: d.taskDefinition,
              desired: d.desired,
              running: d.running,
              pending: d.pending,
              failedTasks: d.failedTasks,
            })),
            events: service.events.slice(0, EVENTS_SHOWN).map((e) => ({ at: e.at.toISOString(), message: e.message })),
          },
        }
      : {}),
    ...(running ? { runningTasks: running.filter((t) => t.lastStatus === 'RUNNING').length, runningDigests: runningDigests! } : {}),
    ...(stopped ? { stopped: groupStopped(stopped) } : {}),
    ...(targets ? { targets } : {}),
    ...(alarm ? { alarm: { name: alarm.name, state: alarm.state, ...(alarm.reason ? { reason: alarm.reason } : {}), ...(alarm.updatedAt ? { updatedAt: alarm.updatedAt.toISOString() } : {}) } } : {}),
    ...(subscriptions ? { subscriptions } : {}),
    ...(record ? { record } : {}),
    ...(cert
      ? {
          certificate: {
            arn: cert.arn,
            ...(cert.domain ? { domain: cert.domain } : {}),
            ...(notAfter ? { notAfter: notAfter.toISOString(), daysLeft: Math.floor((notAfter.getTime() - input.now) / DAY) } : {}),
            ...(cert.status ? { status: cert.status } : {}),
            ...(cert.type ? { type: cert.type } : {}),
            ...(cert.renewalEligibility ? { renewalEligibility: cert.renewalEligibility } : {}),
            ...(cert.renewalStatus ? { renewalStatus: cert.renewalStatus } : {}),
          },
        }
      : {}),
    // What runs now: the template priced with the stack's own parameters, at the service's running count (0 on an
    // emulator: it runs no tasks); the range is the template's autoscaling minimum … MaxTasks.
    ...(infra && input.pricing ? { cost: priceDeployed(input.pricing, templateR, infra.parameters, new Date(input.now), service?.running ?? 0).cost } : {}),
    unread,
  };
}
