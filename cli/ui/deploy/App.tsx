// The wizard: welcome → answers → prerequisites → summary → deploy (change sets, progress) → result or failure.
// It owns no deploy logic: the deploy runs through WizardServices.deploy (runDeploy), and the screens only show
// the engine's events and answer its questions. Ctrl-C is always heard, never silent, and ends with exit 130;
// SIGTERM and SIGHUP stop without asking (ui/shared/session.tsx). After a deploy that succeeded, every way out is 0.
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys, withKeyProvider } from '../shared/keys.tsx';
import { EXIT, type ErrorShape, type ExitCode } from '../../core/errors.ts';
import { stackNames } from '../../domain/names.ts';
import { owningBranch } from '../../domain/ecosystem.ts';
import { equivalentCommand, takeOverCommand } from '../../domain/equivalent-command.ts';
import type { DeployEvent } from '../../deploy/result.ts';
import type { WizardAnswers, WizardServices, WizardStart } from '../shared/services.ts';
import { EngineQuestion, SessionFrame, useEngineRun, useEngineSession, type ExitInfo, type SubscribeInterrupt } from '../shared/session.tsx';
import { useTint } from '../shared/env.tsx';
import { Welcome } from './Welcome.tsx';
import { Answers } from './Answers.tsx';
import { checkEcosystem, checkEmail, type FieldId } from '../shared/answers-form.tsx';
import { Checklist, type ChecklistResult } from './Checklist.tsx';
import { Summary } from './Summary.tsx';
import { ChangeSetPreview } from './ChangeSet.tsx';
import { ProgressScreen } from '../shared/Progress.tsx';
import { ResultScreen, resultAfterword, runFacts } from './Result.tsx';
import { ANSWERS_KEY, FailureCard, failureAfterword, inWizard } from '../shared/FailureCard.tsx';
import { Card, Keys } from '../shared/widgets.tsx';

type Screen = 'welcome' | 'answers' | 'checklist' | 'summary' | 'deploy' | 'bye';

export type { ExitInfo };

export interface AppProps {
  services: WizardServices;
  start: WizardStart;
  onExit(code: ExitCode, info: ExitInfo): void;
  /** SIGINT (kill -INT; asked about like a Ctrl-C key press), SIGTERM and SIGHUP (they stop without asking). */
  subscribeInterrupt?: SubscribeInterrupt;
}

/** The welcome's farewell, whether it is quit (exit 0) or interrupted (130): nothing at all has happened yet. */
export const NOTHING_DONE = 'Nothing was done.';

interface InterruptState {
  stack?: string;
  status?: string;
  checking: boolean;
}

export const App = withKeyProvider(Wizard);

