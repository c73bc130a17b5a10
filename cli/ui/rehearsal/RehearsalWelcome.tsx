// Rehearsal screen 1: before anything starts, say plainly that this is a rehearsal (no AWS account, nothing sent
// to AWS), which emulator answers, and every step that will run on this machine, from the engine's own dry run.
import React from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../shared/keys.tsx';
import type { RehearsalStart } from '../shared/services.ts';
import { Card, Keys, Row } from '../shared/widgets.tsx';
import { useTint } from '../shared/env.tsx';

export const EMULATOR_NAMES: Record<RehearsalStart['emulator'], string> = {
  moto: 'moto launcher (moto_server + extensions)',
  'moto-plain': 'plain moto_server (no extensions)',
  localstack: 'LocalStack (a container)',
  endpoint: 'the emulator at --endpoint-url',
};

/** Measured with a warm Docker build cache; the first run builds the image and fills a fresh registry. */
export const REHEARSAL_TIME = '~30–60 s with a warm Docker build cache (the first build takes minutes)';

export function RehearsalWelcome({ start, onNext, onQuit }: { start: RehearsalStart; onNext(): void; onQuit(): void }) {
  const tint = useTint();
  useKeys((input, key) => {
    if (key.return) onNext();
    else if (input === 'q' || key.escape) onQuit();
  });
  const emulatorStep = start.steps.find((s) => s.id === 'emulator');
  const titleWidth = Math.max(...start.steps.map((s) => s.title.length)) + 4;
  return (
    <Box flexDirection="column">
      <Card title="hello-deploy --local · a rehearsal of the whole deployment, on this machine" color="magenta">
        <Text>
          <Text bold>No AWS account is needed and nothing is sent to AWS.</Text> Every AWS call goes to an emulator on 127.0.0.1 with
          fake credentials; the image goes to a local registry; the app runs here as Fargate would run it.
        </Text>
        <Box flexDirection="column" marginTop={1}>
          <Row label="Emulator">
            <Text>{EMULATOR_NAMES[start.emulator]}</Text>
            {emulatorStep ? <Text dimColor>{emulatorStep.description}</Text> : null}
          </Row>
          <Row label="Docker">
            {start.docker.available ? (
              <Text>engine {start.docker.version}: build the image, push it to a local registry, run it</Text>
            ) : (
              <Text color={tint('yellow')}>not available ({start.docker.reason}): the image steps are skipped; the app runs under gunicorn</Text>
            )}
          </Row>
          <Row label="Certificate">
            <Text>{start.certificate.source === 'generated' ? 'a self-signed pair made for this rehearsal (removed at teardown)' : `your pair ${start.certificate.label} (read, never written)`}</Text>
          </Row>
          {start.baseImageNote ? (
            <Row label="Base image">
              <Text dimColor>{start.baseImageNote}</Text>
            </Row>
          ) : null}
        </Box>
        <Box flexDirection="column" marginTop={1}>
          <Text bold>What runs locally <Text dimColor>({start.steps.length} steps; independent ones overlap)</Text></Text>
          {start.steps.map((s) => (
            <Box key={s.id}>
              <Box width={titleWidth} flexShrink={0}>
                <Text>{'  '}{s.title}</Text>
              </Box>
              <Box flexGrow={1} flexShrink={1}>
                <Text dimColor wrap="truncate-end">{s.description}</Text>
              </Box>
            </Box>
          ))}
        </Box>
        <Box flexDirection="column" marginTop={1}>
          <Text>
            <Text bold>Then</Text> the app is probed (hello world, /health, the certificate it serves) and a fidelity report says what the
            emulator really created, what it only partly emulated and what it skipped.{' '}
            {start.keep ? 'With --keep, everything is left running.' : 'Everything is torn down at the end.'}
          </Text>
          <Text><Text bold>Time</Text> {REHEARSAL_TIME}</Text>
        </Box>
      </Card>
      <Keys hints={[['Enter', 'start'], ['q', 'quit']]} />
    </Box>
  );
}
