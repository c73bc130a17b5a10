// infra/hello-world-ci-role.yaml: cfn-lint finds nothing, and it deploys on moto with and without the OIDC provider,
// with the trust policy this repository's branches (and only they) can match.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { IAMClient, GetRoleCommand } from '@aws-sdk/client-iam';
import { startMoto, type Moto } from './support/moto.ts';
import { cfnClient, createStackAndWait, motoClientConfig, readTemplate } from './support/stacks.ts';
import { ROOT, venvTool } from './support/paths.ts';
import { parseCfnYaml } from '../cli/domain/cfn-yaml.ts';

let moto: Moto;
before(async () => { moto = await startMoto(); });
after(async () => { await moto?.stop(); });

test('cfn-lint, informational rules included, finds nothing', () => {
  const r = spawnSync(venvTool('cfn-lint'), ['--include-checks', 'I', '--non-zero-exit-code', 'informational', '--format', 'parseable', '--', path.join(ROOT, 'infra/hello-world-ci-role.yaml')], { encoding: 'utf8' });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
});

const subjects = async (roleArn: string): Promise<string[]> => {
  const iam = new IAMClient(motoClientConfig(moto.endpoint));
  const role = await iam.send(new GetRoleCommand({ RoleName: roleArn.split('/').pop()! }));
  const doc = JSON.parse(decodeURIComponent(role.Role!.AssumeRolePolicyDocument!)) as { Statement: Array<{ Action: string; Condition: Record<string, Record<string, string | string[]>> }> };
  const [s] = doc.Statement;
  assert.equal(s!.Action, 'sts:AssumeRoleWithWebIdentity');
  assert.equal(s!.Condition['StringEquals']!['token.actions.githubusercontent.com:aud'], 'sts.amazonaws.com');
  // moto keeps an `!If [..., !Ref AWS::NoValue]` list item as null; CloudFormation removes it
  // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html#cfn-pseudo-param-novalue).
  return [s!.Condition['StringLike']!['token.actions.githubusercontent.com:sub']!].flat().filter((x) => x !== null);
};

test('deploys on moto: the provider when asked, a role only the repository\'s listed branches can assume', async () => {
  const cfn = cfnClient(moto.endpoint);
  const r = await createStackAndWait(cfn, { stackName: 'octo-ci-role', templateBody: readTemplate('hello-world-ci-role.yaml'), parameters: { GitHubRepository: 'octo-org/hello', Branches: 'main,release/*', CreateOidcProvider: 'true' }, capabilities: ['CAPABILITY_IAM'] });
  assert.equal(r.status, 'CREATE_COMPLETE', r.reason);
  assert.match(r.outputs['RoleArn']!, /^arn:aws:iam::\d{12}:role\//);
  assert.deepEqual(await subjects(r.outputs['RoleArn']!), ['repo:octo-org/hello:ref:refs/heads/main', 'repo:octo-org/hello:ref:refs/heads/release/*']);
  // moto 5's CloudFormation has no AWS::IAM::OIDCProvider model (moto/iam/models.py: OpenIDConnectProvider is not a
  // CloudFormationModel): it lists a nameless resource, whatever the Condition says, and creates none. So the stack
  // proves the role; the provider's Condition is read from the template.
  const tpl = parseCfnYaml(readTemplate('hello-world-ci-role.yaml'));
  assert.equal(tpl.Resources['GitHubOidcProvider']?.Condition, 'CreateProvider');
  assert.deepEqual(tpl.Conditions?.['CreateProvider'], { 'Fn::Equals': [{ Ref: 'CreateOidcProvider' }, 'true'] });

  // The provider exists now: a second repository's role must not create another one. Any branch by default.
  const other = await createStackAndWait(cfn, { stackName: 'other-ci-role', templateBody: readTemplate('hello-world-ci-role.yaml'), parameters: { GitHubRepository: 'octo-org/other', CreateOidcProvider: 'false' }, capabilities: ['CAPABILITY_IAM'] });
  assert.equal(other.status, 'CREATE_COMPLETE', other.reason);
  assert.deepEqual(await subjects(other.outputs['RoleArn']!), ['repo:octo-org/other:ref:refs/heads/*']);
  assert.equal(other.outputs['OidcProviderCreated'], 'false');
});

test('every statement on Resource "*" says why in the comment above it', () => {
  const lines = readTemplate('hello-world-ci-role.yaml').split('\n');
  const starts = lines.flatMap((l, i) => (/^\s+- Sid: /.test(l) ? [i] : []));
  let unscoped = 0;
  for (const [n, start] of starts.entries()) {
    const body = lines.slice(start, starts[n + 1] ?? lines.length).filter((l) => !/^\s*#/.test(l));
    if (!body.some((l) => /Resource: '\*'/.test(l))) continue;
    unscoped += 1;
    let i = start - 1;
    const comment: string[] = [];
    while (i >= 0 && /^\s*#/.test(lines[i]!)) comment.unshift(lines[i--]!);
    assert.match(comment.join('\n'), /Resource "\*": \S/, `${lines[start]!.trim()} is on Resource "*" without a comment saying why`);
  }
  assert.ok(unscoped >= 3 && unscoped < starts.length / 2, `${unscoped} of ${starts.length} statements unscoped`);
});
