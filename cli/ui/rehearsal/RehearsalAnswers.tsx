// Rehearsal screens 2 and 3: the two answers (the ecosystem prefilled, the e-mail optional: a rehearsal has its
// own reserved-domain default, exactly as `--local --yes`), then the confirm with the command that repeats the run.
// The ecosystem goes through the same check as --ecosystem, so what the wizard accepts, `--yes` accepts too.
import React from 'react';
import { Box, Text } from 'ink';
import { AnswersCard, useAnswersForm } from '../shared/answers-form.tsx';
import { ReadyCard, ownerNote } from '../shared/ReadyCard.tsx';
import { emailError } from '../../domain/parsers.ts';
import { escapeInvisible } from '../../domain/shown.ts';
import { equivalentRehearsalCommand } from '../../domain/equivalent-command.ts';
import type { RehearsalAnswers as Answers, RehearsalStart } from '../shared/services.ts';
import { Row } from '../shared/widgets.tsx';
import { useTint } from '../shared/env.tsx';
import { EMULATOR_NAMES } from './RehearsalWelcome.tsx';

/** Empty is fine (the rehearsal's default applies); anything typed must be an address, by the --email rule and message. */
export function checkOptionalEmail(value: string): string | undefined {
  const refused = value === '' ? undefined : emailError(value);
  return refused === undefined ? undefined : `${refused} Leave it empty for the default.`;
}

export interface RehearsalAnswersProps {
  initial: { ecosystem: string; email: string };
  defaultEmail: string;
  branch?: string;
  /** The e-mail is resolved: what was typed, or the default. */
  onDone(a: Answers): void;
  onBack(): void;
}

export function RehearsalAnswersScreen({ initial, defaultEmail, branch, onDone, onBack }: RehearsalAnswersProps) {
  const form = useAnswersForm({
    initial,
    focus: 'ecosystem',
    checkEmail: checkOptionalEmail,
    onBack,
    // Enter walks down the form; on the last field it submits once both answers are good.
    accept: ({ values, focus, errors, setFocus }) => {
      if (focus === 'ecosystem') return setFocus('email');
      if (errors.ecosystem) return setFocus('ecosystem');
      onDone({ ecosystem: values.ecosystem, email: values.email || defaultEmail });
    },
  });
  return (
    <AnswersCard
      form={form}
      title="Rehearsal answers"
      color="magenta"
      branch={branch}
      names="names every resource in the emulator"
      emailPlaceholder={defaultEmail}
      emailNote={`optional: only the emulated SNS subscription gets it, nothing is e-mailed (empty: ${defaultEmail})`}
    />
  );
}

export function RehearsalConfirm({ answers, start, onConfirm, onBack }: { answers: Answers; start: RehearsalStart; onConfirm(): void; onBack(): void }) {
  const tint = useTint();
  return (
    <ReadyCard
      title="Ready to rehearse"
      color="magenta"
      ecosystem={answers.ecosystem}
      {...(answers.branch !== undefined ? { ecosystemNote: ownerNote(answers.branch) } : {})}
      commandNote="The same run without the wizard:"
      command={equivalentRehearsalCommand(answers, start.defaultEmail, start.passThrough)}
      question="Rehearse now? (y/n)"
      go="rehearse"
      onConfirm={onConfirm}
      onBack={onBack}
    >
      <Row label="Alarm e-mail">
        <Text>{escapeInvisible(answers.email)}{answers.email === start.defaultEmail ? <Text dimColor> (the default; nothing is e-mailed)</Text> : null}</Text>
      </Row>
      <Row label="Emulator">
        <Text>{EMULATOR_NAMES[start.emulator]}, region us-east-1, fake credentials</Text>
      </Row>
      <Row label="Stacks">
        <Text>{answers.ecosystem}-hello-world-ecr, {answers.ecosystem}-hello-world-infra <Text dimColor>(in the emulator)</Text></Text>
      </Row>
      <Row label="Afterwards">
        <Text>{start.keep ? 'left running (--keep); the result lists how to stop each part' : 'everything it started is stopped and its folder removed'}</Text>
      </Row>
      <Box marginTop={1}>
        <Text color={tint('magenta')}>Nothing is sent to AWS: no account, no cost.</Text>
      </Box>
    </ReadyCard>
  );
}
