// Rehearsal screen 5: what the rehearsal proved and what it did not. The probes of the running app, then the
// fidelity report as the emulator measured it. A green ✔ only marks what really happened: a probe that passed,
// a resource the emulator created, a step that succeeded; gaps are shown as gaps, never as passes.
import React from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../shared/keys.tsx';
import type { FidelityMark, FidelityReport, ProbeOutcome, RehearsalResult as Result, RehearsalSummary, StepTiming } from '../../rehearsal/events.ts';
import { rolloutSummaryLine } from '../../rehearsal/events.ts';
import { Card, Keys, Row } from '../shared/widgets.tsx';
import { useTint } from '../shared/env.tsx';
import { ReportAbove } from '../shared/session.tsx';
import { escapeInvisible } from '../../domain/shown.ts';

type Success = Extract<Result, { ok: true }>;

const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

export const MARKS: Record<FidelityMark, { icon: string; color: string; heading: string }> = {
  created: { icon: '✔', color: 'green', heading: 'created in the emulator' },
  partial: { icon: '◐', color: 'yellow', heading: 'partially emulated' },
  'not-emulated': { icon: '✘', color: 'yellow', heading: 'not emulated (the emulator skipped it)' },
  'static-only': { icon: '·', color: 'gray', heading: 'checked statically only (ValidateTemplate, cfn-lint)' },
  'not-checked': { icon: '✘', color: 'red', heading: 'not checked at all' },
};

function Mark({ ok }: { ok: boolean }) {
  const tint = useTint();
  return ok ? <Text color={tint('green')}>✔</Text> : <Text color={tint('red')}>✘</Text>;
}

function Probe({ p, label }: { p: ProbeOutcome; label: string }) {
  return (
    <Text wrap="truncate-end">
      {'  '}<Mark ok={p.ok} /> {label.padEnd(14)} {p.status} {p.path === '/' ? JSON.stringify(p.body.trim()) : ''}
    </Text>
  );
}

export function FidelitySection({ fidelity }: { fidelity: FidelityReport }) {
  const tint = useTint();
  const e = fidelity.emulator;
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>Fidelity report</Text>
        <Text dimColor> {e ? `${e.engine}${e.version ? ` ${e.version}` : ''} at ${e.endpoint} · ` : ''}{fidelity.resources.length} resources in both templates</Text>
      </Text>
      {(Object.keys(MARKS) as FidelityMark[]).map((mark) => {
        const rs = fidelity.resources.filter((r) => r.mark === mark);
        if (!rs.length) return null;
        const m = MARKS[mark];
        return (
          <Box key={mark} flexDirection="column">
            <Text>
              {'  '}<Text color={tint(m.color)} dimColor={mark === 'static-only'}>{m.icon}</Text> {m.heading}: {rs.length}
            </Text>
            {mark === 'created' ? (
              // One item per name, so a wrapped line starts with a name, never with the space before it.
              <Box paddingLeft={4} flexWrap="wrap" columnGap={1}>
                {rs.map((r, i) => (
                  <Text key={`${r.stack}/${r.logicalId}`} dimColor>
                    {r.logicalId}{i < rs.length - 1 ? ',' : ''}
                  </Text>
                ))}
              </Box>
            ) : mark === 'partial' ? (
              rs.map((r) => (
                <Box key={`${r.stack}/${r.logicalId}`} paddingLeft={4}>
                  <Text>
                    {r.logicalId} <Text dimColor>({r.resourceType})</Text>
                    {r.detail ? <Text dimColor>: {r.detail.replace(/^partially emulated: /, '')}</Text> : null}
                  </Text>
                </Box>
              ))
            ) : (
              rs.map((r) => (
                <Text key={`${r.stack}/${r.logicalId}`} wrap="truncate-end">
                  {'    '}{r.logicalId} <Text dimColor>({r.resourceType}){r.detail && mark !== 'not-emulated' ? `: ${r.detail}` : ''}</Text>
                </Text>
              ))
            )}
          </Box>
        );
      })}
      {fidelity.notRehearsed.length ? (
        <Box flexDirection="column">
          <Text>{'  '}<Text bold>Not rehearsed</Text></Text>
          {fidelity.notRehearsed.map((n) => (
            <Box key={n.what} paddingLeft={4}>
              <Text>– </Text>
              <Box flexShrink={1}>
                <Text>
                  {n.what}<Text dimColor>: {n.reason}</Text>
                </Text>
              </Box>
            </Box>
          ))}
        </Box>
      ) : null}
      <Timings timings={fidelity.timings} totalMs={fidelity.totalMs} />
    </Box>
  );
}