function Wizard({ services, start, onExit, subscribeInterrupt }: AppProps) {
  const tint = useTint();
  const session = useEngineSession<DeployEvent>(onExit);
  const { snap, quit } = session;

  const [screen, setScreen] = useState<Screen>('welcome');
  const [known, setKnown] = useState<WizardStart>(start);
  const [answers, setAnswers] = useState({ ecosystem: start.ecosystem ?? '', email: start.email ?? '' });
  const [checks, setChecks] = useState<ChecklistResult | undefined>();
  const [dialog, setDialog] = useState<InterruptState | undefined>();
  const [cancelNote, setCancelNote] = useState<string | undefined>();
  const [answersFocus, setAnswersFocus] = useState<FieldId | undefined>();

  // The ecosystem derived from the git branch (the one offered first, not --ecosystem, not typed) belongs to the
  // branch: the deploy records and checks it, as `--yes` without --ecosystem does.
  const branch = owningBranch(answers.ecosystem, known.branch);
  const full = (c: ChecklistResult): WizardAnswers => ({
    ecosystem: answers.ecosystem,
    ...(branch !== undefined ? { branch } : {}),
    email: answers.email,
    ...(c.target.region ? { region: c.target.region } : {}),
    ...(c.target.profile ? { profile: c.target.profile } : {}),
    certificate: c.certificate,
    ...(known.domain ? { domain: known.domain } : {}),
  });

  const runningStack = (): string | undefined => {
    const names = stackNames(answers.ecosystem);
    const s = snap.progress.steps.find((x) => x.status === 'running' && (x.id === 'deploy-ecr-stack' || x.id === 'deploy-infra-stack'));
    if (!s) return undefined;
    return s.stack ?? (s.id === 'deploy-ecr-stack' ? names.ecr : names.infra);
  };

  const deploy = useEngineRun(session, {
    run: (a: WizardAnswers, h, signal) => services.deploy(a, h, signal),
    onRunScreen: screen === 'deploy',
    notStarted: screen === 'welcome' ? NOTHING_DONE : 'Stopped before deploying: nothing was sent to CloudFormation.',
    killed: 'Quit at once. Anything CloudFormation started carries on in AWS; run the same command again to resume.',
    ask: () => {
      if (dialog) return void stop(false); // a second Ctrl-C while asked: stop, leave AWS alone
      deploy.pause(); // nothing new starts while the person decides
      const stack = runningStack();
      setDialog({ ...(stack ? { stack } : {}), checking: Boolean(stack && checks) });
      if (stack && checks) {
        void services.stackStatus(checks.target, stack).then((status) => setDialog((d) => (d ? { ...d, checking: false, ...(status ? { status } : {}) } : d)));
      }
    },
    subscribeInterrupt,
  });
  const { running, stopping, stoppedBy } = deploy;
  // A signal that stops without asking (SIGTERM, SIGHUP) takes the dialog away: it was answered for the person.
  const asking = stopping ? undefined : dialog;

  const startDeploy = (a: WizardAnswers) => {
    setScreen('deploy');
    deploy.start(a);
  };

  const stop = (cancelUpdate: boolean) => {
    const stack = dialog?.stack;
    const target = checks?.target;
    setDialog(undefined);
    void deploy.stop(
      cancelUpdate && stack && target
        ? async () => {
            const r = await services.cancelUpdate(target, stack);
            setCancelNote(r.ok ? `CancelUpdateStack sent: CloudFormation rolls ${stack} back to its last good state.` : `CancelUpdateStack failed: ${r.error.message}`);
          }
        : undefined,
    );
  };

  const resume = () => {
    setDialog(undefined);
    deploy.resume();
  };

  const answersKnown = !checkEcosystem(answers.ecosystem).error && !checkEmail(answers.email);

  const loadSaved = async (ecosystem: string): Promise<string | undefined> => {
    const saved = await services.loadAnswers(ecosystem);
    if (!saved) return undefined;
    setKnown((k) => ({
      ...k,
      ...(k.profile === undefined && saved.profile ? { profile: saved.profile } : {}),
      ...(k.region === undefined && saved.region ? { region: saved.region } : {}),
      ...(k.certificate === undefined && saved.certificate ? { certificate: saved.certificate } : {}),
    }));
    return saved.email;
  };

  function renderDeploy(): React.ReactNode {
    const q = snap.question;
    const result = snap.progress.result;
    if (!running && checks) {
      if (result?.ok) {
        const target = { region: checks.target.region ?? checks.identity.region, ...(checks.target.profile ? { profile: checks.target.profile } : {}), ...(known.endpointUrl ? { endpointUrl: known.endpointUrl } : {}) };
        const shown = { result, ecosystem: answers.ecosystem, ...(branch !== undefined ? { branch } : {}), passThrough: known.passThrough, target, facts: runFacts(snap.progress.steps) };
        session.leaveBehind(resultAfterword({ ...shown, command: equivalentCommand(full(checks), known.passThrough) }));
        return <ResultScreen {...shown} email={answers.email} onQuit={() => quit(EXIT.ok)} onOpen={(args) => session.openNext(args)} />;
      }
      const failed: ErrorShape = result && !result.ok ? result.error : { code: 'UNKNOWN', message: 'The deploy ended without a result.' };
      const { error, backToAnswers } = inWizard(failed, takeOverCommand(known.passThrough));
      const inProgress = result && !result.ok ? result.inProgress : undefined;
      session.leaveBehind(failureAfterword(stopping ? 'Deploy interrupted' : 'Deploy failed', error, equivalentCommand(full(checks), known.passThrough), inProgress));
      // The stopping note under the progress is gone with it: a signal that stopped the run (nobody was asked) is named on the card.
      if (stopping) return <FailureCard title={stoppedBy ? `Interrupted (${stoppedBy})` : 'Interrupted'} model={snap.progress} error={error} {...(inProgress ? { inProgress } : {})} />;
      return (
        <FailureCard
          model={snap.progress}
          error={error}
          {...(inProgress ? { inProgress } : {})}
          onRetry={() => startDeploy(full(checks))}
          onQuit={() => quit(deploy.failCode)}
          quitCode={deploy.failCode}
          also={backToAnswers ? { key: ANSWERS_KEY, label: 'choose another ecosystem', run: () => {
            setAnswersFocus('ecosystem');
            setScreen('answers');
          } } : undefined}
        />
      );
    }
    const changeSet = q && q.question.id.startsWith('execute-change-set:') ? q.question.id.slice('execute-change-set:'.length) : undefined;
    return (
      <Box flexDirection="column">
        {changeSet && !asking && q ? (
          <ChangeSetPreview stack={changeSet} changes={snap.progress.changeSets[changeSet] ?? []} onAnswer={(yes) => q.answer(yes)} />
        ) : (
          <ProgressScreen model={snap.progress} stopping={stopping} {...(stoppedBy ? { stoppedBy } : {})} reserve={(asking ? 10 : q && !changeSet ? 4 : 0) + (cancelNote ? 1 : 0)} />
        )}
        {q && !changeSet && !asking ? <EngineQuestion message={q.question.message} onAnswer={(yes) => q.answer(yes)} /> : null}
        {cancelNote ? <Text color={tint('yellow')}>{cancelNote}</Text> : null}
        {asking ? <InterruptDialog state={asking} canCancel={asking.status === 'UPDATE_IN_PROGRESS'} onStop={stop} onResume={resume} /> : null}
      </Box>
    );
  }

  let body: React.ReactNode = null;
  switch (screen) {
    case 'welcome':
      body = (
        <Welcome
          ecosystem={answers.ecosystem}
          endpointUrl={known.endpointUrl}
          {...(known.architecture ? { architecture: known.architecture } : {})}
          {...(known.cost ? { cost: known.cost } : {})}
          {...(answersKnown ? { known: { email: answers.email, ...(known.savedFrom ? { savedFrom: known.savedFrom } : {}) } } : {})}
          onNext={() => setScreen(answersKnown ? 'checklist' : 'answers')}
          onEdit={() => setScreen('answers')}
          onQuit={() => quit(EXIT.ok, NOTHING_DONE)}
        />
      );
      break;
    case 'answers':
      body = (
        <Answers
          initial={answers}
          {...(known.branch ? { branch: known.branch } : {})}
          {...(answersFocus ? { focus: answersFocus } : {})}
          onEcosystem={loadSaved}
          onDone={(v) => {
            setAnswers(v);
            setScreen('checklist');
          }}
          onBack={() => setScreen('welcome')}
        />
      );
      break;
    case 'checklist':
      body = (
        <Checklist
          services={services}
          start={known}
          ecosystem={answers.ecosystem}
          onDone={(r) => {
            setChecks(r);
            setKnown((k) => ({ ...k, certificate: r.certificate }));
            setScreen('summary');
          }}
          onBack={() => setScreen('answers')}
          onCertificate={(c) => setKnown((k) => ({ ...k, certificate: c }))}
        />
      );
      break;
    case 'summary':
      if (checks) {
        const a = full(checks);
        body = (
          <Summary
            answers={a}
            certificateLabel={checks.certificateLabel}
            account={checks.identity.account}
            passThrough={known.passThrough}
            {...(known.architecture ? { architecture: known.architecture } : {})}
            {...(known.cost ? { cost: known.cost } : {})}
            onConfirm={(withDomain) => {
              void services.saveAnswers(withDomain);
              startDeploy(withDomain);
            }}
            onBack={() => setScreen('checklist')}
          />
        );
      }
      break;
    case 'deploy':
      body = renderDeploy();
      break;
    case 'bye':
      break;
  }

  return <SessionFrame session={session}>{body}</SessionFrame>;
}

