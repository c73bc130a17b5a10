// The infra template's Rules (SSLCertWithoutDomain, HostedZoneWithDomain), which moto 5.2 ignores: checked by
// hello-deploy's own evaluator (cli/domain/cfn-rules.ts, called from the deploy's parameter check before any AWS
// call, exit 2) and by the moto launcher (moto_ext/cfn_rules.py, a ValidationError on CreateStack, UpdateStack and
// CreateChangeSet), as CloudFormation does:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/rules-section-structure.html. Both refusals and
// the valid combinations are tested on each side, and a planted broken rule shows the tests can fail.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateChangeSetCommand, CreateStackCommand, UpdateStackCommand, type CloudFormationClient, type Parameter } from '@aws-sdk/client-cloudformation';
import { ruleViolations, UnsupportedRuleFunction } from '../cli/domain/cfn-rules.ts';
import { checkParameterValues } from '../cli/domain/template-params.ts';
import { parseCfnYaml } from '../cli/domain/cfn-yaml.ts';
import { startMoto, type Moto } from './support/moto.ts';
import { cfnClient, readTemplate, waitForTerminal } from './support/stacks.ts';

const INFRA = readTemplate('hello-world-infra.yaml');
const ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555';
const NEEDS_CERT = 'SSLCert must be an ACM certificate ARN when no DomainName is given.';
const ZONE_ALONE = 'HostedZoneId is only used with a DomainName.';
const REQUIRED = { Ecosystem: 'rules', EmailAddress: 'ops@example.com', ImageId: '123456789012.dkr.ecr.us-east-1.amazonaws.com/rules-hello-world-ecr:v1' };

/** The real template's Parameters and Rules over one cheap resource: what the launcher's check sees, fast to create. */
function small(template = INFRA): string {
  const block = (key: string) => new RegExp(`^${key}:[ \\t]*\\r?\\n(?:(?:[ \\t].*|[ \\t]*|#.*)(?:\\r?\\n|$))*`, 'm').exec(template)![0];
  return `AWSTemplateFormatVersion: '2010-09-09'\n${block('Parameters')}\n${block('Rules')}\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n`;
}
/** The planted bug: SSLCertWithoutDomain's assertion loses its !Not (an empty SSLCert would pass, a real one fail). */
const broken = (t: string) => t.replace("- Assert: !Not [!Equals [!Ref SSLCert, '']]", "- Assert: !Equals [!Ref SSLCert, '']");

const REFUSED: [string, Record<string, string>, string][] = [
  ['no DomainName and an empty SSLCert', { SSLCert: '' }, NEEDS_CERT],
  ['no DomainName and no SSLCert at all (its default is empty)', {}, NEEDS_CERT],
  ['a HostedZoneId without a DomainName', { SSLCert: ARN, HostedZoneId: 'Z0123456789ABC' }, ZONE_ALONE],
];
const ACCEPTED: [string, Record<string, string>][] = [
  ['SSLCert without a domain (the original flow)', { SSLCert: ARN }],
  ['DomainName and HostedZoneId, no SSLCert', { DomainName: 'app.rules.test', HostedZoneId: 'Z0123456789ABC' }],
  ['DomainName alone (DNS at another provider)', { DomainName: 'app.rules.test' }],
  ['DomainName with an SSLCert too', { DomainName: 'app.rules.test', SSLCert: ARN }],
];
const everything = ['SSLCert', 'DomainName', 'HostedZoneId'];

