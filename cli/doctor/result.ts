// What `doctor` ends with: the closing `result` event with every check's report, and its whole event stream (the
// common step events plus that result). The wire shape is in README.md (doctor).
import type { EngineEvent, ResultEvent } from '../core/events.ts';
import type { CheckReport } from '../domain/preflight/report.ts';
import type { DomainFindings } from './context.ts';

export interface RoleReport {
  roleName: string;
  service: string;
  /** present, missing (the next deploy creates it), or unknown (GetRole was denied). */
  state: 'present' | 'missing' | 'unknown' | 'created';
}
export interface DoctorFindings {
  ecosystem: string;
  region: string;
  account: string;
  roles: RoleReport[];
  checks: CheckReport[];
  /** --domain: its zone and the records of the name that point elsewhere. */
  domain?: DomainFindings;
}

export type DoctorResult = ResultEvent<'doctor', DoctorFindings, Partial<DoctorFindings>>;

export type DoctorEvent = EngineEvent | DoctorResult;