function TimingMark({ outcome }: { outcome: StepTiming['outcome'] }) {
  const tint = useTint();
  if (outcome === 'succeeded') return <Text color={tint('green')}>✔</Text>;
  if (outcome === 'failed') return <Text color={tint('red')}>✘</Text>;
  return <Text dimColor>{outcome === 'skipped' ? '–' : '○'}</Text>;
}

export function Timings({ timings, totalMs }: { timings: StepTiming[]; totalMs: number }) {
  return (
    <Box flexDirection="column">
      <Text>
        {'  '}<Text bold>Wall time</Text> <Text dimColor>per step, total {secs(totalMs)}</Text>
      </Text>
      <Box paddingLeft={4} flexWrap="wrap" columnGap={2}>
        {timings.map((t) => (
          <Text key={t.step}>
            <TimingMark outcome={t.outcome} /> {t.step} {t.outcome === 'succeeded' || t.outcome === 'failed' ? secs(t.durationMs) : <Text dimColor>{t.outcome}</Text>}
          </Text>
        ))}
      </Box>
    </Box>
  );
}

/** What the rehearsal started, and whether it is gone (teardown) or still running (--keep). */
export function StartedRows({ r }: { r: RehearsalSummary }) {
  const tint = useTint();
  const who = (s: RehearsalSummary['started'][number]) => `${s.what}${s.pid ? ` pid ${s.pid}` : s.containerId ? ` ${s.containerId.slice(0, 12)}` : ''}`;
  if (!r.started.length) return null;
  if (!r.kept) {
    return (
      <Row label="Torn down">
        <Text>{r.started.map(who).join(' · ')}</Text>
      </Row>
    );
  }
  return (
    <Row label="Left running">
      {r.started.map((s) => (
        <Text key={who(s)} wrap="truncate-end">
          {who(s)}{s.endpoint ? ` ${s.endpoint}` : ''} <Text dimColor>stop: {s.stop}</Text>
        </Text>
      ))}
      {r.workDir ? <Text color={tint('yellow')}>folder {r.workDir} <Text dimColor>remove: rm -rf {r.workDir}</Text></Text> : null}
    </Row>
  );
}

