// Screen 5: one pane per step. The running step shows a live tail (docker build lines, push progress) or, for a
// stack, its resources with a bar; finished steps leave the live area for <Static>, printed once above it.
import React from 'react';
import { Box, Static, Text } from 'ink';
import { isComplete, isFailed, stackProgress, type ProgressModel, type ResourceRow, type StepView } from './progress-model.ts';
import type { FinishedItem } from './host.ts';
import { Elapsed, Spinner, formatDuration, useTint } from './env.tsx';
import { StatusIcon, useCardWidth, useRows } from './widgets.tsx';

const ROWS = 8;

export function FinishedLine({ step }: { step: StepView }) {
  const tint = useTint();
  const took = step.durationMs === undefined ? '' : ` ${formatDuration(step.durationMs)}`;
  const what = step.status === 'failed' ? step.error?.message : step.status === 'skipped' ? `skipped: ${step.reason ?? ''}` : step.summary;
  return (
    <Text wrap="truncate-end">
      <StatusIcon status={step.status} /> {step.title}
      <Text dimColor>{took}</Text>
      {what ? <Text color={step.status === 'failed' ? tint('red') : undefined} dimColor={step.status !== 'failed'}>  {what}</Text> : null}
    </Text>
  );
}

/** Mounted once for the whole session (remounting <Static> would print everything again). */
export function FinishedSteps({ items }: { items: FinishedItem[] }) {
  return <Static items={items}>{(item) => ('step' in item ? <FinishedLine key={item.key} step={item.step} /> : <Box key={item.key}>{item.report}</Box>)}</Static>;
}

export function Bar({ done, total, width }: { done: number; total: number; width: number }) {
  const tint = useTint();
  const filled = total > 0 ? Math.round((done / total) * width) : 0;
  return (
    <Text>
      <Text color={tint('green')}>{'█'.repeat(filled)}</Text>
      <Text dimColor>{'░'.repeat(Math.max(0, width - filled))}</Text>
    </Text>
  );
}

/** In-progress and failed rows first (they are the news), then the most recently finished ones. */
export function visibleRows(rows: ResourceRow[], max = ROWS): ResourceRow[] {
  const busy = rows.filter((r) => !isComplete(r.status));
  const done = rows.filter((r) => isComplete(r.status));
  return [...busy, ...done.slice(-(Math.max(0, max - busy.length)))].slice(0, max);
}

function ResourceLine({ row, width }: { row: ResourceRow; width: number }) {
  const tint = useTint();
  const state = isComplete(row.status) ? 'ok' : isFailed(row.status) ? 'fail' : 'running';
  const showType = width >= 80;
  return (
    <Text wrap="truncate-end">
      {'  '}
      <StatusIcon status={state} /> {row.logicalId.padEnd(24)} {showType ? <Text dimColor>{row.resourceType.padEnd(42)} </Text> : null}
      <Text color={state === 'fail' ? tint('red') : state === 'ok' ? tint('green') : undefined}>{row.status}</Text>
      {row.reason && state === 'fail' ? <Text color={tint('red')}> {row.reason}</Text> : null}
    </Text>
  );
}

/**
 * How a running pane spends `lines` (the rows under its title): a stack's status and bar first, then its busiest
 * resources and its newest log lines; another step's counter, then its newest log lines. Never less than nothing.
 */
export function paneLines(step: StepView, lines: number): { resources: number; tail: number } {
  if (step.stack !== undefined) {
    const rest = Math.max(0, lines - 2);
    const tail = Math.min(3, step.tail.length, Math.floor(rest / 3));
    return { resources: Math.min(ROWS, rest - tail), tail };
  }
  return { resources: 0, tail: Math.min(step.tail.length, Math.max(0, lines - (step.counter ? 1 : 0))) };
}

