// Is the ecosystem up, and if not, why: a pure verdict over a snapshot. Healthy needs evidence: the infra stack
// settled and not rolled back, the service ACTIVE with every desired task (at least one) running, its primary
// deployment COMPLETED (an emulator gives no rolloutState), no unhealthy target, the alarm not in ALARM and the
// certificate not expired. A pending e-mail subscription or an imported certificate within 30 days are warnings only
// (an ACM-issued one renews itself).
import type { StatusSnapshot } from './snapshot.ts';

export interface Verdict {
  healthy: boolean;
  /** Why it is not healthy, most important first (empty when healthy). */
  reasons: string[];
  warnings: string[];
}

export const CERT_WARNING_DAYS = 30;

/** A stack state that is settled and not the product of a rollback. */
export const settledOk = (status: string) => status.endsWith('_COMPLETE') && !status.includes('ROLLBACK') && !status.startsWith('DELETE');

export function judge(s: StatusSnapshot): Verdict {
  const reasons: string[] = [];
  const warnings: string[] = [];
  const unread = (what: string) => s.unread.find((u) => u.what === what);

  const infra = s.stacks.infra;
  if (!infra) reasons.push(unread('infra stack') ? `could not read the infra stack: ${unread('infra stack')!.reason}` : `the infra stack ${s.ecosystem}-hello-world-infra does not exist (only the ECR stack is deployed)`);
  else if (!settledOk(infra.status)) reasons.push(`the infra stack ${infra.name} is ${infra.status}${infra.reason ? ` (${infra.reason})` : ''}`);
  const ecr = s.stacks.ecr;
  if (ecr && !settledOk(ecr.status)) reasons.push(`the ECR stack ${ecr.name} is ${ecr.status}${ecr.reason ? ` (${ecr.reason})` : ''}`);

  const svc = s.service;
  if (!svc) {
    if (unread('service')) reasons.push(`could not read the ECS service: ${unread('service')!.reason}`);
    else if (infra) reasons.push(`the ECS service ${s.ecosystem}-hello-world does not exist`);
  } else {
    if (svc.status !== 'ACTIVE') reasons.push(`the ECS service is ${svc.status}`);
    // moto makes a service without DesiredCount with 0 tasks (AWS starts it with 1: the template's comment), and
    // runs none: said so, so the verdict on an emulator is honest rather than blamed on the app.
    if (svc.desired < 1) reasons.push(`the service wants 0 tasks (desired count 0): nothing serves the URL${s.emulator ? ' (the emulator starts the service at 0 tasks where AWS starts 1, and runs none)' : ''}`);
    else if (svc.running !== svc.desired)
      reasons.push(`${svc.running} of ${svc.desired} task${svc.desired === 1 ? '' : 's'} running${svc.pending ? ` (${svc.pending} pending)` : ''}${s.emulator && svc.running === 0 ? ': the emulator runs no tasks' : ''}`);
    const primary = svc.deployments.find((d) => d.status === 'PRIMARY');
    if (primary?.rolloutState && primary.rolloutState !== 'COMPLETED')
      reasons.push(`the rollout is ${primary.rolloutState}${primary.rolloutStateReason ? `: ${primary.rolloutStateReason}` : ''}`);
  }

  for (const t of s.targets ?? []) if (t.state === 'unhealthy') reasons.push(`target ${t.id}${t.port ? `:${t.port}` : ''} is unhealthy${t.reason ? ` (${t.reason}${t.description ? `: ${t.description}` : ''})` : ''}`);
  if (s.alarm?.state === 'ALARM') reasons.push(`the alarm ${s.alarm.name} is in ALARM${s.alarm.reason ? `: ${s.alarm.reason}` : ''}`);

  const cert = s.certificate;
  // An ACM-issued (--domain) certificate renews itself from 60 days before expiry while it is in use and DNS
  // validated (https://docs.aws.amazon.com/acm/latest/userguide/acm-renewal.html): nearing expiry is no warning,
  // but a certificate ACM will not renew, or a renewal that failed, is.
  const managed = cert?.type === 'AMAZON_ISSUED';
  if (managed && cert.status && cert.status !== 'ISSUED' && cert.status !== 'EXPIRED') warnings.push(`the domain's ACM certificate is ${cert.status}${cert.status === 'PENDING_VALIDATION' ? ': its DNS validation record is not answered yet' : ''}`);
  if (managed && cert.renewalEligibility === 'INELIGIBLE') warnings.push('ACM marks the domain certificate INELIGIBLE for renewal (is the load balancer still using it?)');
  if (managed && cert.renewalStatus === 'FAILED') warnings.push('ACM failed to renew the domain certificate: check its DNS validation record (aws acm describe-certificate)');
  if (cert?.daysLeft !== undefined) {
    if (cert.daysLeft < 0) reasons.push(`the certificate expired on ${cert.notAfter?.slice(0, 10)}: browsers refuse the URL`);
    else if (!managed && cert.daysLeft < CERT_WARNING_DAYS) warnings.push(`the certificate expires in ${cert.daysLeft} day${cert.daysLeft === 1 ? '' : 's'} (${cert.notAfter?.slice(0, 10)}): rotate it (hello-deploy generate-certs --rotate <arn>)`);
  }
  for (const sub of s.subscriptions ?? [])
    if (sub.pending) {
      // An emulator (the moto launcher keeps e-mail subscriptions pending, as AWS does) sends no e-mail: no link to click.
      warnings.push(s.emulator
        ? `the alarm e-mail to ${sub.endpoint} is PendingConfirmation: the emulator sends no confirmation e-mail (on AWS, alarms reach nobody until its link is clicked)`
        : `the alarm e-mail to ${sub.endpoint} is PendingConfirmation: click the link in the "AWS Notification - Subscription Confirmation" e-mail, or alarms reach nobody`);
    }
  if (s.digest && s.runningDigests?.length && s.runningDigests.some((d) => d !== s.digest)) warnings.push(`running tasks report ${s.runningDigests.join(', ')}, the stack pins ${s.digest} (a rollout in progress?)`);
  for (const u of s.unread) if (!['infra stack', 'service'].includes(u.what)) warnings.push(`could not read the ${u.what}: ${u.reason}`);

  return { healthy: reasons.length === 0, reasons, warnings };
}