export function InterruptDialog({ state, canCancel, onStop, onResume }: { state: InterruptState; canCancel: boolean; onStop(cancelUpdate: boolean): void; onResume(): void }) {
  const tint = useTint();
  useKeys((input, key) => {
    const k = input.toLowerCase();
    if (k === 'c' && canCancel && !key.ctrl) onStop(true);
    else if (k === 'l' || k === 's') onStop(false);
    else if (key.escape || k === 'n') onResume();
  });
  return (
    <Box flexDirection="column">
      <Card title="Stop the deploy?" color="yellow">
        {state.stack ? (
          <Text>
            Stack <Text bold>{state.stack}</Text> is {state.checking ? 'being checked…' : (state.status ?? 'changing')}.
          </Text>
        ) : (
          <Text>No stack is changing right now; running steps finish, nothing new starts.</Text>
        )}
        {canCancel ? <Text><Text color={tint('cyan')}>c</Text>  cancel that update (CancelUpdateStack: CloudFormation rolls it back)</Text> : null}
        {state.stack && !canCancel && !state.checking ? <Text dimColor>Only an update can be cancelled; a create or delete finishes (or rolls back) on its own.</Text> : null}
        <Text>
          <Text color={tint('cyan')}>{state.stack ? 'l' : 's'}</Text>  {state.stack ? 'leave it running in AWS and stop here' : 'stop after the running steps'}
        </Text>
        <Text>
          <Text color={tint('cyan')}>Esc</Text>  keep deploying
        </Text>
      </Card>
      <Keys hints={[['Ctrl-C', 'again: stop now']]} />
    </Box>
  );
}
