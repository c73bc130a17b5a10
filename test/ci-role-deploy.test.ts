// deployCiRole (cli/ci/role.ts) over the real adapters on moto: the role stack per repository, the GitHub OIDC
// provider created only when the account has none (or when this stack already holds it), and refused inputs
// stopped before any AWS call.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { IAMClient, CreateOpenIDConnectProviderCommand } from '@aws-sdk/client-iam';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { cfnClient, describeStack, motoClientConfig } from './support/stacks.ts';
import { ROOT } from './support/paths.ts';
import { deployCiRole, ciRoleStackName, checkCiRoleRequest } from '../cli/ci/role.ts';
import { createCiRolePorts } from '../cli/adapters/ci-role-ports.ts';
import { HelloDeployError } from '../cli/core/errors.ts';

let moto: Moto;
before(async () => {
  Object.assign(process.env, FAKE_AWS_ENV);
  moto = await startMoto();
});
after(async () => { await moto?.stop(); });

const ports = () => createCiRolePorts({ region: 'us-east-1', endpointUrl: moto.endpoint }, path.join(ROOT, 'infra/hello-world-ci-role.yaml'));
const param = async (stack: string, key: string) => (await describeStack(cfnClient(moto.endpoint), stack)).Parameters?.find((p) => p.ParameterKey === key)?.ParameterValue;

test('the stack name: one per repository, in the characters CloudFormation allows', () => {
  assert.equal(ciRoleStackName('Octo-Org/hello.world'), 'hello-deploy-ci-octo-org-hello-world');
  assert.match(ciRoleStackName(`o/${'x'.repeat(100)}`), /^[a-z][a-z0-9-]{0,127}$/);
});

test('a bad repository or branch list is refused before any AWS call, the value shown escaped', async () => {
  const sent = (await moto.settled()).length;
  const code = (f: () => unknown) => {
    try {
      f();
      return 'none';
    } catch (err) {
      return err instanceof HelloDeployError ? `${err.code} ${err.message}` : String(err);
    }
  };
  assert.match(code(() => checkCiRoleRequest({ repository: 'not-a-repo' })), /^REPOSITORY_INVALID --repository "not-a-repo"/);
  assert.match(code(() => checkCiRoleRequest({ repository: 'o/n\u001b[2J' })), /\\u001b/);
  assert.match(code(() => checkCiRoleRequest({ repository: 'o/n', branches: ['main', 'a b'] })), /^BRANCHES_INVALID --branches: "a b" is not a branch name/);
  assert.match(code(() => checkCiRoleRequest({ repository: 'o/n', branches: ['a', 'b', 'c', 'd', 'e', 'f'] })), /^BRANCHES_INVALID .*6 branches given, at most 5/);
  assert.equal(code(() => checkCiRoleRequest({ repository: 'o/n', branches: ['main', 'release/*'] })), 'none');
  const p = await ports();
  await assert.rejects(deployCiRole(p, { repository: 'nope', region: 'us-east-1' }), { code: 'REPOSITORY_INVALID' });
  p.close();
  assert.equal((await moto.settled()).length, sent, 'nothing sent to AWS');
});

test('no provider in the account: the stack creates it, and keeps it on a re-run; a second repository does not', async () => {
  const p = await ports();
  const first = await deployCiRole(p, { repository: 'octo-org/hello', branches: ['main'], region: 'us-east-1' });
  assert.equal(first.stackName, 'hello-deploy-ci-octo-org-hello');
  assert.match(first.roleArn, /^arn:aws:iam::\d{12}:role\//);
  assert.equal(first.providerCreated, true);
  assert.equal(first.workflowLine, `role-to-assume: ${first.roleArn}`);
  assert.equal(await param(first.stackName, 'CreateOidcProvider'), 'true');

  // moto's CloudFormation does not create the provider (no AWS::IAM::OIDCProvider model), so the test creates it
  // as AWS would have: a re-run of the same repository must still keep it (its stack owns it) ...
  await new IAMClient(motoClientConfig(moto.endpoint)).send(new CreateOpenIDConnectProviderCommand({ Url: 'https://token.actions.githubusercontent.com', ClientIDList: ['sts.amazonaws.com'] }));
  const again = await deployCiRole(p, { repository: 'octo-org/hello', region: 'us-east-1' });
  assert.equal(again.providerCreated, true);
  assert.equal(again.roleArn, first.roleArn, 'the same role, updated in place');
  assert.equal(await param(first.stackName, 'CreateOidcProvider'), 'true');
  assert.equal(await param(first.stackName, 'Branches'), '');

  // ... and another repository's stack finds it and creates none.
  const other = await deployCiRole(p, { repository: 'octo-org/other', region: 'us-east-1' });
  assert.equal(other.providerCreated, false);
  assert.equal(await param(other.stackName, 'CreateOidcProvider'), 'false');
  assert.notEqual(other.roleArn, first.roleArn);
  p.close();
});
