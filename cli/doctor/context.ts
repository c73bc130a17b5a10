// doctor's context: the validated options, read-only ports (by type: no port here can create, import or deploy
// anything), and what one step leaves for the next.
import type { Clock } from '../ports/clock.ts';
import type { FileCheck, Identity, IdentityPort } from '../ports/deploy.ts';
import type { PreflightPorts, ServiceLinkedRolePort } from '../ports/preflight.ts';
import type { PreflightReport } from '../domain/preflight/report.ts';
import type { RoleState } from '../steps/service-linked-roles.ts';
import type { DoctorOptions } from './options.ts';

export interface DoctorPorts {
  identity: IdentityPort;
  /** Only GetRole: doctor never creates a role. */
  roles: Pick<ServiceLinkedRolePort, 'exists'>;
  preflight: PreflightPorts;
  files: FileCheck;
}

export interface DoctorState {
  identity?: Identity;
  templates?: { ecr: string; infra: string };
  roles?: RoleState[];
  report?: PreflightReport;
}

export interface DoctorContext {
  readonly options: DoctorOptions;
  readonly ports: DoctorPorts;
  readonly state: DoctorState;
  readonly clock: Clock;
}
