// The last stop before a run, deploy or rehearsal: the answers, the equivalent command, and go or back.
import React from 'react';
import { Box, Text } from 'ink';
import { useKeys } from './keys.tsx';
import { Card, Keys, Row } from './widgets.tsx';
import { useTint } from './env.tsx';
import { shown } from '../../domain/shown.ts';

/** Beside a branch-owned ecosystem: the owner the stacks record, and what that means for another branch. */
export const ownerNote = (branch: string) => `owned by git branch ${shown(branch)}: recorded on the stacks; another branch's deploy onto them stops`;

/**
 * The last stop before a run, deploy or rehearsal: the ecosystem and the other answers as rows, the one command
 * that repeats the run without the wizard, and y/Enter to go or n/Esc to go back.
 */
export function ReadyCard({ title, color, ecosystem, ecosystemNote, commandNote, command, question, go, onConfirm, onBack, children }: {
  title: string;
  color?: string;
  ecosystem: string;
  /** Beside the ecosystem, dim: whose it is. */
  ecosystemNote?: string;
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
          {ecosystemNote ? <Text dimColor>{ecosystemNote}</Text> : null}
        </Row>
        {children}
        <Box marginTop={1}>
          <Text bold>{question}</Text>
        </Box>
      </Card>
      {/* Outside the border, so a copy of it carries no │ (and it is printed whole again when the wizard ends). */}
      <Box flexDirection="column" paddingX={1}>
        <Text dimColor>{commandNote}</Text>
        <Text color={tint('cyan')}>{command}</Text>
      </Box>
      <Keys hints={[['y/Enter', go], ['n/Esc', 'back'], ['Ctrl-C', 'quit']]} />
    </Box>
  );
}
