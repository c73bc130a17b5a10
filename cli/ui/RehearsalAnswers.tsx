// Rehearsal screens 2 and 3: the two answers (the ecosystem prefilled, the e-mail optional: a rehearsal has its
// own reserved-domain default, exactly as `--local --yes`), then the confirm with the command that repeats the run.
// The ecosystem goes through the same check as --ecosystem, so what the wizard accepts, `--yes` accepts too.
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from './keys.tsx';
import { checkEcosystem, useFormKeys, type FieldId } from './Answers.tsx';
import { EMAIL } from '../commands/deploy-options.ts';
import type { RehearsalAnswers as Answers, RehearsalStart } from './services.ts';
import { Card, Field, Keys, Row } from './widgets.tsx';
import { useTint } from './env.tsx';
import { EMULATOR_NAMES } from './RehearsalWelcome.tsx';

/** Empty is fine (the rehearsal's default applies); anything typed must be an address. */
export function checkOptionalEmail(value: string): string | undefined {
  return value === '' || EMAIL.test(value) ? undefined : `"${value}" is not an e-mail address (leave it empty for the default).`;
}

const FIELDS: FieldId[] = ['ecosystem', 'email'];

export interface RehearsalAnswersProps {
  initial: { ecosystem: string; email: string };
  defaultEmail: string;
  branch?: string;
  /** The e-mail is resolved: what was typed, or the default. */
  onDone(a: Answers): void;
  onBack(): void;
}

export function RehearsalAnswersScreen({ initial, defaultEmail, branch, onDone, onBack }: RehearsalAnswersProps) {
  const tint = useTint();
  const [values, setValues] = useState(initial);
  const [focus, setFocus] = useState<FieldId>('ecosystem');
  const [tried, setTried] = useState<Record<FieldId, boolean>>({ ecosystem: initial.ecosystem !== '', email: initial.email !== '' });

  const eco = checkEcosystem(values.ecosystem);
  const emailError = checkOptionalEmail(values.email);
  const errors: Record<FieldId, string | undefined> = { ecosystem: eco.error, email: emailError };
  const move = (by: number) => setFocus(FIELDS[(FIELDS.indexOf(focus) + by + FIELDS.length) % FIELDS.length]!);

  // Enter walks down the form; on the last field it submits once both answers are good.
  const accept = () => {
    setTried((t) => ({ ...t, [focus]: true }));
    if (errors[focus]) return;
    if (focus === 'ecosystem') return setFocus('email');
    if (errors.ecosystem) return setFocus('ecosystem');
    onDone({ ecosystem: values.ecosystem, email: values.email || defaultEmail });
  };

  useFormKeys({ focus, values, setValues, setTried, move, accept, onBack, suggestion: eco.suggestion });

  const show = (f: FieldId) => tried[f] && errors[f];
  return (
    <Box flexDirection="column">
      <Card title="Rehearsal answers" color="magenta">
        <Row label={`${focus === 'ecosystem' ? '❯ ' : '  '}Ecosystem`} width={16}>
          <Field value={values.ecosystem} focused={focus === 'ecosystem'} />
          {show('ecosystem') ? <Text color={tint('red')}>✘ {eco.error}</Text> : null}
          {eco.suggestion ? <Text color={tint('yellow')}>as a name: <Text bold>{eco.suggestion}</Text> (→ to use it)</Text> : null}
          {!eco.error ? <Text dimColor>names every resource in the emulator: {values.ecosystem}-hello-world-ecr, {values.ecosystem}-hello-world-infra</Text> : null}
          {branch ? <Text dimColor>from git branch {branch}</Text> : null}
        </Row>
        <Box marginTop={1}>
          <Row label={`${focus === 'email' ? '❯ ' : '  '}Alarm e-mail`} width={16}>
            <Field value={values.email} focused={focus === 'email'} placeholder={defaultEmail} />
            {show('email') ? <Text color={tint('red')}>✘ {emailError}</Text> : null}
            {!emailError ? <Text dimColor>optional: only the emulated SNS subscription gets it, nothing is e-mailed (empty: {defaultEmail})</Text> : null}
          </Row>
        </Box>
      </Card>
      <Keys hints={[['Enter', 'next'], ['↑↓/Tab', 'move'], ['Esc', 'back'], ['Ctrl-C', 'quit']]} />
    </Box>
  );
}

const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);

/** The non-interactive command that rehearses exactly these answers. */
export function equivalentRehearsalCommand(a: Answers, defaultEmail: string, passThrough: string[] = []): string {
  const args = ['npx hello-deploy --local --yes', `--ecosystem ${quote(a.ecosystem)}`];
  if (a.email !== defaultEmail) args.push(`--email ${quote(a.email)}`);
  return [...args, ...passThrough].join(' ');
}

export function RehearsalConfirm({ answers, start, onConfirm, onBack }: { answers: Answers; start: RehearsalStart; onConfirm(): void; onBack(): void }) {
  const tint = useTint();
  useKeys((input, key) => {
    if (key.return || input.toLowerCase() === 'y') onConfirm();
    else if (key.escape || input.toLowerCase() === 'n') onBack();
  });
  return (
    <Box flexDirection="column">
      <Card title="Ready to rehearse" color="magenta">
        <Row label="Ecosystem">
          <Text>{answers.ecosystem}</Text>
        </Row>
        <Row label="Alarm e-mail">
          <Text>{answers.email}{answers.email === start.defaultEmail ? <Text dimColor> (the default; nothing is e-mailed)</Text> : null}</Text>
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
        <Box flexDirection="column" marginTop={1}>
          <Text dimColor>The same run without the wizard:</Text>
          <Text color={tint('cyan')}>{equivalentRehearsalCommand(answers, start.defaultEmail, start.passThrough)}</Text>
        </Box>
        <Box marginTop={1}>
          <Text bold>Rehearse now? (y/n)</Text>
        </Box>
      </Card>
      <Keys hints={[['y/Enter', 'rehearse'], ['n/Esc', 'back'], ['Ctrl-C', 'quit']]} />
    </Box>
  );
}
