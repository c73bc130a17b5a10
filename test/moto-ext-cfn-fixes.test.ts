// moto_ext/cfn_fixes.py on the launcher: three CloudFormation behaviours moto 5.2 gets wrong, each pinned to what
// AWS documents, and each beside what plain moto_server does, so the extension is what makes the difference.
// - A stack created through a CREATE change set has its outputs and exports, as after CreateStack
//   (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-changesets-execute.html).
// - UpdateStack that changes nothing fails with "No updates are to be performed."
//   (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/troubleshooting.html), counting the defaults of
//   the parameters not passed; a change set that changes nothing goes FAILED with AWS's reason
//   (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateChangeSet.html).
// - Parameter constraints are enforced before anything is made
//   (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { ACMClient, ImportCertificateCommand } from '@aws-sdk/client-acm';
import {
  CreateChangeSetCommand, CreateStackCommand, DescribeChangeSetCommand, ExecuteChangeSetCommand, ListExportsCommand, ListStacksCommand, UpdateStackCommand,
  type CloudFormationClient, type Parameter,
} from '@aws-sdk/client-cloudformation';
import { startMoto, type Moto } from './support/moto.ts';
import { cfnClient, createStackAndWait, describeStack, motoClientConfig, outputsOf, readTemplate, waitForTerminal } from './support/stacks.ts';
import { makeTestCert, type TestCert } from './support/testcert.ts';

const ECR = readTemplate('hello-world-ecr-infra.yaml');
const INFRA = readTemplate('hello-world-infra.yaml');
const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/main-hello-world-ecr:test';
const params = (p: Record<string, string>): Parameter[] => Object.entries(p).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));

let launcher: Moto;
let plain: Moto;
let ext: CloudFormationClient;
let raw: CloudFormationClient;
let cert: TestCert;

before(async () => {
  [launcher, plain] = await Promise.all([startMoto({ launcher: true }), startMoto()]);
  ext = cfnClient(launcher.endpoint);
  raw = cfnClient(plain.endpoint);
  cert = makeTestCert('fixes.hello-deploy.test');
});

after(async () => {
  ext?.destroy();
  raw?.destroy();
  await Promise.all([launcher?.stop(), plain?.stop()]);
  if (cert) rmSync(cert.dir, { recursive: true, force: true });
});

async function importCert(moto: Moto): Promise<string> {
  const acm = new ACMClient(motoClientConfig(moto.endpoint));
  const arn = (await acm.send(new ImportCertificateCommand({ Certificate: Buffer.from(cert.certPem), PrivateKey: Buffer.from(cert.keyPem) }))).CertificateArn;
  acm.destroy();
  assert.ok(arn);
  return arn;
}

async function createThroughChangeSet(cfn: CloudFormationClient, stack: string, body: string, p: Record<string, string>) {
  await cfn.send(new CreateChangeSetCommand({ StackName: stack, ChangeSetName: 'create', ChangeSetType: 'CREATE', TemplateBody: body, Parameters: params(p) }));
  await cfn.send(new ExecuteChangeSetCommand({ StackName: stack, ChangeSetName: 'create' }));
  return waitForTerminal(cfn, stack);
}

/** The message of the error `p` rejects with, or a failure if it does not. */
async function rejection(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  return assert.fail('expected the call to be rejected');
}

test('a CREATE change set: the stack has the outputs and exports CreateStack gives it (plain moto: none)', async () => {
  const direct = await createStackAndWait(ext, { stackName: 'cs-direct', templateBody: ECR, parameters: { Ecosystem: 'csdirect' } });
  const viaChangeSet = await createThroughChangeSet(ext, 'cs-made', ECR, { Ecosystem: 'csmade' });
  assert.equal(viaChangeSet.StackStatus, 'CREATE_COMPLETE');
  const outputs = outputsOf(viaChangeSet);
  assert.deepEqual(Object.keys(outputs).sort(), Object.keys(direct.outputs).sort());
  assert.equal(outputs.RepositoryName, 'csmade-hello-world-ecr');
  assert.equal(outputs.RepositoryUri, direct.outputs.RepositoryUri?.replace('csdirect', 'csmade'));
  const exports = ((await ext.send(new ListExportsCommand({}))).Exports ?? []).map((e) => e.Name);
  assert.ok(exports.includes('csmade-hello-world-ecr-RepositoryUri'), exports.join(' '));

  const before = await createThroughChangeSet(raw, 'cs-made', ECR, { Ecosystem: 'csmade' });
  assert.equal(before.StackStatus, 'CREATE_COMPLETE');
  assert.deepEqual(before.Outputs ?? [], [], 'plain moto leaves a stack made by a change set without outputs');
});