describe('hello-deploy\'s rule check (cli/domain/cfn-rules.ts through checkParameterValues)', () => {
  for (const [what, values, description] of REFUSED) {
    test(`refuses ${what}`, () => {
      assert.deepEqual(checkParameterValues(INFRA, values, {}, { omitted: everything.filter((p) => !(p in values)) }).map((v) => v.message), [description]);
    });
  }
  for (const [what, values] of ACCEPTED) {
    test(`accepts ${what}`, () => {
      assert.deepEqual(checkParameterValues(INFRA, values, {}, { omitted: everything.filter((p) => !(p in values)) }), []);
    });
  }
  test('a parameter not known yet (neither given nor omitted) decides nothing: the certificate imported later', () => {
    assert.deepEqual(checkParameterValues(INFRA, {}, {}, { omitted: ['DomainName', 'HostedZoneId'] }), []);
    assert.deepEqual(checkParameterValues(INFRA, { Ecosystem: 'rules' }), []);
  });
  test('a planted broken rule is caught: the valid combination is refused, the invalid one passes', () => {
    assert.deepEqual(checkParameterValues(broken(INFRA), { SSLCert: ARN }, {}, { omitted: ['DomainName', 'HostedZoneId'] }).map((v) => v.message), [NEEDS_CERT]);
    assert.deepEqual(checkParameterValues(broken(INFRA), { SSLCert: '' }, {}, { omitted: ['DomainName', 'HostedZoneId'] }), []);
    assert.notEqual(broken(INFRA), INFRA, 'the plant found its line');
  });
  test('the other rule functions, and Fn::ValueOf refused as unsupported', () => {
    const t = parseCfnYaml(`
Parameters:
  Envs: { Type: CommaDelimitedList }
  Env: { Type: String }
  Size: { Type: String, Default: small }
Rules:
  InList:
    Assertions: [{ Assert: { 'Fn::Contains': [[dev, prod], { Ref: Env }] }, AssertDescription: env in list }]
  AllProd:
    RuleCondition: !Equals [!Ref Env, prod]
    Assertions: [{ Assert: { 'Fn::EachMemberEquals': [{ Ref: Envs }, prod] }, AssertDescription: all prod }]
  Known:
    Assertions: [{ Assert: !Or [{ 'Fn::EachMemberIn': [{ Ref: Envs }, [dev, prod]] }, !And [!Equals [!Ref Size, big], !Not [!Equals [!Ref Env, dev]]]], AssertDescription: known envs }]
Resources: {}
`);
    const broke = (values: Record<string, string>) => ruleViolations(t, values, ['Size']).map((v) => v.description);
    assert.deepEqual(broke({ Env: 'dev', Envs: 'dev,prod' }), []);
    assert.deepEqual(broke({ Env: 'qa', Envs: 'dev' }), ['env in list']);
    assert.deepEqual(broke({ Env: 'prod', Envs: 'prod,dev' }), ['all prod']);
    assert.deepEqual(broke({ Env: 'dev', Envs: 'dev,qa' }), ['known envs']);
    assert.deepEqual(ruleViolations(t, { Env: 'prod', Envs: 'qa,prod', Size: 'big' }).map((v) => v.description), ['all prod']);
    // Envs not known: the rules over it decide nothing.
    assert.deepEqual(broke({ Env: 'dev' }), []);
    const valueOf = parseCfnYaml(`
Parameters: { Vpc: { Type: String } }
Rules: { R: { Assertions: [{ Assert: { 'Fn::Equals': [{ 'Fn::ValueOf': [Vpc, Tags.Env] }, prod] } }] } }
Resources: {}
`);
    assert.throws(() => ruleViolations(valueOf, { Vpc: 'vpc-1' }), UnsupportedRuleFunction);
  });
});

describe('the moto launcher enforces Rules (moto_ext/cfn_rules.py)', () => {
  let moto: Moto;
  let cfn: CloudFormationClient;
  before(async () => {
    moto = await startMoto({ launcher: true });
    cfn = cfnClient(moto.endpoint);
  });
  after(async () => {
    cfn?.destroy();
    await moto?.stop();
  });
  const params = (p: Record<string, string>): Parameter[] => Object.entries({ ...REQUIRED, ...p }).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));
  const refusal = async (p: Promise<unknown>): Promise<string> => {
    const err = await p.then(() => undefined, (e: Error) => e);
    assert.ok(err, 'expected a refusal');
    assert.equal(err.name, 'ValidationError', err.message);
    return err.message;
  };
  let n = 0;
  const name = () => `rules-${++n}`;

  test('CreateStack and CreateChangeSet refuse both rules with the AssertDescription, on the real infra template (nothing made)', async () => {
    for (const [, values, description] of REFUSED) {
      assert.equal(await refusal(cfn.send(new CreateStackCommand({ StackName: name(), TemplateBody: INFRA, Parameters: params(values), Capabilities: ['CAPABILITY_NAMED_IAM'] }))), description);
      assert.equal(await refusal(cfn.send(new CreateChangeSetCommand({ StackName: name(), ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: INFRA, Parameters: params(values), Capabilities: ['CAPABILITY_NAMED_IAM'] }))), description);
    }
  });

  test('the valid combinations are created; UpdateStack refuses a rule broken by an update, counting UsePreviousValue', async () => {
    const body = small();
    for (const [what, values] of ACCEPTED) {
      const stack = name();
      await cfn.send(new CreateStackCommand({ StackName: stack, TemplateBody: body, Parameters: params(values) }));
      assert.equal((await waitForTerminal(cfn, stack)).StackStatus, 'CREATE_COMPLETE', what);
    }
    const stack = name();
    await cfn.send(new CreateStackCommand({ StackName: stack, TemplateBody: body, Parameters: params({ DomainName: 'app.rules.test', HostedZoneId: 'Z0123456789ABC' }) }));
    await waitForTerminal(cfn, stack);
    // Dropping the domain but keeping the zone (UsePreviousValue) breaks HostedZoneWithDomain.
    const update = [...params({ DomainName: '', SSLCert: ARN }), { ParameterKey: 'HostedZoneId', UsePreviousValue: true }];
    assert.equal(await refusal(cfn.send(new UpdateStackCommand({ StackName: stack, TemplateBody: body, Parameters: update }))), ZONE_ALONE);
  });

  test('a planted broken rule: the launcher follows the template it is given (a valid combination refused)', async () => {
    assert.equal(await refusal(cfn.send(new CreateStackCommand({ StackName: name(), TemplateBody: small(broken(INFRA)), Parameters: params({ SSLCert: ARN }) }))), NEEDS_CERT);
  });
});
