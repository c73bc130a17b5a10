// Issue 12, a fresh account: the service-linked roles the infra stack relies on exist before any stack change.
// For each: IAM GetRole; when it is missing, CreateServiceLinkedRole. The deploy runs ensure (it creates); doctor
// runs look (it only reads). A GetRole the identity may not call is no answer, so the create is tried and decides.
import { toHelloDeployError } from '../core/errors.ts';
import { serviceLinkedRoleDenied, serviceLinkedRolesFor, type ServiceLinkedRole } from '../domain/service-linked-roles.ts';
import type { ServiceLinkedRolePort } from '../ports/preflight.ts';

export interface RoleState {
  role: ServiceLinkedRole;
  state: 'present' | 'created' | 'missing' | 'unknown';
  /** For `unknown`: why GetRole could not tell. */
  detail?: string;
}

async function present(port: Pick<ServiceLinkedRolePort, 'exists'>, role: ServiceLinkedRole): Promise<boolean | { unknown: string }> {
  try {
    return await port.exists(role.roleName);
  } catch (err) {
    const e = toHelloDeployError(err);
    if (e.code === 'AWS_ACCESS_DENIED') return { unknown: e.message };
    throw e;
  }
}

/** Makes sure every role the infra template relies on exists; a denied create is SERVICE_LINKED_ROLE_DENIED with the fix. */
export async function ensureServiceLinkedRoles(port: ServiceLinkedRolePort, infraTemplate: string): Promise<RoleState[]> {
  const out: RoleState[] = [];
  for (const role of serviceLinkedRolesFor(infraTemplate)) {
    if ((await present(port, role)) === true) {
      out.push({ role, state: 'present' });
      continue;
    }
    try {
      const made = await port.create(role.service);
      out.push({ role, state: made.status === 'created' ? 'created' : 'present' });
    } catch (err) {
      const e = toHelloDeployError(err);
      throw e.code === 'AWS_ACCESS_DENIED' ? serviceLinkedRoleDenied(role, e) : e;
    }
  }
  return out;
}

/** Read only (doctor): which roles exist; a missing one is created by the next deploy. */
export async function lookServiceLinkedRoles(port: Pick<ServiceLinkedRolePort, 'exists'>, infraTemplate: string): Promise<RoleState[]> {
  return Promise.all(
    serviceLinkedRolesFor(infraTemplate).map(async (role): Promise<RoleState> => {
      const p = await present(port, role);
      return typeof p === 'boolean' ? { role, state: p ? 'present' : 'missing' } : { role, state: 'unknown', detail: p.unknown };
    }),
  );
}

/** One line per role, for the step's report. */
export function roleLine(r: RoleState): string {
  const what = { present: 'exists', created: 'created now', missing: 'missing: the deploy creates it (iam:CreateServiceLinkedRole)', unknown: `not known (${r.detail ?? 'GetRole was denied'})` }[r.state];
  return `${r.role.roleName} (${r.role.service}): ${what}`;
}
