// Screen 1: what will be created, what it costs while it runs, and how long it takes, before anything happens.
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../shared/keys.tsx';
import { Card, Keys, useCardWidth, useRows } from '../shared/widgets.tsx';
import { useTint } from '../shared/env.tsx';
import { archFlagValue, fargateMonthly, type CpuArchitecture } from '../../domain/architecture.ts';
import type { ArchitectureChoice } from '../shared/services.ts';
import type { CostEstimate } from '../../domain/cost.ts';
import { CostDetails, costHeadline } from './Cost.tsx';

/** One line: the architecture, where it comes from, its price per task, and the other one's. */
export function architectureLine(a: ArchitectureChoice): string {
  const other: CpuArchitecture = a.cpu === 'ARM64' ? 'X86_64' : 'ARM64';
  const per = (c: CpuArchitecture) => `~$${Math.round(fargateMonthly(c))}/mo`;
  const saving = Math.round((1 - fargateMonthly('ARM64') / fargateMonthly('X86_64')) * 100);
  const from = a.fromHost ? ", this machine's (builds without emulation)" : ' (--arch)';
  return `${archFlagValue(a.cpu)}${from}: ${per(a.cpu)} per task · --arch ${archFlagValue(other)}${other === 'ARM64' ? ` (Graviton): ${per(other)}, ${saving} % less` : `: ${per(other)}`}`;
}
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

export function Welcome({ ecosystem, endpointUrl, known, architecture, cost, onNext, onEdit, onQuit }: { ecosystem?: string; endpointUrl?: string; known?: KnownAnswers; architecture?: ArchitectureChoice; cost?: CostEstimate; onNext(): void; onEdit?(): void; onQuit(): void }) {
  const tint = useTint();
  const [expanded, setExpanded] = useState(false);
  useKeys((input, key) => {
    if (key.return) onNext();
    else if (input === 'c' && cost) setExpanded((x) => !x);
    else if (input === 'e' && known && onEdit) onEdit();
    else if (input === 'q' || key.escape) onQuit();
  });
  const eco = ecosystem || '<ecosystem>';
  // The whole card with its keys is about 36 rows at 60 columns (22 at 100; 3-4 of them the CPU line): below that
  // it would lose its top.
  const rows = useRows();
  const width = useCardWidth();
  // Expanded on request, the line items take the room they need: the terminal scrolls rather than hiding them.
  const compact = !expanded && rows < (width < 80 ? 34 : 27);
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
        {compact ? <Brief eco={eco} {...(architecture ? { architecture } : {})} {...(cost ? { cost } : {})} /> : <Details eco={eco} expanded={expanded} {...(architecture ? { architecture } : {})} {...(cost ? { cost } : {})} />}
        {endpointUrl ? <Text color={tint('magenta')}>Every AWS call goes to {endpointUrl} (an emulator), not to AWS.</Text> : null}
      </Card>
      <Keys hints={[['Enter', 'start'], ...(known ? [['e', 'edit the answers'] as [string, string]] : []), ...(cost ? [['c', expanded ? 'hide the cost lines' : 'the cost line by line'] as [string, string]] : []), ['q', 'quit']]} />
    </Box>
  );
}

/** A short terminal: the same facts in a few lines, so the top of the card (and the answers line) stays on screen. */
function Brief({ eco, architecture, cost }: { eco: string; architecture?: ArchitectureChoice; cost?: CostEstimate }) {
  const tint = useTint();
  const arch = architecture?.cpu ?? 'X86_64';
  return (
    <Box flexDirection="column">
      <Text bold>
        {'  '}
        {eco}
        {STACKS[0]![0]}, {eco}
        {STACKS[1]![0]}
      </Text>
      <Text>
        <Text bold>Cost</Text> <Text color={tint('yellow')}>{cost ? costHeadline(cost) : 'not estimated'}</Text>{cost ? ` (${cost.basis})` : ''}{architecture ? <> · <Text bold>CPU</Text> {archFlagValue(arch)}</> : null} · <Text bold>Deploy time</Text> {DEPLOY_TIME}
      </Text>
    </Box>
  );
}

/** What each stack holds, the cost line by line, and the deploy time. */
function Details({ eco, architecture, cost, expanded }: { eco: string; architecture?: ArchitectureChoice; cost?: CostEstimate; expanded: boolean }) {
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
        <Text bold>Estimated cost <Text dimColor>({cost ? cost.basis : 'not available: the templates could not be read'}; an estimate, not a quote)</Text></Text>
        {cost ? <CostDetails cost={cost} expanded={expanded} /> : null}
      </Box>
      {architecture ? (
        <Box marginTop={1}>
          <Text><Text bold>CPU</Text> {architectureLine(architecture)}</Text>
        </Box>
      ) : null}
      <Box marginTop={1}>
        <Text><Text bold>Deploy time</Text> {DEPLOY_TIME}</Text>
      </Box>
    </Box>
  );
}