test('UpdateStack with the same template, parameters and tags: "No updates are to be performed." (plain moto runs the update: it compares the passed values with all the resolved ones)', async () => {
  for (const [cfn, moto] of [[ext, launcher], [raw, plain]] as const) {
    const p = { Ecosystem: 'nochange', EmailAddress: 'ops@example.com', ImageId: IMAGE, SSLCert: await importCert(moto) };
    const made = await createStackAndWait(cfn, { stackName: 'no-change', templateBody: INFRA, parameters: p, capabilities: ['CAPABILITY_IAM'] });
    assert.equal(made.status, 'CREATE_COMPLETE', made.reason);
    const update = cfn.send(new UpdateStackCommand({ StackName: 'no-change', TemplateBody: INFRA, Parameters: params(p), Capabilities: ['CAPABILITY_IAM'] }));
    if (cfn === raw) {
      await update;
      assert.equal((await waitForTerminal(cfn, 'no-change')).StackStatus, 'UPDATE_COMPLETE', 'plain moto runs an update that changes nothing');
      continue;
    }
    const err = await rejection(update);
    assert.equal(err.name, 'ValidationError');
    assert.equal(err.message, 'No updates are to be performed.');
    // The same with every value kept by UsePreviousValue; and the stack is untouched.
    const kept = await rejection(cfn.send(new UpdateStackCommand({ StackName: 'no-change', UsePreviousTemplate: true, Parameters: Object.keys(p).map((ParameterKey) => ({ ParameterKey, UsePreviousValue: true })), Capabilities: ['CAPABILITY_IAM'] })));
    assert.equal(kept.message, 'No updates are to be performed.');
    assert.equal((await describeStack(cfn, 'no-change')).StackStatus, 'CREATE_COMPLETE');
    // A parameter back at its default is no change; one away from it, or a new tag, is an update.
    const atDefault = await rejection(cfn.send(new UpdateStackCommand({ StackName: 'no-change', TemplateBody: INFRA, Parameters: params({ ...p, CpuArchitecture: 'X86_64' }), Capabilities: ['CAPABILITY_IAM'] })));
    assert.equal(atDefault.message, 'No updates are to be performed.');
    await cfn.send(new UpdateStackCommand({ StackName: 'no-change', TemplateBody: INFRA, Parameters: params(p), Tags: [{ Key: 'team', Value: 'ops' }], Capabilities: ['CAPABILITY_IAM'] }));
    assert.equal((await waitForTerminal(cfn, 'no-change')).StackStatus, 'UPDATE_COMPLETE');
  }
});

test('a change set that changes nothing goes FAILED with AWS\'s reason; one that changes something is ready (plain moto fails CreateChangeSet itself)', async () => {
  for (const cfn of [ext, raw]) await createStackAndWait(cfn, { stackName: 'cs-empty', templateBody: ECR, parameters: { Ecosystem: 'csempty' } });
  await ext.send(new CreateChangeSetCommand({ StackName: 'cs-empty', ChangeSetName: 'same', ChangeSetType: 'UPDATE', TemplateBody: ECR, Parameters: params({ Ecosystem: 'csempty' }) }));
  const same = await ext.send(new DescribeChangeSetCommand({ StackName: 'cs-empty', ChangeSetName: 'same' }));
  assert.equal(same.Status, 'FAILED');
  assert.equal(same.ExecutionStatus, 'UNAVAILABLE');
  assert.equal(same.StatusReason, "The submitted information didn't contain changes. Submit different information to create a change set.");
  await ext.send(new CreateChangeSetCommand({ StackName: 'cs-empty', ChangeSetName: 'tagged', ChangeSetType: 'UPDATE', TemplateBody: ECR, Parameters: params({ Ecosystem: 'csempty' }), Tags: [{ Key: 'team', Value: 'ops' }] }));
  const tagged = await ext.send(new DescribeChangeSetCommand({ StackName: 'cs-empty', ChangeSetName: 'tagged' }));
  assert.equal(tagged.Status, 'CREATE_COMPLETE');
  assert.equal(tagged.ExecutionStatus, 'AVAILABLE');

  const err = await rejection(raw.send(new CreateChangeSetCommand({ StackName: 'cs-empty', ChangeSetName: 'same', ChangeSetType: 'UPDATE', TemplateBody: ECR, Parameters: params({ Ecosystem: 'csempty' }) })));
  assert.equal(err.message, 'No updates are to be performed.', 'plain moto: an error of CreateChangeSet, not a FAILED change set');
});

