// Parameter values checked against the real templates' constraints, reported with their ConstraintDescriptions.
// moto does not enforce AllowedPattern (measured: e-mail `x` creates the stack), so hello-deploy does it itself,
// before any AWS call; the CLI half of this is in deploy-e2e.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkParameterValues } from '../cli/domain/template-params.ts';
import { parseCfnYaml } from '../cli/domain/cfn-yaml.ts';
import { ROOT } from './support/paths.ts';

const infra = readFileSync(path.join(ROOT, 'infra/hello-world-infra.yaml'), 'utf8');
const ecr = readFileSync(path.join(ROOT, 'infra/hello-world-ecr-infra.yaml'), 'utf8');
const constraint = (body: string, name: string) => String(parseCfnYaml(body).Parameters?.[name]?.['ConstraintDescription']).trim();

test('ecosystem Bad_Name and e-mail x are rejected with the templates\' constraint text', () => {
  const v = checkParameterValues(infra, { Ecosystem: 'Bad_Name', EmailAddress: 'x' });
  assert.deepEqual(v.map((x) => x.parameter), ['Ecosystem', 'EmailAddress']);
  assert.ok(v[0]!.message.includes(constraint(infra, 'Ecosystem')), v[0]!.message);
  assert.ok(v[1]!.message.includes(constraint(infra, 'EmailAddress')), v[1]!.message);
  assert.equal(checkParameterValues(ecr, { Ecosystem: 'Bad_Name' })[0]?.message.includes(constraint(ecr, 'Ecosystem')), true);
});

test('lengths, number ranges and good values', () => {
  assert.equal(checkParameterValues(infra, { Ecosystem: 'a'.repeat(26) }).length, 1, 'over MaxLength');
  assert.equal(checkParameterValues(infra, { MaxTasks: '0' }).length, 1, 'under MinValue');
  assert.equal(checkParameterValues(infra, { MaxTasks: 'many' }).length, 1, 'not a number');
  assert.deepEqual(checkParameterValues(infra, {
    Ecosystem: 'feature-login',
    EmailAddress: 'ops@example.com',
    MaxTasks: '4',
    ImageId: '123456789012.dkr.ecr.us-east-1.amazonaws.com/feature-login-hello-world-ecr@sha256:' + 'a'.repeat(64),
    SSLCert: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555',
  }), []);
  // Parameters the template does not declare are not its business.
  assert.deepEqual(checkParameterValues(ecr, { EmailAddress: 'x' }), []);
});
