// The printers over every command's events: the line printer prints the common events itself and a command's own
// through the lines that command hands in; NDJSON prints whatever it is given, exactly. And a host is typed by its
// command: a deploy's host takes no rehearsal event (checked by tsc, which `npm test` runs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linePrinter } from '../cli/printers/line.ts';
import { ndjsonPrinter } from '../cli/printers/ndjson.ts';
import { deployLines } from '../cli/printers/deploy.ts';
import { rehearsalLines } from '../cli/printers/rehearsal.ts';
import { NonInteractiveHost } from '../cli/core/host.ts';
import type { DeployEvent, DeployResult } from '../cli/deploy/result.ts';
import type { FidelityEvent, RehearsalEvent, RehearsalResult, RehearsalSummary } from '../cli/rehearsal/events.ts';

const steps: DeployEvent[] = [
  { type: 'plan', ecosystem: 'p', region: 'us-east-1', steps: [{ id: 'prerequisites', title: 'Check prerequisites', description: 'checks', after: [] }] },
  { type: 'step-start', step: 'prerequisites', title: 'Check prerequisites' },
  { type: 'step-succeeded', step: 'prerequisites', durationMs: 1234, summary: 'fine' },
];
const fields = { url: 'https://u', stacks: { ecr: 'p-hello-world-ecr', infra: 'p-hello-world-infra' }, image: 'r/p@sha256:1', created: { A: 'b' } };
const deployed: DeployResult = { type: 'result', ok: true, ...fields };
const fidelity: FidelityEvent = { type: 'fidelity', resources: [], notRehearsed: [], timings: [{ step: 'emulator', title: 'Start', outcome: 'succeeded', durationMs: 500 }], totalMs: 900 };
const summary: RehearsalSummary = { fidelity, skipped: [], started: [], kept: false };
const passed: RehearsalResult = { type: 'result', ok: true, ...fields, rehearsal: summary };

function printed<E extends { type: string }>(make: (write: (s: string) => void) => (e: E) => void, events: E[]): string {
  let out = '';
  const print = make((s) => (out += s));
  for (const e of events) print(e);
  return out;
}

test('the line printer prints the common events itself and a deploy result through the deploy\'s lines', () => {
  const out = printed((w) => linePrinter<DeployEvent>(deployLines, w), [...steps, deployed]);
  assert.equal(out, [
    'hello-deploy: ecosystem p, region us-east-1, 1 steps',
    '  1. Check prerequisites: checks',
    '▶ Check prerequisites',
    '✔ Check prerequisites (1.2s): fine',
    '',
    '✔ Deployed: https://u',
    '  stacks: p-hello-world-ecr, p-hello-world-infra',
    '  image:  r/p@sha256:1',
    '  Confirm the SNS subscription e-mail to receive CPU alarms.',
    '',
  ].join('\n'));
  // A failure is a diagnostic: its lines go to stderr, nothing to stdout.
  let stdout = '';
  const failed = printed((w) => linePrinter<DeployEvent>(deployLines, (s) => (stdout += s), w), [{ type: 'result', ok: false, error: { code: 'X', message: 'broke', hint: 'fix' }, inProgress: ['s (UPDATE_IN_PROGRESS)'] }]);
  assert.equal(failed, '\n✘ broke\n  hint: fix\n  still in progress: s (UPDATE_IN_PROGRESS)\n');
  assert.equal(stdout, '');
});

test('the same printer takes a rehearsal\'s own events through the rehearsal\'s lines; a refusal reads as any failure', () => {
  const out = printed((w) => linePrinter<RehearsalEvent>(rehearsalLines, w), [fidelity, passed]);
  assert.equal(out, [
    '',
    'Fidelity report: 0 resources in both templates',
    '  Wall time: emulator 0.5s; total 0.9s',
    '',
    '✔ Rehearsal passed',
    '  stacks (in the emulator): p-hello-world-ecr, p-hello-world-infra',
    '  image: r/p@sha256:1',
    '  Nothing was sent to AWS: every call went to the emulator, with fake credentials.',
    '',
  ].join('\n'));
  const refused = printed((w) => linePrinter<RehearsalEvent>(rehearsalLines, () => assert.fail('a refusal goes to stderr only'), w), [{ type: 'result', ok: false, error: { code: 'USAGE', message: 'no', hint: 'yes' } }]);
  assert.equal(refused, '\n✘ no\n  hint: yes\n');
});

test('warnings and a failed step go to stderr, progress to stdout', () => {
  let err = '';
  const out = printed((w) => linePrinter<DeployEvent>(deployLines, w, (s) => (err += s)), [
    ...steps,
    { type: 'warn', step: 'prerequisites', message: 'expires soon' },
    { type: 'step-failed', step: 'prerequisites', durationMs: 10, error: { code: 'X', message: 'broke' } },
  ]);
  assert.equal(err, '  ⚠ [prerequisites] expires soon\n✘ Check prerequisites (0.0s): broke\n');
  assert.doesNotMatch(out, /broke|expires/);
});

test('NDJSON prints each command\'s objects as given; the type-level command tag never reaches the wire', () => {
  const lines: string[] = [];
  const host = new NonInteractiveHost<DeployEvent>(ndjsonPrinter<DeployEvent>((s) => lines.push(s)));
  host.emit(deployed);
  // @ts-expect-error a rehearsal's result is not a deploy's, though it has every field a deploy's has
  host.emit(passed);
  // @ts-expect-error nor is a rehearsal's fidelity report a deploy event
  host.emit(fidelity);
  assert.equal(lines[0], '{"type":"result","ok":true,"url":"https://u","stacks":{"ecr":"p-hello-world-ecr","infra":"p-hello-world-infra"},"image":"r/p@sha256:1","created":{"A":"b"}}\n');
  assert.equal(lines.length, 3, 'at run time the host passes everything on: only the type checker refuses');
});

test('a deploy\'s plan in plain lines carries its cost: the total with its range, the architecture, the IPv4 line, the price table', async () => {
  const { deployPlanDetails } = await import('../cli/printers/deploy.ts');
  const { costFor } = await import('./support/cost.ts');
  const out: string[] = [];
  const print = linePrinter<DeployEvent>(deployLines, (s) => out.push(s), (s) => out.push(s), deployPlanDetails);
  print({ ...(steps[0] as Extract<DeployEvent, { type: 'plan' }>), details: { cost: costFor('ARM64') } });
  const text = out.join('');
  assert.match(text, /^ {2}cost: ~\$44\.64\/mo at 1 task \(\$44\.64–\$\d+\.\d\d\/mo for 1–4\) once deployed; ARM64, 0\.25 vCPU \/ 0\.5 GB per task$/m);
  assert.match(text, /Public IPv4 addresses \(3: the ALB's 2, one per AZ \+ 1 task\): \$10\.95\/mo \(2190 address-hours × \$0\.005 per public IPv4 address-hour\)/);
  assert.match(text, /prices: us-east-1 bundled prices of 2026-11-30/);
});
