// doctor's context: the validated options, read-only ports (by type: no port here can create, import or deploy
// anything), and what one step leaves for the next.
import type { Clock } from '../ports/clock.ts';
import type { FileCheck, Identity, IdentityPort } from '../ports/deploy.ts';
import type { PreflightPorts, ServiceLinkedRolePort } from '../ports/preflight.ts';
import type { PreflightReport } from '../domain/preflight/report.ts';
import type { RoleState } from '../steps/service-linked-roles.ts';
import type { DoctorOptions } from './options.ts';
import type { DnsReadPort } from '../ports/dns.ts';
import type { StackReadPort } from '../ports/stacks.ts';

export interface DoctorPorts {
  identity: IdentityPort;
  /** Only GetRole: doctor never creates a role. */
  roles: Pick<ServiceLinkedRolePort, 'exists'>;
  preflight: PreflightPorts;
  files: FileCheck;
  /** Route 53 reads, for --domain (absent: the domain check cannot run). */
  dns?: DnsReadPort;
  /** The infra stack's outputs (its load balancer's DNS name), for --domain. */
  stacks?: Pick<StackReadPort, 'describe'>;
}

export interface DoctorState {
  identity?: Identity;
  templates?: { ecr: string; infra: string };
  roles?: RoleState[];
  report?: PreflightReport;
  /** --domain's findings: the zone that holds it (none: not in Route 53) and the records of the name elsewhere. */
  domain?: DomainFindings;
}

export interface DomainFindings {
  name: string;
  zone?: { id: string; name: string };
  /** Records of the name that point elsewhere than this ecosystem's load balancer, as "A alias → x". */
  elsewhere: string[];
  replaceRecord: boolean;
}

export interface DoctorContext {
  readonly options: DoctorOptions;
  readonly ports: DoctorPorts;
  readonly state: DoctorState;
  readonly clock: Clock;
}
