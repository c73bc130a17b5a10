// The rehearsal wizard (`hello-deploy --local` on a terminal): welcome → answers → confirm → the step panes →
// the probes and fidelity report, or the failure card. It owns no step logic: the rehearsal runs through
// RehearsalServices.rehearse (runRehearsal, as with --yes) and the screens show its events. Ctrl-C stops after
// the running steps and still tears down (exit 130); there is no stack in AWS to ask about.
import React, { useEffect, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { KeyProvider, useKeys } from './keys.tsx';
import { EXIT, type ErrorShape, type ExitCode } from '../engine/errors.ts';
import type { RehearsalAnswers, RehearsalServices, RehearsalStart } from './services.ts';
import { useEngineSession, useInterrupt, type ExitInfo } from './session.ts';
import { useTint } from './env.tsx';
import { RehearsalWelcome } from './RehearsalWelcome.tsx';
import { RehearsalAnswersScreen, RehearsalConfirm } from './RehearsalAnswers.tsx';
import { RehearsalProgress } from './RehearsalProgress.tsx';
import { RehearsalResult, StartedRows } from './RehearsalResult.tsx';
import { FinishedSteps } from './Progress.tsx';
import { FailureCard } from './Result.tsx';
import { Card, Keys } from './widgets.tsx';

type Screen = 'welcome' | 'answers' | 'confirm' | 'run';

export interface RehearsalAppProps {
  services: RehearsalServices;
  start: RehearsalStart;
  onExit(code: ExitCode, info: ExitInfo): void;
  /** SIGINT (and SIGTERM/SIGHUP) delivered as a signal, not as a Ctrl-C key press in raw mode. */
  subscribeInterrupt?(fn: () => void): () => void;
}

export const NOTHING_STARTED = 'Stopped before the rehearsal: nothing was started and nothing was sent to AWS.';
export const KILLED = 'Quit at once: what the rehearsal started (emulator, registry, app) is killed as hello-deploy exits. Nothing ran in AWS.';

export function RehearsalApp(props: RehearsalAppProps) {
  return (
    <KeyProvider>
      <Rehearsal {...props} />
    </KeyProvider>
  );
}

function Rehearsal({ services, start, onExit, subscribeInterrupt }: RehearsalAppProps) {
  const tint = useTint();
  const { store, host, snap, farewell, leaving, quit } = useEngineSession(onExit);

  const [screen, setScreen] = useState<Screen>('welcome');
  const [answers, setAnswers] = useState<RehearsalAnswers>({ ecosystem: start.ecosystem, email: start.email || start.defaultEmail });
  const [running, setRunning] = useState(false);
  const [runExit, setRunExit] = useState<ExitCode | undefined>();
  const [stopping, setStopping] = useState(false);
  const controller = useRef<AbortController | undefined>(undefined);


  const startRun = (a: RehearsalAnswers) => {
    const c = new AbortController();
    controller.current = c;
    store.newRun();
    setRunning(true);
    setStopping(false);
    setRunExit(undefined);
    setScreen('run');
    void services.rehearse(a, host, c.signal).then(
      ({ exitCode }) => {
        setRunExit(exitCode);
        setRunning(false);
      },
      (err: unknown) => {
        host.emit({ type: 'result', ok: false, error: { code: 'UNEXPECTED', message: err instanceof Error ? err.message : String(err) } });
        setRunExit(EXIT.failure);
        setRunning(false);
      },
    );
  };

  const onInterrupt = () => {
    if (leaving) return;
    if (screen !== 'run') return quit(EXIT.interrupted, NOTHING_STARTED);
    if (!running) return quit(EXIT.interrupted);
    if (stopping) return quit(EXIT.interrupted, KILLED, true);
    setStopping(true);
    host.declinePending();
    controller.current?.abort();
  };
  useInterrupt(onInterrupt, subscribeInterrupt);

  // After Ctrl-C, once the rehearsal has torn down, the interrupted card stays on screen and we exit 130.
  useEffect(() => {
    if (screen === 'run' && !running && stopping && !leaving) quit(EXIT.interrupted);
  });

  function renderRun(): React.ReactNode {
    const result = snap.progress.result;
    if (!running) {
      if (result?.ok) return <RehearsalResult result={result} onQuit={() => quit(EXIT.ok)} />;
      const error: ErrorShape = result && !result.ok ? result.error : { code: 'UNKNOWN', message: 'The rehearsal ended without a result.' };
      const r = result?.rehearsal;
      const failCode: ExitCode = runExit === undefined || runExit === EXIT.ok ? EXIT.failure : runExit;
      return (
        <Box flexDirection="column">
          <FailureCard title={stopping ? 'Rehearsal interrupted' : 'Rehearsal failed'} model={snap.progress} error={error} />
          {r ? (
            <Box paddingX={1} flexDirection="column">
              <StartedRows r={r} />
            </Box>
          ) : null}
          <Box paddingX={1}>
            <Text color={tint('magenta')}>Nothing was sent to AWS: every call went to the emulator, with fake credentials.</Text>
          </Box>
          {stopping ? null : <FailureKeys code={failCode} onRetry={() => startRun(answers)} onQuit={() => quit(failCode)} />}
        </Box>
      );
    }
    const q = snap.question;
    return (
      <Box flexDirection="column">
        <RehearsalProgress model={snap.progress} stopping={stopping} />
        {q && !stopping ? <Confirm message={q.question.message} onAnswer={(yes) => q.answer(yes)} /> : null}
      </Box>
    );
  }

  let body: React.ReactNode = null;
  switch (screen) {
    case 'welcome':
      body = <RehearsalWelcome start={start} onNext={() => setScreen('answers')} onQuit={() => quit(EXIT.interrupted, 'Nothing was done.')} />;
      break;
    case 'answers':
      body = (
        <RehearsalAnswersScreen
          initial={{ ecosystem: answers.ecosystem, email: answers.email === start.defaultEmail ? '' : answers.email }}
          defaultEmail={start.defaultEmail}
          {...(start.branch ? { branch: start.branch } : {})}
          onDone={(a) => {
            setAnswers(a);
            setScreen('confirm');
          }}
          onBack={() => setScreen('welcome')}
        />
      );
      break;
    case 'confirm':
      body = <RehearsalConfirm answers={answers} start={start} onConfirm={() => startRun(answers)} onBack={() => setScreen('answers')} />;
      break;
    case 'run':
      body = renderRun();
      break;
  }

  return (
    <Box flexDirection="column">
      <FinishedSteps items={snap.finished} />
      {body}
      {farewell ? <Text color={tint('yellow')}>{farewell}</Text> : null}
    </Box>
  );
}

function FailureKeys({ code, onRetry, onQuit }: { code: ExitCode; onRetry(): void; onQuit(): void }) {
  useKeys((input, key) => {
    if (input === 'r' || key.return) onRetry();
    else if (input === 'q' || key.escape) onQuit();
  });
  return <Keys hints={[['r', 'retry (a fresh rehearsal)'], ['q', `quit (exit ${code})`]]} />;
}

function Confirm({ message, onAnswer }: { message: string; onAnswer(yes: boolean): void }) {
  useKeys((input, key) => {
    const k = input.toLowerCase();
    if (k === 'y' || key.return) onAnswer(true);
    else if (k === 'n' || key.escape) onAnswer(false);
  });
  return (
    <Card title="Question" color="yellow">
      <Text>{message} (y/n)</Text>
    </Card>
  );
}
