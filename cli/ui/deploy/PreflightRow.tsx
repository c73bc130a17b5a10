// The checklist's Preflight row: the deploy's own preflight (names, quotas, the certificate), run once the AWS
// identity and the certificate are settled, and again on Enter. Each problem shows with its fix; the row is ✔ only
// when nothing stands in the way, as the deploy's first step will find it.
import React, { useEffect, useState } from 'react';
import { Text } from 'ink';
import type { AwsTarget, CertificateAnswer, IdentityInfo, PreflightReport, WizardServices } from '../shared/services.ts';
import type { Status } from '../shared/widgets.tsx';
import { useTint } from '../shared/env.tsx';
import { Fix, type CheckState } from './ChecklistRows.tsx';

export type PreflightState = { s: 'waiting' } | CheckState<PreflightReport>;

const problemsIn = (r: PreflightReport) => r.checks.reduce((n, c) => n + c.problems.length, 0);

/** Runs the preflight when the identity and the certificate answer are known (and when `tries` moves). */
export function usePreflight(services: WizardServices, target: AwsTarget, ecosystem: string, identity: IdentityInfo | undefined, certificate: CertificateAnswer | undefined, tries: number): PreflightState {
  const [state, setState] = useState<PreflightState>({ s: 'waiting' });
  const certKey = certificate ? JSON.stringify(certificate) : undefined;
  useEffect(() => {
    if (!identity || !certificate) return setState({ s: 'waiting' });
    let live = true;
    setState({ s: 'checking' });
    void services.preflight({ ...target, region: identity.region }, ecosystem, certificate).then((r) => live && setState(r.ok ? { s: 'ok', value: r.value } : { s: 'fail', error: r.error }));
    return () => { live = false; };
  }, [services, ecosystem, identity?.account, identity?.region, target.profile, certKey, tries]);
  return state;
}

export function preflightStatus(p: PreflightState): Status {
  if (p.s === 'waiting') return 'pending';
  if (p.s === 'checking') return 'checking';
  return p.s === 'ok' && problemsIn(p.value) === 0 ? 'ok' : 'fail';
}

export const preflightClear = (p: PreflightState): boolean => p.s === 'ok' && problemsIn(p.value) === 0;

export function PreflightDetails({ state }: { state: PreflightState }) {
  const tint = useTint();
  if (state.s === 'waiting') return <Text dimColor>Runs once the AWS identity and the certificate are ✔.</Text>;
  if (state.s === 'checking') return <Text dimColor>Looking for names taken, full quotas and the certificate's fit…</Text>;
  if (state.s === 'fail') return <Fix error={state.error} retry="Enter: re-check" />;
  const report = state.value;
  const marks = report.checks.map((c) => `${c.title} ${c.status === 'ok' ? '✔' : c.status === 'skipped' ? '–' : '✘'}`).join(' · ');
  const problems = report.checks.flatMap((c) => c.problems.map((p) => ({ ...p, check: c.title })));
  return (
    <>
      <Text>{marks}</Text>
      {problems.length === 0 ? <Text dimColor>nothing AWS would refuse late</Text> : null}
      {problems.map((p, i) => (
        <React.Fragment key={i}>
          <Text color={tint('red')}>{p.check}: {p.message}</Text>
          <Text color={tint('yellow')}>fix: {p.fix}</Text>
        </React.Fragment>
      ))}
      {problems.length ? <Text dimColor>Enter: re-check</Text> : null}
    </>
  );
}
