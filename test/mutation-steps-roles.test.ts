// The service-linked roles (cli/steps/service-linked-roles.ts) over a FAKE IAM, for the branches only the moto tests
// reached: a GetRole the identity may not call (the deploy then lets CreateServiceLinkedRole decide; doctor says the
// role's presence is not known), a create that finds the role already there, and any other failure stopping the
// check. moto enforces no IAM policy by default, so a denied GetRole is a fake's. The real calls:
// test/preflight-moto.test.ts. Needs no emulator, so `npm run mutate` runs it (docs/mutation.md).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { AbortError } from '../cli/core/errors.ts';
import { SERVICE_LINKED_ROLES } from '../cli/domain/service-linked-roles.ts';
import { ensureServiceLinkedRoles, lookServiceLinkedRoles, roleLine } from '../cli/steps/service-linked-roles.ts';
import type { ServiceLinkedRolePort } from '../cli/ports/preflight.ts';
import { INFRA_TEMPLATE, fakeServiceRoles } from './support/fake-ports.ts';

const ECS = 'AWSServiceRoleForECS';
const ELB = 'AWSServiceRoleForElasticLoadBalancing';
const SCALING = 'AWSServiceRoleForApplicationAutoScaling_ECSService';
const deniedGet = (name: string) => new AbortError('AWS_ACCESS_DENIED', `IAM GetRole ${name}: access denied`);

/** A FAKE IAM whose GetRole answers per role name: true/false, or an error to throw; creates answer `created`. */
function iam(answers: Record<string, boolean | Error>, created: 'created' | 'exists' = 'created'): ServiceLinkedRolePort & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    exists: async (name) => {
      calls.push(`get ${name}`);
      const a = answers[name] ?? false;
      if (a instanceof Error) throw a;
      return a;
    },
    create: async (service) => (calls.push(`create ${service}`), { status: created }),
  };
}

const states = (rs: { role: { roleName: string }; state: string; detail?: string }[]) => rs.map((r) => `${r.role.roleName} ${r.state}${r.detail ? ` (${r.detail})` : ''}`);

describe('the deploy: ensureServiceLinkedRoles', () => {
  test('present roles are left alone; a missing one is created', async () => {
    const port = fakeServiceRoles([ECS, SCALING]);
    assert.deepEqual(states(await ensureServiceLinkedRoles(port, INFRA_TEMPLATE)), [`${ECS} present`, `${ELB} created`, `${SCALING} present`]);
    assert.deepEqual(port.calls, [`get ${ECS}`, `get ${ELB}`, 'create elasticloadbalancing.amazonaws.com', `get ${SCALING}`]);
  });

  test('a GetRole it may not call is no answer: the create is tried and decides (IAM saying it exists is "present")', async () => {
    const port = iam({ [ECS]: deniedGet(ECS), [ELB]: true, [SCALING]: true }, 'exists');
    assert.deepEqual(states(await ensureServiceLinkedRoles(port, INFRA_TEMPLATE)), [`${ECS} present`, `${ELB} present`, `${SCALING} present`]);
    assert.deepEqual(port.calls, [`get ${ECS}`, 'create ecs.amazonaws.com', `get ${ELB}`, `get ${SCALING}`]);
  });

  test('any other GetRole failure stops the check as it is, before any create', async () => {
    const down = new AbortError('AWS_UNREACHABLE', 'iam.amazonaws.com timed out');
    const port = iam({ [ECS]: down });
    await assert.rejects(ensureServiceLinkedRoles(port, INFRA_TEMPLATE), (e) => e === down);
    assert.deepEqual(port.calls, [`get ${ECS}`]);
  });

  test('a create that fails for another reason than a denial is that error, not SERVICE_LINKED_ROLE_DENIED', async () => {
    const throttled = new AbortError('AWS_THROTTLED', 'Rate exceeded');
    const port: ServiceLinkedRolePort = { exists: async () => false, create: async () => { throw throttled; } };
    await assert.rejects(ensureServiceLinkedRoles(port, INFRA_TEMPLATE), (e) => e === throttled);
  });

  test('a template that relies on no role asks IAM nothing', async () => {
    const port = fakeServiceRoles();
    assert.deepEqual(await ensureServiceLinkedRoles(port, 'Resources: {}\n'), []);
    assert.deepEqual(port.calls, []);
  });
});

describe('doctor: lookServiceLinkedRoles (reads only)', () => {
  test('present, missing, and not known when GetRole is denied (with the denial as the reason); nothing is created', async () => {
    const port = iam({ [ECS]: true, [ELB]: false, [SCALING]: deniedGet(SCALING) });
    port.create = async () => assert.fail('doctor never creates a role');
    assert.deepEqual(states(await lookServiceLinkedRoles(port, INFRA_TEMPLATE)), [`${ECS} present`, `${ELB} missing`, `${SCALING} unknown (IAM GetRole ${SCALING}: access denied)`]);
  });

  test('any other failure stops the look', async () => {
    const expired = new AbortError('AWS_CREDENTIALS_EXPIRED', 'The security token included in the request is expired');
    await assert.rejects(lookServiceLinkedRoles(iam({ [ELB]: expired }), INFRA_TEMPLATE), (e) => e === expired);
  });
});

describe('roleLine: one line per role', () => {
  const role = SERVICE_LINKED_ROLES.find((r) => r.roleName === ECS)!;
  test('each state says what it means for the deploy', () => {
    assert.equal(roleLine({ role, state: 'present' }), `${ECS} (ecs.amazonaws.com): exists`);
    assert.equal(roleLine({ role, state: 'created' }), `${ECS} (ecs.amazonaws.com): created now`);
    assert.equal(roleLine({ role, state: 'missing' }), `${ECS} (ecs.amazonaws.com): missing: the deploy creates it (iam:CreateServiceLinkedRole)`);
    assert.equal(roleLine({ role, state: 'unknown', detail: 'IAM GetRole: access denied' }), `${ECS} (ecs.amazonaws.com): not known (IAM GetRole: access denied)`);
    assert.equal(roleLine({ role, state: 'unknown' }), `${ECS} (ecs.amazonaws.com): not known (GetRole was denied)`);
  });
});
