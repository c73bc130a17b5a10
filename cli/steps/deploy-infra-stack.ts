// Step 8. The service stack, with ImageId pinned by digest: with the original project's `:latest`, CloudFormation
// sees an unchanged parameter and never rolls out the new image.
import { AbortError, BugError } from '../core/errors.ts';
import type { Step } from '../core/runner.ts';
import type { StepCtx } from './context.ts';
import { stackNames } from '../domain/names.ts';
import { deployStack, describeResult } from './stack-deploy.ts';

export const deployInfraStack: Step<StepCtx<'stacks'>> = {
  id: 'deploy-infra-stack',
  title: 'Deploy the infra stack',
  after: ['push-image', 'deploy-ecr-stack'],
  describe: ({ options }) =>
    `Create or update stack ${stackNames(options.ecosystem).infra} (VPC, HTTPS-only ALB, Fargate service on ${options.architecture}, autoscaling, CPU alarm → ${options.email}) with the image pinned by digest.`,
  async run(ctx, io) {
    const { options, state } = ctx;
    if (!state.imageId) throw new BugError('no image to deploy');
    if (!state.certificateArn) throw new BugError('no certificate ARN');
    const stackName = stackNames(options.ecosystem).infra;
    const result = await deployStack(ctx, io, {
      stackName,
      templateBody: state.infraTemplateBody ?? '',
      parameters: { Ecosystem: options.ecosystem, EmailAddress: options.email, ImageId: state.imageId, SSLCert: state.certificateArn, CpuArchitecture: options.architecture },
      capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
    });
    if (result.status === 'declined') throw new AbortError('DECLINED', `The change set for ${stackName} was not executed.`, { hint: 'The image is pushed; nothing else changed. Run again and confirm to deploy.' });
    state.infraOutputs = result.outputs;
    return { status: 'succeeded', summary: describeResult(stackName, result) };
  },
};
