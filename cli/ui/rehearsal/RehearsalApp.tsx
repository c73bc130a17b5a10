// The rehearsal wizard (`hello-deploy --local` on a terminal): welcome → answers → confirm → the step panes →
// the probes and fidelity report, or the failure card. It owns no step logic: the rehearsal runs through
// RehearsalServices.rehearse (runRehearsal, as with --yes) and the screens show its events. Ctrl-C, SIGINT, SIGTERM
// and SIGHUP all stop after the running steps and still tear down (exit 130); there is no stack in AWS to ask about.
// A rehearsal that passed exits 0 however its result is left.
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys, withKeyProvider } from '../shared/keys.tsx';
import { EXIT, type ErrorShape, type ExitCode } from '../../core/errors.ts';
import type { RehearsalEvent } from '../../rehearsal/events.ts';
import type { RehearsalAnswers, RehearsalServices, RehearsalStart } from '../shared/services.ts';
import { EngineQuestion, SessionFrame, useEngineRun, useEngineSession, type ExitInfo, type SubscribeInterrupt } from '../shared/session.tsx';
import { useTint } from '../shared/env.tsx';
import { RehearsalWelcome } from './RehearsalWelcome.tsx';
import { RehearsalAnswersScreen, RehearsalConfirm } from './RehearsalAnswers.tsx';
import { RehearsalProgress } from './RehearsalProgress.tsx';
import { RehearsalResult, StartedRows, keptAfterword, rehearsalAfterword } from './RehearsalResult.tsx';
import { ANSWERS_KEY, FailureCard, doomed, failureAfterword, inWizard } from '../shared/FailureCard.tsx';
import { owningBranch } from '../../domain/ecosystem.ts';
import { equivalentRehearsalCommand, takeOverCommand } from '../../domain/equivalent-command.ts';
import { Keys } from '../shared/widgets.tsx';

type Screen = 'welcome' | 'answers' | 'confirm' | 'run';

export interface RehearsalAppProps {
  services: RehearsalServices;
  start: RehearsalStart;
  onExit(code: ExitCode, info: ExitInfo): void;
  /** SIGINT, SIGTERM and SIGHUP delivered as signals, by name (a Ctrl-C key press is heard as SIGINT). */
  subscribeInterrupt?: SubscribeInterrupt;
}

export const NOTHING_STARTED = 'Stopped before the rehearsal: nothing was started and nothing was sent to AWS.';
export const KILLED = 'Quit at once: what the rehearsal started (emulator, registry, app) is killed as hello-deploy exits. Nothing ran in AWS.';

export const RehearsalApp = withKeyProvider(Rehearsal);

function Rehearsal({ services, start, onExit, subscribeInterrupt }: RehearsalAppProps) {
  const tint = useTint();
  const session = useEngineSession<RehearsalEvent>(onExit);
  const { snap, quit } = session;

  const [screen, setScreen] = useState<Screen>('welcome');
  // The ecosystem derived from the git branch belongs to it: the rehearsal records and checks the branch on the
  // emulator's stacks, as `--local --yes` without --ecosystem (and a real deploy) does.
  const owned = (a: RehearsalAnswers): RehearsalAnswers => {
    const { branch: _b, ...rest } = a;
    const branch = owningBranch(a.ecosystem, start.branch);
    return branch === undefined ? rest : { ...rest, branch };
  };
  const [answers, setAnswers] = useState<RehearsalAnswers>(() => owned({ ecosystem: start.ecosystem, email: start.email || start.defaultEmail }));

  const rehearsal = useEngineRun(session, {
    run: (a: RehearsalAnswers, host, signal) => services.rehearse(a, host, signal),
    onRunScreen: screen === 'run',
    notStarted: NOTHING_STARTED,
    killed: KILLED,
    subscribeInterrupt,
  });
  const { running, stopping, stoppedBy, failCode } = rehearsal;

  const startRun = (a: RehearsalAnswers) => {
    setScreen('run');
    rehearsal.start(a);
  };

  function renderRun(): React.ReactNode {
    const result = snap.progress.result;
    if (!running) {
      const command = equivalentRehearsalCommand(answers, start.defaultEmail, start.passThrough);
      if (result?.ok) {
        session.leaveBehind(rehearsalAfterword(result, command));
        return <RehearsalResult result={result} onQuit={() => quit(EXIT.ok)} />;
      }
      const failed: ErrorShape = result && !result.ok ? result.error : { code: 'UNKNOWN', message: 'The rehearsal ended without a result.' };
      const { error, backToAnswers } = inWizard(failed, takeOverCommand(start.passThrough, true));
      const r = result?.rehearsal;
      const title = stopping ? 'Rehearsal interrupted' : 'Rehearsal failed';
      session.leaveBehind([failureAfterword(title, error, command), ...keptAfterword(r)].join('\n'));
      return (
        <Box flexDirection="column">
          <FailureCard title={title} model={snap.progress} error={error} />
          {r ? (
            <Box paddingX={1} flexDirection="column">
              <StartedRows r={r} />
            </Box>
          ) : null}
          <Box paddingX={1}>
            <Text color={tint('magenta')}>Nothing was sent to AWS: every call went to the emulator, with fake credentials.</Text>
          </Box>
          {stopping ? null : <FailureKeys code={failCode} onRetry={doomed(error, failCode) ? undefined : () => startRun(answers)} onQuit={() => quit(failCode)} {...(backToAnswers ? { onAnswers: () => setScreen('answers') } : {})} />}
        </Box>
      );
    }
    const q = snap.question;
    return (
      <Box flexDirection="column">
        <RehearsalProgress model={snap.progress} stopping={stopping} {...(stoppedBy ? { stoppedBy } : {})} reserve={q && !stopping ? 4 : 0} />
        {q && !stopping ? <EngineQuestion message={q.question.message} onAnswer={(yes) => q.answer(yes)} /> : null}
      </Box>
    );
  }

  let body: React.ReactNode = null;
  switch (screen) {
    case 'welcome':
      body = <RehearsalWelcome start={start} onNext={() => setScreen('answers')} onQuit={() => quit(EXIT.ok, 'Nothing was done.')} />;
      break;
    case 'answers':
      body = (
        <RehearsalAnswersScreen
          initial={{ ecosystem: answers.ecosystem, email: answers.email === start.defaultEmail ? '' : answers.email }}
          defaultEmail={start.defaultEmail}
          {...(start.branch ? { branch: start.branch } : {})}
          onDone={(a) => {
            setAnswers(owned(a));
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

  return <SessionFrame session={session}>{body}</SessionFrame>;
}

/** `onRetry` absent: the failure is doomed to repeat (see doomed()), so r is not offered. */
function FailureKeys({ code, onRetry, onQuit, onAnswers }: { code: ExitCode; onRetry?: (() => void) | undefined; onQuit(): void; onAnswers?: () => void }) {
  useKeys((input, key) => {
    if (onAnswers && input === ANSWERS_KEY) onAnswers();
    else if (input === 'r' || key.return) onRetry?.();
    else if (input === 'q' || key.escape) onQuit();
  });
  return <Keys hints={[...(onAnswers ? [[ANSWERS_KEY, 'choose another ecosystem'] as [string, string]] : []), ...(onRetry ? [['r', 'retry (a fresh rehearsal)'] as [string, string]] : []), ['q', `quit (exit ${code})`]]} />;
}
