// Step 3. The ECR repository stack. Its outputs feed the image steps and, as a parameter (not Fn::ImportValue,
// which moto's change-set path cannot resolve), the infra stack.
import { AbortError } from '../core/errors.ts';
import type { Step, StepIO } from '../core/runner.ts';
import type { StepCtx } from './context.ts';
import { stackNames } from '../domain/names.ts';
import { BRANCH_TAG, branchTagValue } from '../domain/ecosystem.ts';
import { shown } from '../domain/shown.ts';
import { deployStack, describeResult } from './stack-deploy.ts';

/** The ECR stack holds one repository: CloudFormation makes it in seconds, so 10 minutes is generous (--timeout overrides). */
export const ECR_TIMEOUT_MS = 10 * 60_000;

export const deployEcrStack: Step<StepCtx<'stacks' | 'repositories'>> = {
  id: 'deploy-ecr-stack',
  title: 'Deploy the ECR stack',
  // Both: validation runs beside the prerequisite checks, and no stack is touched before every check passed.
  after: ['prerequisites', 'validate-templates'],
  describe: ({ options }) => `Create or update stack ${stackNames(options.ecosystem).ecr} (repository ${options.ecosystem}-hello-world-ecr) by ${options.deployMethod}.`,
  async run(ctx, io) {
    const stackName = stackNames(ctx.options.ecosystem).ecr;
    await claimEcosystem(ctx, io, stackName);
    const result = await deployStack(ctx, io, {
      stackName,
      templateBody: ctx.state.ecrTemplateBody ?? '',
      parameters: { Ecosystem: ctx.options.ecosystem },
      capabilities: [],
      timeoutMs: ctx.options.timeoutMs ?? ECR_TIMEOUT_MS,
    });
    if (result.status === 'declined') throw new AbortError('DECLINED', `The change set for ${stackName} was not executed.`, { hint: 'Nothing was changed. Run again and confirm to deploy.' });
    const uri = result.outputs['RepositoryUri'];
    const name = result.outputs['RepositoryName'];
    // The AWS CLI flags that reach the same account, region and endpoint as this run, for the commands hints show.
    const region = ctx.state.identity?.region ?? ctx.options.region;
    const flags = `${region ? ` --region ${region}` : ''}${ctx.options.endpointUrl ? ` --endpoint-url ${ctx.options.endpointUrl}` : ''}`;
    if (!uri || !name) {
      throw new AbortError('STACK_OUTPUTS_MISSING', `${stackName} has no RepositoryUri/RepositoryName outputs.`, {
        hint: ctx.options.endpointUrl
          ? `Emulators leave a stack created through a change set without outputs: delete it (aws cloudformation delete-stack --stack-name ${stackName}${flags}) and deploy again with --deploy-method direct (the default with --endpoint-url).`
          : `Check its outputs: aws cloudformation describe-stacks --stack-name ${stackName}${flags}`,
      });
    }
    // CloudFormation does not notice a repository deleted behind its back: the stack says "no changes" over it.
    if (!(await ctx.ports.repositories.exists(name))) {
      throw new AbortError('ECR_REPOSITORY_MISSING', `Repository ${name} of stack ${stackName} no longer exists in ECR (deleted outside CloudFormation, which does not notice).`, {
        // An emulator (moto) fails to delete a stack whose repository is gone and keeps its exports, so recreating
        // the stack fails there: recreate the repository itself instead.
        hint: ctx.options.endpointUrl
          ? `Recreate the repository in the emulator (aws ecr create-repository --repository-name ${name}${flags}), or restart the emulator, then run hello-deploy again.`
          : `Delete the ECR stack (aws cloudformation delete-stack --stack-name ${stackName}${flags}), wait until it is gone (aws cloudformation wait stack-delete-complete --stack-name ${stackName}${flags}), then run hello-deploy again: it creates the stack and the repository anew.`,
      });
    }
    ctx.state.repository = { uri, name };
    return { status: 'succeeded', summary: `${describeResult(stackName, result)}; repository ${uri}` };
  },
};

/**
 * Before any stack changes: the ECR stack's branch tag names the branch that owns the ecosystem. Another branch's
 * deploy onto it is refused (a hash collision of two derived names, or two people's explicit choice of one name
 * meeting) unless --take-over; a stack without the tag (an older hello-deploy made it) is taken over with a
 * warning. An explicit --ecosystem (no branch in the options) keeps whatever owner the stack records.
 */
async function claimEcosystem({ options, ports, state }: StepCtx<'stacks'>, io: StepIO, stackName: string): Promise<void> {
  const tags = await ports.stacks.describeTags(stackName);
  const owner = tags?.[BRANCH_TAG];
  if (options.branch === undefined) {
    if (owner) state.branchTag = owner;
    return;
  }
  const mine = branchTagValue(options.branch);
  state.branchTag = mine;
  if (tags === undefined || owner === mine) return;
  if (owner === undefined) {
    io.warn(`Stack ${stackName} has no ${BRANCH_TAG} tag (an older hello-deploy made it): taking it over for git branch ${shown(options.branch)}, and recording the branch on the stacks from now on.`);
  } else if (options.takeOver) {
    io.warn(`--take-over: ecosystem ${options.ecosystem} was deployed from git branch ${shown(owner)}; deploying git branch ${shown(options.branch)} over it, which owns it from now on.`);
  } else {
    throw new AbortError('ECOSYSTEM_TAKEN', `Ecosystem ${options.ecosystem} (stack ${stackName}) was deployed from git branch ${shown(owner)}, not from this branch, ${shown(options.branch)}.`, {
      hint: `Nothing was changed. Deploy this branch under a name of its own (--ecosystem <name>), or pass --take-over to deploy it over the stacks of ${shown(owner)}.`,
    });
  }
}
