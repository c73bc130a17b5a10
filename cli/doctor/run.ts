// doctor's service: plan, run the read-only steps, and one closing `result` event that carries every check's
// report, whether it passed or not (a script reads `checks` either way).
import type { Host } from '../core/host.ts';
import { planOf, runSteps } from '../core/runner.ts';
import { InterruptedError } from '../core/errors.ts';
import type { DoctorContext } from './context.ts';
import { doctorSteps } from './plan.ts';
import type { DoctorEvent, DoctorFindings } from './result.ts';

export async function runDoctor(ctx: DoctorContext, host: Host<DoctorEvent>, signal: AbortSignal): Promise<{ ok: boolean; error?: InterruptedError | import('../core/errors.ts').HelloDeployError }> {
  const { options, state } = ctx;
  host.emit({ type: 'plan', ecosystem: options.ecosystem, region: options.region ?? 'default', steps: planOf(doctorSteps, ctx) });
  const summary = await runSteps(doctorSteps, ctx, host, signal);
  const findings: Partial<DoctorFindings> = {
    ecosystem: options.ecosystem,
    ...(state.identity ? { region: state.identity.region, account: state.identity.account } : {}),
    ...(state.roles ? { roles: state.roles.map((r) => ({ roleName: r.role.roleName, service: r.role.service, state: r.state })) } : {}),
    ...(state.report ? { checks: state.report.checks } : {}),
    ...(state.domain ? { domain: state.domain } : {}),
  };
  if (summary.ok && state.identity && state.report) {
    host.emit({ type: 'result', ok: true, ecosystem: options.ecosystem, region: state.identity.region, account: state.identity.account, roles: findings.roles ?? [], checks: state.report.checks, ...(state.domain ? { domain: state.domain } : {}) });
    return { ok: true };
  }
  const error = summary.failed?.error ?? new InterruptedError('doctor stopped before it finished.');
  host.emit({ type: 'result', ok: false, error: error.toJSON(), ...findings });
  return { ok: false, error };
}
