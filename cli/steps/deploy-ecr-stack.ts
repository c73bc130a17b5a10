// Step 3. The ECR repository stack. Its outputs feed the image steps and, as a parameter (not Fn::ImportValue,
// which moto's change-set path cannot resolve), the infra stack.
import { AbortError } from '../core/errors.ts';
import type { Step } from '../core/runner.ts';
import type { StepCtx } from './context.ts';
import { stackNames } from '../domain/names.ts';
import { deployStack, describeResult } from './stack-deploy.ts';

export const deployEcrStack: Step<StepCtx<'stacks'>> = {
  id: 'deploy-ecr-stack',
  title: 'Deploy the ECR stack',
  // Both: validation runs beside the prerequisite checks, and no stack is touched before every check passed.
  after: ['prerequisites', 'validate-templates'],
  describe: ({ options }) => `Create or update stack ${stackNames(options.ecosystem).ecr} (repository ${options.ecosystem}-hello-world-ecr) by ${options.deployMethod}.`,
  async run(ctx, io) {
    const stackName = stackNames(ctx.options.ecosystem).ecr;
    const result = await deployStack(ctx, io, {
      stackName,
      templateBody: ctx.state.ecrTemplateBody ?? '',
      parameters: { Ecosystem: ctx.options.ecosystem },
      capabilities: [],
    });
    if (result.status === 'declined') throw new AbortError('DECLINED', `The change set for ${stackName} was not executed.`, { hint: 'Nothing was changed. Run again and confirm to deploy.' });
    const uri = result.outputs['RepositoryUri'];
    const name = result.outputs['RepositoryName'];
    if (!uri || !name) {
      throw new AbortError('STACK_OUTPUTS_MISSING', `${stackName} has no RepositoryUri/RepositoryName outputs.`, {
        hint: ctx.options.deployMethod === 'change-set' && ctx.options.endpointUrl ? 'Emulators give no outputs on a CREATE change set: use --deploy-method direct.' : 'Check the stack in the CloudFormation console.',
      });
    }
    ctx.state.repository = { uri, name };
    return { status: 'succeeded', summary: `${describeResult(stackName, result)}; repository ${uri}` };
  },
};
