// Rehearsal screen 4: the deploy's own step panes (StepPane), fed by the rehearsal's events, so the emulator,
// local registry, run-app and teardown steps show exactly like the deploy steps between them.
import React from 'react';
import { Box, Text } from 'ink';
import type { ProgressModel } from './progress-model.ts';
import { StepPane } from './Progress.tsx';
import { useTint } from './env.tsx';

/** Said on Ctrl-C: unlike a real deploy there is no stack in AWS to cancel or leave behind. */
export const STOPPING_NOTE =
  'Stopping after the running steps, then tearing down what the rehearsal started. Nothing runs in AWS, so there is nothing to cancel there. (Ctrl-C again to kill everything at once)';

export function RehearsalProgress({ model, stopping }: { model: ProgressModel; stopping?: boolean }) {
  const tint = useTint();
  const live = model.steps.filter((s) => s.status === 'running' || s.status === 'pending');
  const done = model.steps.length - live.length;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>Rehearsing {model.ecosystem ?? ''}</Text>
        <Text dimColor> · {model.region ?? 'emulated'} · {done} of {model.steps.length} steps done · nothing is sent to AWS</Text>
      </Text>
      {live.map((s) =>
        // Pending steps are one dim line, drawn here: a StepPane per pending step would add a resize listener each.
        s.status === 'pending' ? (
          <Text key={s.id} dimColor wrap="truncate-end">
            ○ {s.title}
          </Text>
        ) : (
          <StepPane key={s.id} step={s} />
        ),
      )}
      {stopping ? <Text color={tint('yellow')}>{STOPPING_NOTE}</Text> : null}
      <Text dimColor>Ctrl-C stop (everything started is still torn down)</Text>
    </Box>
  );
}