test('parameter constraints: CreateStack, CreateChangeSet and UpdateStack refuse a value that breaks them, naming the parameter, and nothing is made (plain moto makes the stack)', async () => {
  const described = 'Parameter \'Ecosystem\' failed to satisfy constraint: Ecosystem must be 1-25 characters';
  // AWS reserves internal- for load balancer names; the pattern's lookahead says so, and the repository alone would be fine.
  const create = await rejection(ext.send(new CreateStackCommand({ StackName: 'bad-eco', TemplateBody: ECR, Parameters: params({ Ecosystem: 'internal-x' }) })));
  assert.equal(create.name, 'ValidationError');
  assert.ok(create.message.startsWith(described), create.message);
  const changeSet = await rejection(ext.send(new CreateChangeSetCommand({ StackName: 'bad-eco', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: ECR, Parameters: params({ Ecosystem: 'x'.repeat(26) }) })));
  assert.ok(changeSet.message.startsWith(described), changeSet.message);
  const names = ((await ext.send(new ListStacksCommand({}))).StackSummaries ?? []).map((s) => s.StackName);
  assert.ok(!names.includes('bad-eco'), 'no stack was made');
  await createStackAndWait(ext, { stackName: 'good-eco', templateBody: ECR, parameters: { Ecosystem: 'goodeco' } });
  const update = await rejection(ext.send(new UpdateStackCommand({ StackName: 'good-eco', TemplateBody: ECR, Parameters: params({ Ecosystem: 'main-' }) })));
  assert.ok(update.message.startsWith(described), update.message);

  // Without a ConstraintDescription, AWS's own reasons, the pattern matched against the whole value.
  const bare = JSON.stringify({
    Parameters: {
      Name: { Type: 'String', AllowedPattern: '[a-z]+', MinLength: 2, MaxLength: 5 },
      Size: { Type: 'String', AllowedValues: ['small', 'large'], Default: 'small' },
    },
    Resources: { Topic: { Type: 'AWS::SNS::Topic' } },
  });
  const cases: Array<[Record<string, string>, string]> = [
    [{ Name: 'abc1' }, "Parameter 'Name' must match pattern [a-z]+"],
    [{ Name: 'a' }, "Parameter 'Name' must contain at least 2 characters"],
    [{ Name: 'abcdef' }, "Parameter 'Name' must contain at most 5 characters"],
    [{ Name: 'abc', Size: 'huge' }, "Parameter 'Size' must be one of AllowedValues"],
  ];
  for (const [p, message] of cases) {
    const err = await rejection(ext.send(new CreateStackCommand({ StackName: 'bare', TemplateBody: bare, Parameters: params(p) })));
    assert.equal(err.message, message);
  }
  assert.equal((await createStackAndWait(ext, { stackName: 'bare', templateBody: bare, parameters: { Name: 'abc' } })).status, 'CREATE_COMPLETE');

  const before = await createStackAndWait(raw, { stackName: 'bad-eco', templateBody: ECR, parameters: { Ecosystem: 'internal-x' } });
  assert.equal(before.status, 'CREATE_COMPLETE', 'plain moto does not check AllowedPattern');
});
