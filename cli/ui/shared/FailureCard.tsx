// The failure card both wizards show: the failed step, the resource CloudFormation blamed, the hint, the log tail,
// and retry or quit with the engine's own exit code.
import React from 'react';
import { Box, Text } from 'ink';
import { useKeys } from './keys.tsx';
import type { ErrorCode, ErrorShape } from '../../core/errors.ts';
import { failedResource, type ProgressModel } from './progress-model.ts';
import { Card, Keys, Row } from './widgets.tsx';
import { useTint } from './env.tsx';
import { ReportAbove } from './session.tsx';
import { escapeInvisible } from '../../domain/shown.ts';

export interface FailureProps {
  model: ProgressModel;
  error: ErrorShape;
  inProgress?: string[];
  /** Without retry (after Ctrl-C) the card only reports. */
  onRetry?: () => void;
  onQuit?: () => void;
  /** What `q` exits with: the engine's own code (1 for a failed step, 2 for input AWS refused as bad). */
  quitCode?: number;
  title?: string;
  /** One more way out besides retry and quit, with its key (backToAnswers: e, choose another ecosystem). */
  also?: FailureAction | undefined;
}

export interface FailureAction {
  key: string;
  label: string;
  run(): void;
}

/**
 * Failures that the same run again cannot get past: AWS refused an input as bad (exit 2), or the ecosystem
 * belongs to another branch. Anything else may pass on a retry once its cause is fixed outside the wizard (Docker
 * started, a template edited, a stack settled), so those keep r.
 */
export function doomed(error: ErrorShape, quitCode: number): boolean {
  return quitCode === 2 || (SAME_AGAIN as readonly string[]).includes(error.code);
}
const SAME_AGAIN: readonly ErrorCode[] = ['ECOSYSTEM_TAKEN'];

/** The key that goes back to the answers from a failure the ecosystem name can fix. */
export const ANSWERS_KEY = 'e';

/** Failures a wizard's answers screen can fix: the ecosystem belongs to another git branch. */
const FIXED_BY_ANSWERS: readonly ErrorCode[] = ['ECOSYSTEM_TAKEN'];

/**
 * The failure as a wizard shows it, with the way out a wizard has: a hint written for a command line ("deploy it
 * under --ecosystem <name>, or pass --take-over") becomes "press e for the answers, or run `takeOver`" (the wizard
 * again with --take-over). Other errors are shown as they are.
 */
export function inWizard(error: ErrorShape, takeOver: string): { error: ErrorShape; backToAnswers: boolean } {
  if (!(FIXED_BY_ANSWERS as readonly string[]).includes(error.code)) return { error, backToAnswers: false };
  return {
    error: { ...error, hint: `Nothing was changed. Press ${ANSWERS_KEY} to go back and give this branch an ecosystem name of its own, or quit and run ${takeOver} to deploy over the other branch's stacks (this branch then owns them).` },
    backToAnswers: true,
  };
}

/**
 * The failure: the whole card printed once above (ReportAbove), and live below it the key lines a person must see
 * whatever the terminal's height: what failed and why, the hint, what is still moving, and the keys.
 */
export function FailureCard(props: FailureProps) {
  const { model, error, inProgress, onRetry, onQuit, quitCode = 1, title = 'Deploy failed', also } = props;
  const tint = useTint();
  // A retry never repeats a doomed action: the same answers would be refused the same way, so r is not offered.
  const retry = doomed(error, quitCode) ? undefined : onRetry;
  useKeys(
    (input, key) => {
      if (also && input === also.key) also.run();
      else if (input === 'r' || key.return) retry?.();
      else if (input === 'q' || key.escape) onQuit?.();
    },
    { isActive: Boolean(onRetry || onQuit || also) },
  );
  const step = model.steps.find((s) => s.status === 'failed');
  const keys: Array<[string, string]> = [...(also ? [[also.key, also.label] as [string, string]] : []), ...(retry ? [['r', 'retry (runs the deploy again)'] as [string, string]] : []), ['q', `quit (exit ${quitCode})`]];
  return (
    <ReportAbove id="failure" report={<FailureReport {...props} />}>
      <Text>
        <Text color={tint('red')}>✘ {title}</Text>
        {step ? <Text bold> · {step.title}</Text> : null}: {error.message.split('\n')[0]}
      </Text>
      {error.hint ? <Text color={tint('yellow')}>  hint: {error.hint}</Text> : null}
      {inProgress?.length ? <Text>  still moving: {inProgress.join(', ')}</Text> : null}
      {onRetry && !retry ? <Text dimColor>  no retry: the same answers would be refused the same way{also ? '' : '; quit, change them, and run again'}</Text> : null}
      {onRetry || onQuit ? <Keys hints={keys} /> : null}
    </ReportAbove>
  );
}

/** The whole failure card: the failed step, the resource CloudFormation blamed, the reason, the hint, the log tail. */
export function FailureReport({ model, error, inProgress, title = 'Deploy failed' }: FailureProps) {
  const tint = useTint();
  const step = model.steps.find((s) => s.status === 'failed');
  const resource = step ? failedResource(step) : undefined;
  const tail = step?.tail ?? [];
  return (
    <Box flexDirection="column">
      <Card title={title} color="red">
        {step ? (
          <Row label="Step">
            <Text>
              <Text color={tint('red')}>✘</Text> {step.title}
            </Text>
          </Row>
        ) : null}
        {resource ? (
          <Row label="Resource">
            <Text>
              {resource.logicalId} <Text dimColor>({resource.resourceType})</Text> <Text color={tint('red')}>{resource.status}</Text>
            </Text>
            {resource.reason ? <Text>{resource.reason}</Text> : null}
          </Row>
        ) : null}
        <Row label="Reason">
          <Text color={tint('red')}>{error.message}</Text>
        </Row>
        {error.hint ? (
          <Row label="Hint">
            <Text color={tint('yellow')}>{error.hint}</Text>
          </Row>
        ) : null}
        {inProgress?.length ? (
          <Row label="Still moving">
            {inProgress.map((s) => (
              <Text key={s}>{s}</Text>
            ))}
          </Row>
        ) : null}
        {tail.length ? (
          <Box flexDirection="column" marginTop={1}>
            <Text bold>Log tail</Text>
            {tail.map((l, i) => (
              <Text key={i} dimColor wrap="truncate-end">
                │ {l}
              </Text>
            ))}
          </Box>
        ) : null}
      </Card>
    </Box>
  );
}

/** What a person copies after a failed or stopped run, whole and unboxed: printed when the wizard ends. */
export function failureAfterword(title: string, error: ErrorShape, command: string | undefined, inProgress: string[] = []): string {
  return [
    `hello-deploy: ${title.toLowerCase()} (${error.code}): ${escapeInvisible(error.message.split('\n')[0] ?? '')}`,
    ...(error.hint ? [`  hint: ${escapeInvisible(error.hint)}`] : []),
    ...(inProgress.length ? [`  still moving: ${inProgress.join(', ')}`] : []),
    ...(command ? [`  the same run without the wizard: ${command}`] : []),
  ].join('\n');
}