export function StepPane({ step, lines = Infinity }: { step: StepView; lines?: number }) {
  const tint = useTint();
  const width = useCardWidth();
  const budget = paneLines(step, lines);
  if (step.status === 'pending') {
    return (
      <Text dimColor wrap="truncate-end">
        ○ {step.title}
      </Text>
    );
  }
  const { done, total } = stackProgress(step);
  const isStack = step.stack !== undefined;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={tint('cyan')} paddingX={1} width={width}>
      <Text wrap="truncate-end">
        <Spinner /> <Text bold>{step.title}</Text> {step.startedAt !== undefined ? <Elapsed since={step.startedAt} /> : null}
      </Text>
      {isStack ? (
        <>
          <Text wrap="truncate-end">
            {step.stack} <Text color={tint('cyan')}>{step.stackStatus ?? 'starting'}</Text>
          </Text>
          {total > 0 ? (
            <Text>
              <Bar done={done} total={total} width={Math.min(30, width - 30)} /> {done} of {total} complete
            </Text>
          ) : null}
          {visibleRows(step.resources, budget.resources).map((r) => (
            <ResourceLine key={r.logicalId} row={r} width={width} />
          ))}
        </>
      ) : null}
      {step.counter ? (
        <Text>
          <Bar done={step.counter.current} total={step.counter.total} width={Math.min(30, width - 30)} /> {step.counter.current} of {step.counter.total}
        </Text>
      ) : null}
      {(budget.tail > 0 ? step.tail.slice(-budget.tail) : []).map((line, i) => (
        <Text key={i} dimColor wrap="truncate-end">
          │ {line}
        </Text>
      ))}
    </Box>
  );
}

/**
 * The live area of a run, deploy or rehearsal: the header (told how many steps are done), a pane per running step
 * and a dim line per pending one, the stopping note after Ctrl-C, and the Ctrl-C hint.
 */
export function LiveSteps({ model, stopping, header, stoppingNote, hint, reserve = 0 }: { model: ProgressModel; stopping?: boolean; header(done: number): React.ReactNode; stoppingNote: string; hint: string; reserve?: number }) {
  const tint = useTint();
  const rows = useRows();
  const live = model.steps.filter((s) => s.status === 'running' || s.status === 'pending');
  const running = live.filter((s) => s.status === 'running');
  const pending = live.filter((s) => s.status === 'pending');
  // The live frame must stay shorter than the terminal (a taller one loses its top and litters the scrollback):
  // header, hint, stopping note, Ink's last newline and what the screen shows under this (`reserve`) come first;
  // then pending steps get a line each (or one line for all); the running panes share the rest.
  const width = useCardWidth();
  const room = rows - 3 - (stopping ? Math.ceil(stoppingNote.length / width) : 0) - reserve;
  const pendingFits = pending.length + running.length * 3 <= room;
  const pendingLines = pending.length === 0 ? 0 : pendingFits ? pending.length : 1;
  const paneRoom = running.length ? Math.floor((room - pendingLines) / running.length) - 3 : Infinity;
  return (
    <Box flexDirection="column">
      {header(model.steps.length - live.length)}
      {running.map((s) => (
        <StepPane key={s.id} step={s} lines={paneRoom} />
      ))}
      {/* Pending steps are one dim line each, drawn here: a StepPane per pending step would add a resize listener each. */}
      {pendingFits ? (
        pending.map((s) => (
          <Text key={s.id} dimColor wrap="truncate-end">
            ○ {s.title}
          </Text>
        ))
      ) : pending.length ? (
        <Text dimColor wrap="truncate-end">
          ○ {pending.length} more: {pending.map((s) => s.title).join(', ')}
        </Text>
      ) : null}
      {stopping ? <Text color={tint('yellow')}>{stoppingNote}</Text> : null}
      <Text dimColor>{hint}</Text>
    </Box>
  );
}

/** Said while stopping. After SIGTERM or SIGHUP nobody was asked: say which signal, and that AWS is left alone. */
export function deployStoppingNote(stoppedBy?: NodeJS.Signals): string {
  if (!stoppedBy) return 'Stopping after the running steps… (Ctrl-C again to quit at once)';
  return `${stoppedBy}: stopping after the running steps, without asking; a stack already changing carries on in AWS (nothing is cancelled). (Ctrl-C again to quit at once)`;
}

/** `reserve`: the rows the screen shows under the progress (a question, the Ctrl-C dialog). */
export function ProgressScreen({ model, stopping, stoppedBy, reserve }: { model: ProgressModel; stopping?: boolean; stoppedBy?: NodeJS.Signals; reserve?: number }) {
  return (
    <LiveSteps
      model={model}
      stopping={stopping}
      {...(reserve ? { reserve } : {})}
      header={(done) => (
        <Text>
          <Text bold>Deploying {model.ecosystem ?? ''}</Text>
          <Text dimColor> to {model.region ?? ''} · {done} of {model.steps.length} steps done</Text>
        </Text>
      )}
      stoppingNote={deployStoppingNote(stoppedBy)}
      hint="Ctrl-C stop"
    />
  );
}
