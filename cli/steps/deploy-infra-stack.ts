// Step 8. The service stack, with ImageId pinned by digest: with the original project's `:latest`, CloudFormation
// sees an unchanged parameter and never rolls out the new image. While CloudFormation creates or updates it, the
// rollout watcher (rollout-watch.ts) reads the service: a rollout that is clearly failing stops the wait, cancels
// the update (unless --no-cancel) and fails the step with ROLLOUT_FAILED, the reasons and a hint per reason.
import { AbortError, BugError } from '../core/errors.ts';
import type { Step, StepIO } from '../core/runner.ts';
import type { StepCtx } from './context.ts';
import { resourceNames, stackNames } from '../domain/names.ts';
import { deployStack, describeResult } from './stack-deploy.ts';
import { rolloutError, watchRollout, type RolloutVerdict } from './rollout-watch.ts';
import { DOMAIN_WAIT_MS, certificateArnOf, minutes, recordLine, watchCertificate } from './certificate-wait.ts';
import { domainResources, replaceRecords } from './domain-setup.ts';

/**
 * How long the infra stack's create or update is waited for when --timeout is not given. The service has a 60 s
 * health check grace period and the ECS deployment circuit breaker (infra/hello-world-infra.yaml), so a good
 * rollout settles in minutes and a bad one trips the breaker well inside this; the VPC, ALB and NAT of a first
 * create take about 5-10 minutes more.
 */
export const INFRA_TIMEOUT_MS = 30 * 60_000;

export const deployInfraStack: Step<StepCtx<'stacks' | 'ecosystem' | 'certs' | 'dns'>> = {
  id: 'deploy-infra-stack',
  title: 'Deploy the infra stack',
  after: ['push-image', 'deploy-ecr-stack'],
  describe: ({ options }) =>
    `Create or update stack ${stackNames(options.ecosystem).infra} (VPC, HTTPS-only ALB, Fargate service on ${options.architecture}, autoscaling, CPU alarm → ${options.email}) with the image pinned by digest, watching the service's rollout.` +
    (options.domain ? ` For ${options.domain.name}: ${domainResources(options.domain.name, undefined)}; the certificate's DNS validation is watched for at most ${minutes(options.domainWaitMs ?? DOMAIN_WAIT_MS)} (--domain-wait).` : '') +
    (options.domain?.replaceRecord ? ` --replace-record: a record of ${options.domain.name} pointing elsewhere (the prerequisites name it) is deleted (ChangeResourceRecordSets DELETE) right before the stack changes.` : ''),
  async run(ctx, io) {
    const { options, state } = ctx;
    if (!state.imageId) throw new BugError('no image to deploy');
    if (!state.certificateArn && !options.domain) throw new BugError('no certificate ARN');
    const stackName = stackNames(options.ecosystem).infra;
    const names = resourceNames(options.ecosystem);
    // `failing` ends the stack wait once the watcher has a verdict; `ended` ends the watcher once the wait is over.
    const failing = new AbortController();
    const ended = new AbortController();
    let watching: Promise<RolloutVerdict | undefined> | undefined;
    const watch = () => {
      watching ??= watchRollout(ctx.ports.ecosystem, ctx.clock, {
        ref: { cluster: names.cluster, service: names.service },
        targetGroup: names.targetGroup,
        logGroup: names.logGroup,
        since: ctx.clock.now(),
        signal: AbortSignal.any([io.signal, ended.signal]),
        onReport: (r) => io.emit({ type: 'rollout', ...r }),
        onWarn: (m) => io.warn(m),
      }).then((verdict) => {
        if (verdict) failing.abort();
        return verdict;
      });
    };
    // --domain: the certificate's validation is watched beside the stack; past --domain-wait it stops the stack wait.
    let certArn: string | undefined;
    let certWait: Promise<AbortError | undefined> | undefined;
    const zone = state.hostedZone ?? null;
    const watchCert = () => {
      if (!options.domain) return;
      certWait ??= watchCertificate(ctx.ports.certs, ctx.clock, {
        domain: options.domain.name,
        zone,
        arn: () => certArn,
        boundMs: options.domainWaitMs ?? DOMAIN_WAIT_MS,
        signal: AbortSignal.any([io.signal, ended.signal]),
        onProgress: (m) => io.progress(m),
        onRecord: (r, byHand) => (byHand ? io.warn(`Add this record at your DNS provider so ACM can validate ${options.domain!.name}: ${recordLine(r)}`) : io.info(`Certificate validation record ${recordLine(r)} (CloudFormation adds it to ${zone?.name ?? 'the zone'})`)),
      }).then((late) => {
        if (late) failing.abort();
        return late;
      });
    };
    const parameters: Record<string, string> = { Ecosystem: options.ecosystem, EmailAddress: options.email, ImageId: state.imageId, CpuArchitecture: options.architecture };
    if (state.certificateArn) parameters['SSLCert'] = state.certificateArn;
    if (options.domain) parameters['DomainName'] = options.domain.name;
    if (options.domain && zone) parameters['HostedZoneId'] = zone.id;
    let result;
    try {
      result = await deployStack(ctx, io, {
        stackName,
        templateBody: state.infraTemplateBody ?? '',
        parameters,
        capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
        timeoutMs: options.timeoutMs ?? INFRA_TIMEOUT_MS,
        signal: AbortSignal.any([io.signal, failing.signal]),
        // --replace-record: the record elsewhere goes only once the stack is about to change (a declined change set keeps it).
        beforeExecute: () => replaceRecords(ctx, io),
        // From the moment the stack starts changing: tasks stopped before belong to the previous deploy.
        onExecute: () => {
          watch();
          watchCert();
        },
        onStackEvent: (e) => {
          certArn = certificateArnOf(e) ?? certArn;
        },
      });
    } catch (err) {
      const late = failing.signal.aborted && !io.signal.aborted ? await certWait : undefined;
      if (late) throw late;
      const verdict = failing.signal.aborted && !io.signal.aborted ? await watching : undefined;
      if (verdict) throw await rolloutFailed(ctx, io, stackName, verdict);
      throw err;
    } finally {
      ended.abort();
      await watching;
      await certWait;
    }
    if (result.status === 'declined') throw new AbortError('DECLINED', `The change set for ${stackName} was not executed.`, { hint: 'The image is pushed; nothing else changed. Run again and confirm to deploy.' });
    state.infraOutputs = result.outputs;
    return { status: 'succeeded', summary: describeResult(stackName, result) };
  },
};

