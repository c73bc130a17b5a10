// StackReadPort over DescribeStacks: a stack's status, times, outputs, parameters and tags, for status (and the
// other lifecycle commands). "Stack with id … does not exist" is an answer (undefined), not a failure.
import type { StackReadPort, StackView } from '../../../ports/stacks.ts';
import { isValidation, type Cfn, type CfnApi } from './client.ts';
import { outputsOf } from './stack-ops.ts';

/** DescribeStacks pages without a name hold up to 100 stacks each; 50 pages is far more than an account holds. */
const MAX_PAGES = 50;

const pairs = <T>(list: T[] | undefined, key: (t: T) => string | undefined, value: (t: T) => string | undefined) =>
  Object.fromEntries((list ?? []).flatMap((t) => (key(t) !== undefined ? [[key(t)!, value(t) ?? '']] : [])));

export function stackView(s: Cfn.Stack): StackView {
  return {
    name: s.StackName ?? '',
    status: s.StackStatus ?? 'UNKNOWN',
    ...(s.StackStatusReason ? { statusReason: s.StackStatusReason } : {}),
    ...(s.CreationTime ? { createdAt: s.CreationTime } : {}),
    ...(s.LastUpdatedTime ? { updatedAt: s.LastUpdatedTime } : {}),
    outputs: outputsOf(s),
    // A parameter that uses its previous value reports it in ParameterValue all the same.
    parameters: pairs(s.Parameters, (p) => p.ParameterKey, (p) => p.ResolvedValue ?? p.ParameterValue),
    tags: pairs(s.Tags, (t) => t.Key, (t) => t.Value),
  };
}

export function createStackReads(api: CfnApi): StackReadPort {
  return {
    async describe(stackName, opts = {}) {
      try {
        const out = await api.send<Cfn.DescribeStacksCommandOutput>('DescribeStacks', (sdk) => new sdk.DescribeStacksCommand({ StackName: stackName }), opts.signal);
        const s = out.Stacks?.[0];
        return s ? stackView(s) : undefined;
      } catch (err) {
        if (isValidation(err, /does not exist/)) return undefined;
        throw api.failure(err, `stack ${stackName}`);
      }
    },
    async template(stackName, opts = {}) {
      // The Original stage is the text as submitted (YAML stays YAML), which is what the cost model parses
      // (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_GetTemplate.html).
      try {
        const out = await api.send<Cfn.GetTemplateCommandOutput>('GetTemplate', (sdk) => new sdk.GetTemplateCommand({ StackName: stackName, TemplateStage: 'Original' }), opts.signal);
        return out.TemplateBody;
      } catch (err) {
        if (isValidation(err, /does not exist/)) return undefined;
        throw api.failure(err, `the template of stack ${stackName}`);
      }
    },
    async all(opts = {}) {
      const stacks: StackView[] = [];
      let NextToken: string | undefined;
      try {
        for (let page = 0; page < MAX_PAGES; page++) {
          const out = await api.send<Cfn.DescribeStacksCommandOutput>('DescribeStacks', (sdk) => new sdk.DescribeStacksCommand(NextToken ? { NextToken } : {}), opts.signal);
          stacks.push(...(out.Stacks ?? []).map(stackView));
          NextToken = out.NextToken;
          if (!NextToken) break;
        }
      } catch (err) {
        throw api.failure(err, 'the stacks of the account');
      }
      return stacks;
    },
  };
}
