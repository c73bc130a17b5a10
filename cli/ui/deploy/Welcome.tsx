// Screen 1: what will be created, what it costs while it runs, and how long it takes, before anything happens.
import React from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../shared/keys.tsx';
import { Card, Keys, useCardWidth, useRows } from '../shared/widgets.tsx';
import { useTint } from '../shared/env.tsx';

/**
 * On-demand list prices for us-east-1, checked when this screen was written (see PRICES_CHECKED). They are a
 * rough guide, not a quote: LCU and data transfer depend on traffic, and prices change.
 *   ALB: $0.0225/h ≈ $16.4/mo plus LCUs (≈ $0.008/LCU-h; a quiet app uses a fraction of one) → ~$16–18/mo
 *   Fargate: 0.25 vCPU × $0.04048/h + 0.5 GiB × $0.004445/h ≈ $0.0123/h ≈ $9/mo for one task
 *   CloudWatch: a few MB of logs and one alarm ≈ $1/mo
 */
export const PRICES_CHECKED = '2026-11';
export const COST_LINES: Array<[string, string]> = [
  ['Load balancer (ALB)', '~$16–18/mo + LCU usage'],
  ['Fargate, 1 task (0.25 vCPU, 0.5 GiB)', '~$9/mo per running task'],
  ['CloudWatch logs + alarm', '~$1/mo'],
];
export const COST_TOTAL = '~$26–28/mo for the base stack with one task';
export const STACKS: Array<[string, string]> = [
  ['-hello-world-ecr', 'an ECR repository for the app image'],
  ['-hello-world-infra', 'a VPC with two public subnets, an HTTPS-only load balancer (443, your certificate), an ECS Fargate service that scales on CPU, an alarm if scaling falls behind and an SNS e-mail topic'],
];
export const DEPLOY_TIME = '~8–12 min on AWS, mostly the load balancer and the service turning stable';

/** Answers the wizard will not ask again: saved by an earlier run (`savedFrom`), or given as flags. */
export interface KnownAnswers {
  email: string;
  savedFrom?: string;
}

export function Welcome({ ecosystem, endpointUrl, known, onNext, onEdit, onQuit }: { ecosystem?: string; endpointUrl?: string; known?: KnownAnswers; onNext(): void; onEdit?(): void; onQuit(): void }) {
  const tint = useTint();
  useKeys((input, key) => {
    if (key.return) onNext();
    else if (input === 'e' && known && onEdit) onEdit();
    else if (input === 'q' || key.escape) onQuit();
  });
  const eco = ecosystem || '<ecosystem>';
  // The whole card is about 27 rows at 60 columns (20 at 100): below that it would lose its top.
  const compact = useRows() < (useCardWidth() < 80 ? 30 : 24);
  return (
    <Box flexDirection="column">
      <Card title="hello-deploy · a Flask hello world on AWS, HTTPS only">
        {known ? (
          // Said out loud: answers used silently would deploy somewhere the person did not choose this time.
          <Text>
            This wizard checks your setup, then creates two CloudFormation stacks, using {known.savedFrom ? 'your saved answers' : 'the answers on the command line'} (ecosystem{' '}
            <Text bold>{eco}</Text>, alarm e-mail <Text bold>{known.email}</Text>; <Text color={tint('cyan')}>e</Text> to edit):
          </Text>
        ) : (
          <Text>This wizard checks your setup, asks two questions (the ecosystem and the alarm e-mail), then creates two CloudFormation stacks:</Text>
        )}
        {compact ? <Brief eco={eco} /> : <Details eco={eco} />}
        {endpointUrl ? <Text color={tint('magenta')}>Every AWS call goes to {endpointUrl} (an emulator), not to AWS.</Text> : null}
      </Card>
      <Keys hints={known ? [['Enter', 'start'], ['e', 'edit the answers'], ['q', 'quit']] : [['Enter', 'start'], ['q', 'quit']]} />
    </Box>
  );
}

/** A short terminal: the same facts in a few lines, so the top of the card (and the answers line) stays on screen. */
function Brief({ eco }: { eco: string }) {
  const tint = useTint();
  return (
    <Box flexDirection="column">
      <Text bold>
        {'  '}
        {eco}
        {STACKS[0]![0]}, {eco}
        {STACKS[1]![0]}
      </Text>
      <Text>
        <Text bold>Cost</Text> <Text color={tint('yellow')}>{COST_TOTAL}</Text> (estimate, {PRICES_CHECKED}) · <Text bold>Deploy time</Text> {DEPLOY_TIME}
      </Text>
    </Box>
  );
}

/** What each stack holds, the cost line by line, and the deploy time. */
function Details({ eco }: { eco: string }) {
  const tint = useTint();
  return (
    <Box flexDirection="column">
      <Box flexDirection="column" marginTop={1}>
        {STACKS.map(([suffix, what]) => (
          <Box key={suffix}>
            <Box width={eco.length + 21} flexShrink={0}>
              <Text bold>{'  '}{eco}{suffix}</Text>
            </Box>
            <Box flexGrow={1} flexShrink={1}>
              <Text dimColor>{what}</Text>
            </Box>
          </Box>
        ))}
      </Box>
      <Box flexDirection="column" marginTop={1}>
        <Text bold>Estimated cost <Text dimColor>(us-east-1 on-demand prices, {PRICES_CHECKED}; an estimate, not a quote)</Text></Text>
        {COST_LINES.map(([what, cost]) => (
          <Text key={what}>
            {'  '}{what.padEnd(38)}<Text color={tint('yellow')}>{cost}</Text>
          </Text>
        ))}
        <Text>{'  '}<Text bold>{COST_TOTAL}</Text>, until you delete the stacks</Text>
      </Box>
      <Box marginTop={1}>
        <Text><Text bold>Deploy time</Text> {DEPLOY_TIME}</Text>
      </Box>
    </Box>
  );
}
