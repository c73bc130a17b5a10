// The last stop before AWS changes: every answer, the flag that gives it, and the one command that repeats this
// run without the wizard.
import React from 'react';
import { Box, Text } from 'ink';
import { useKeys } from './keys.tsx';
import type { WizardAnswers } from './services.ts';
import { Card, Keys, Row } from './widgets.tsx';
import { useTint } from './env.tsx';

const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);

/** The non-interactive command that deploys exactly these answers. */
export function equivalentCommand(a: WizardAnswers, passThrough: string[] = []): string {
  const args = ['npx hello-deploy --yes', `--ecosystem ${quote(a.ecosystem)}`, `--email ${quote(a.email)}`];
  if (a.region) args.push(`--region ${quote(a.region)}`);
  if (a.profile) args.push(`--profile ${quote(a.profile)}`);
  if (a.certificate.kind === 'arn') args.push(`--cert-arn ${quote(a.certificate.arn)}`);
  else args.push(`--cert ${quote(a.certificate.certFile)} --key ${quote(a.certificate.keyFile)}`);
  return [...args, ...passThrough].join(' ');
}

export function Summary({ answers, certificateLabel, account, passThrough, onConfirm, onBack }: { answers: WizardAnswers; certificateLabel: string; account?: string; passThrough: string[]; onConfirm(): void; onBack(): void }) {
  const tint = useTint();
  useKeys((input, key) => {
    if (key.return || input.toLowerCase() === 'y') onConfirm();
    else if (key.escape || input.toLowerCase() === 'n') onBack();
  });
  return (
    <Box flexDirection="column">
      <Card title="Ready to deploy">
        <Row label="Ecosystem">
          <Text>{answers.ecosystem}</Text>
        </Row>
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
        <Box flexDirection="column" marginTop={1}>
          <Text dimColor>The same run without the wizard (every answer has a flag):</Text>
          <Text color={tint('cyan')}>{equivalentCommand(answers, passThrough)}</Text>
        </Box>
        <Box marginTop={1}>
          <Text bold>Deploy now? (y/n)</Text>
        </Box>
      </Card>
      <Keys hints={[['y/Enter', 'deploy'], ['n/Esc', 'back'], ['Ctrl-C', 'quit']]} />
    </Box>
  );
}
