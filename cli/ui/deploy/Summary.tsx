// The last stop before AWS changes: every answer, the flag that gives it, and the one command that repeats this
// run without the wizard. Its card (ReadyCard) is the rehearsal's confirm too.
import React from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../shared/keys.tsx';
import type { WizardAnswers } from '../shared/services.ts';
import { Card, Keys, Row } from '../shared/widgets.tsx';
import { useTint } from '../shared/env.tsx';

/** One argument of an equivalent command, shell-quoted when it needs it. */
export const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);

/** The non-interactive command that deploys exactly these answers. */
export function equivalentCommand(a: WizardAnswers, passThrough: string[] = []): string {
  const args = ['npx hello-deploy --yes', `--ecosystem ${quote(a.ecosystem)}`, `--email ${quote(a.email)}`];
  if (a.region) args.push(`--region ${quote(a.region)}`);
  if (a.profile) args.push(`--profile ${quote(a.profile)}`);
  if (a.certificate.kind === 'arn') args.push(`--cert-arn ${quote(a.certificate.arn)}`);
  else args.push(`--cert ${quote(a.certificate.certFile)} --key ${quote(a.certificate.keyFile)}`);
  return [...args, ...passThrough].join(' ');
}

/**
 * The last stop before a run, deploy or rehearsal: the ecosystem and the other answers as rows, the one command
 * that repeats the run without the wizard, and y/Enter to go or n/Esc to go back.
 */
export function ReadyCard({ title, color, ecosystem, commandNote, command, question, go, onConfirm, onBack, children }: {
  title: string;
  color?: string;
  ecosystem: string;
  commandNote: string;
  command: string;
  question: string;
  /** The key hint for y/Enter. */
  go: string;
  onConfirm(): void;
  onBack(): void;
  children: React.ReactNode;
}) {
  const tint = useTint();
  useKeys((input, key) => {
    if (key.return || input.toLowerCase() === 'y') onConfirm();
    else if (key.escape || input.toLowerCase() === 'n') onBack();
  });
  return (
    <Box flexDirection="column">
      <Card title={title} color={color}>
        <Row label="Ecosystem">
          <Text>{ecosystem}</Text>
        </Row>
        {children}
        <Box flexDirection="column" marginTop={1}>
          <Text dimColor>{commandNote}</Text>
          <Text color={tint('cyan')}>{command}</Text>
        </Box>
        <Box marginTop={1}>
          <Text bold>{question}</Text>
        </Box>
      </Card>
      <Keys hints={[['y/Enter', go], ['n/Esc', 'back'], ['Ctrl-C', 'quit']]} />
    </Box>
  );
}

export function Summary({ answers, certificateLabel, account, passThrough, onConfirm, onBack }: { answers: WizardAnswers; certificateLabel: string; account?: string; passThrough: string[]; onConfirm(): void; onBack(): void }) {
  return (
    <ReadyCard
      title="Ready to deploy"
      ecosystem={answers.ecosystem}
      commandNote="The same run without the wizard (every answer has a flag):"
      command={equivalentCommand(answers, passThrough)}
      question="Deploy now? (y/n)"
      go="deploy"
      onConfirm={onConfirm}
      onBack={onBack}
    >
      <Row label="Alarm e-mail">
        <Text>{answers.email}</Text>
      </Row>
      <Row label="AWS">
        <Text>{account ? `account ${account}, ` : ''}region {answers.region ?? '(default)'}, profile {answers.profile ?? '(default chain)'}</Text>
      </Row>
      <Row label="Certificate">
        {certificateLabel.split('\n').map((l) => (
          <Text key={l} wrap="truncate-middle">{l}</Text>
        ))}
      </Row>
      <Row label="Stacks">
        <Text>{answers.ecosystem}-hello-world-ecr, {answers.ecosystem}-hello-world-infra</Text>
      </Row>
    </ReadyCard>
  );
}
