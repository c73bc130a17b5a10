// The last stop before AWS changes: every answer, the flag that gives it, and the one command that repeats this
// run without the wizard. Its card (ReadyCard) is the rehearsal's confirm too.
import React from 'react';
import { Text } from 'ink';
import type { ArchitectureChoice, WizardAnswers } from '../shared/services.ts';
import { architectureLine } from './Welcome.tsx';
import { Row } from '../shared/widgets.tsx';
import { ReadyCard, ownerNote } from '../shared/ReadyCard.tsx';
import { equivalentCommand } from '../../domain/equivalent-command.ts';
import { escapeInvisible } from '../../domain/shown.ts';

export function Summary({ answers, certificateLabel, account, passThrough, architecture, onConfirm, onBack }: { answers: WizardAnswers; certificateLabel: string; account?: string; passThrough: string[]; architecture?: ArchitectureChoice; onConfirm(): void; onBack(): void }) {
  return (
    <ReadyCard
      title="Ready to deploy"
      ecosystem={answers.ecosystem}
      {...(answers.branch !== undefined ? { ecosystemNote: ownerNote(answers.branch) } : {})}
      commandNote="The same run without the wizard (every answer has a flag):"
      command={equivalentCommand(answers, passThrough)}
      question="Deploy now? (y/n)"
      go="deploy"
      onConfirm={onConfirm}
      onBack={onBack}
    >
      <Row label="Alarm e-mail">
        <Text>{escapeInvisible(answers.email)}</Text>
      </Row>
      <Row label="AWS">
        <Text>{account ? `account ${account}, ` : ''}region {answers.region ?? '(default)'}, profile {answers.profile ?? '(default chain)'}</Text>
      </Row>
      <Row label="Certificate">
        {certificateLabel.split('\n').map((l) => (
          <Text key={l} wrap="truncate-middle">{l}</Text>
        ))}
      </Row>
      {architecture ? (
        <Row label="CPU">
          <Text>{architectureLine(architecture)}</Text>
        </Row>
      ) : null}
      <Row label="Stacks">
        <Text>{answers.ecosystem}-hello-world-ecr, {answers.ecosystem}-hello-world-infra</Text>
      </Row>
    </ReadyCard>
  );
}
