// Rehearsal screen 4: the deploy's own live area and step panes (LiveSteps, StepPane), fed by the rehearsal's events,
// so the emulator, local registry, run-app and teardown steps show exactly like the deploy steps between them.
import React from 'react';
import { Text } from 'ink';
import type { ProgressModel } from '../shared/progress-model.ts';
import { LiveSteps } from '../shared/Progress.tsx';

/** Said on Ctrl-C: unlike a real deploy there is no stack in AWS to cancel or leave behind. */
export const STOPPING_NOTE =
  'Stopping after the running steps, then tearing down what the rehearsal started. Nothing runs in AWS, so there is nothing to cancel there. (Ctrl-C again to kill everything at once)';

/** After SIGTERM or SIGHUP the note says which signal stopped it (nobody pressed Ctrl-C); `reserve`: the rows of a question shown under the progress. */
export function RehearsalProgress({ model, stopping, stoppedBy, reserve }: { model: ProgressModel; stopping?: boolean; stoppedBy?: NodeJS.Signals; reserve?: number }) {
  return (
    <LiveSteps
      model={model}
      stopping={stopping}
      {...(reserve ? { reserve } : {})}
      header={(done) => (
        <Text wrap="truncate-end">
          <Text bold>Rehearsing {model.ecosystem ?? ''}</Text>
          <Text dimColor> · {model.region ?? 'emulated'} · {done} of {model.steps.length} steps done · nothing is sent to AWS</Text>
        </Text>
      )}
      stoppingNote={stoppedBy ? `${stoppedBy}: ${STOPPING_NOTE}` : STOPPING_NOTE}
      hint="Ctrl-C stop (everything started is still torn down)"
    />
  );
}