/** The rehearsal's result: the report printed once above, the outcome and the probes' verdict live (ReportAbove). */
export function RehearsalResult({ result, onQuit }: { result: Success; onQuit(): void }) {
  const tint = useTint();
  useKeys((input, key) => {
    if (input === 'q' || key.return || key.escape) onQuit();
  });
  const p = result.rehearsal?.probes;
  const probes = p ? [p.root.ok, p.health.ok, p.fingerprintMatches] : [];
  const passed = probes.filter(Boolean).length;
  const lb = result.rehearsal?.loadBalancer;
  const lbProbes = lb ? [lb.root.ok, lb.health.ok, lb.fingerprintMatches, lb.tls11Refused, lb.plainHttpRefused] : [];
  const lbPassed = lbProbes.filter(Boolean).length;
  return (
    <ReportAbove id="result" report={<RehearsalReport result={result} />}>
      <Text>
        {passed === probes.length ? <Text color={tint('green')}>✔ Rehearsal passed</Text> : <Text color={tint('yellow')}>⚠ Rehearsal passed, but not every probe did</Text>} · nothing was sent to AWS
      </Text>
      {p ? (
        <Text>
          {'  '}the app ran at <Text color={tint('cyan')}>{p.url}</Text>: <Text color={tint(passed === probes.length ? 'green' : 'red')}>{passed} of {probes.length} probes passed</Text>
        </Text>
      ) : (
        <Text color={tint('yellow')}>{'  '}The app was not probed.</Text>
      )}
      {lb ? (
        <Text>
          {'  '}through the load balancer at <Text color={tint('cyan')}>{lb.url}</Text> (the listener's {lb.port.template}):{' '}
          <Text color={tint(lbPassed === lbProbes.length ? 'green' : 'red')}>
            {lbPassed} of {lbProbes.length} probes passed
          </Text>
        </Text>
      ) : null}
      {result.rehearsal?.rollout ? (
        <Text color={tint(result.rehearsal.rollout.load?.failed ? 'red' : 'green')}>
          {'  '}
          {rolloutSummaryLine(result.rehearsal.rollout)}
        </Text>
      ) : null}
      <Keys hints={[['q', 'quit'], ['', 'the commands and values to copy are printed whole when you quit']]} />
    </ReportAbove>
  );
}

/** The whole rehearsal report: the probes, the stacks and image, what was started, the fidelity report. */
export function RehearsalReport({ result }: { result: Success }) {
  const tint = useTint();
  const r = result.rehearsal;
  const p = r?.probes;
  const imageBuilt = !r?.skipped.some((s) => s.what === 'push-image');
  const portNote = p && p.port.used !== p.port.template ? `, port ${p.port.used}: ${p.port.template} was taken here` : '';
  return (
    <Box flexDirection="column">
      <Card title="Rehearsal passed · nothing was sent to AWS" color="green">
        {p ? (
          <Box flexDirection="column">
            <Text>
              The app ran at <Text color={tint('cyan')}>{p.url}</Text> <Text dimColor>({p.runtime === 'docker' ? 'the pushed image under Docker' : 'gunicorn, no Docker engine'}{portNote})</Text>
            </Text>
            <Probe p={p.root} label={`GET ${p.root.path}`} />
            <Probe p={p.health} label={`GET ${p.health.path}`} />
            <Text wrap="truncate-end">
              {'  '}<Mark ok={p.fingerprintMatches} /> {'certificate'.padEnd(14)} {p.fingerprintMatches ? 'served = ' : 'served ≠ '}
              {r?.certificate?.source === 'user' ? 'your pair' : 'the pair made for the rehearsal'} <Text dimColor>(SHA-256 {p.servedFingerprint.slice(0, 23)}…)</Text>
            </Text>
          </Box>
        ) : (
          <Text color={tint('yellow')}>The app was not probed.</Text>
        )}
        <Box flexDirection="column" marginTop={1}>
          <Row label="Stacks">
            <Text>{result.stacks.ecr}, {result.stacks.infra} <Text dimColor>(in the emulator)</Text></Text>
          </Row>
          <Row label="Image">
            <Text wrap="truncate-middle">{result.image}</Text>
            {imageBuilt ? null : <Text color={tint('yellow')}>never built or pushed: no Docker engine</Text>}
          </Row>
          {r ? <StartedRows r={r} /> : null}
        </Box>
        {r ? (
          <Box marginTop={1}>
            <FidelitySection fidelity={r.fidelity} />
          </Box>
        ) : null}
      </Card>
    </Box>
  );
}

/** What a person copies after a rehearsal, whole and unboxed: what is left running and how to stop it, the command. */
export function keptAfterword(r: RehearsalSummary | undefined): string[] {
  if (!r?.kept) return [];
  return [
    ...r.started.map((s) => `  stop ${s.what}: ${s.stop}`),
    ...(r.workDir ? [`  remove the folder: rm -rf ${r.workDir}`] : []),
  ];
}

export function rehearsalAfterword(result: Success, command: string): string {
  const p = result.rehearsal?.probes;
  return [
    'hello-deploy: rehearsal passed · nothing was sent to AWS',
    ...(p ? [`  the app ran at ${p.url}`] : []),
    `  stacks (in the emulator): ${result.stacks.ecr}, ${result.stacks.infra}`,
    `  image: ${escapeInvisible(result.image)}`,
    ...keptAfterword(result.rehearsal),
    `  the same run without the wizard: ${command}`,
  ].join('\n');
}