/**
 * Stops the rollout: an update is cancelled so CloudFormation rolls it back (CancelUpdateStack applies only to
 * UPDATE_IN_PROGRESS: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn--stack-update-cancel.html);
 * a first create cannot be cancelled, and --no-cancel leaves either to the ECS circuit breaker. The log tails go out
 * as log lines before the error, so the error itself stays short.
 */
async function rolloutFailed(ctx: StepCtx<'stacks' | 'ecosystem'>, io: StepIO, stackName: string, v: RolloutVerdict): Promise<AbortError> {
  const status = await ctx.ports.stacks.describeStatus(stackName).catch(() => undefined);
  const flags = `${ctx.options.region ? ` --region ${ctx.options.region}` : ''}${ctx.options.endpointUrl ? ` --endpoint-url ${ctx.options.endpointUrl}` : ''}`;
  const follow = `aws cloudformation describe-stack-events --stack-name ${stackName}${flags}`;
  let action: string;
  if (ctx.options.noCancel) {
    action = `--no-cancel: the stack ${status ? `(${status}) ` : ''}was left to the ECS deployment circuit breaker, which stops the rollout and has CloudFormation roll it back; follow it with ${follow}.`;
  } else if (status === 'UPDATE_IN_PROGRESS') {
    await ctx.ports.stacks.cancelUpdate(stackName);
    action = `Cancelled the update of ${stackName} (CancelUpdateStack): CloudFormation rolls it back to the previous version; follow it with ${follow}.`;
  } else if (status === 'CREATE_IN_PROGRESS') {
    action = `This is the first create of ${stackName}, which cannot be cancelled: CloudFormation rolls the create back when the ECS circuit breaker trips (then deploy again; hello-deploy offers to delete the rolled-back stack).`;
  } else {
    action = `The stack is ${status ?? 'gone'}: nothing to cancel.`;
  }
  return rolloutError(v, io, action, ctx.options.architecture);
}
