// The change-set preview: what CloudFormation will add, modify or remove in one stack, with replacements and
// security-sensitive resources (IAM, security groups, listeners) called out, then y/n. It answers the engine's
// `execute-change-set:<stack>` question; declining leaves the change set unexecuted, as with the plain prompt.
import React from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../shared/keys.tsx';
import type { ResourceChange } from '../../core/events.ts';
import { Card, Keys, useCardWidth, useRows } from '../shared/widgets.tsx';
import { ReportAbove } from '../shared/session.tsx';
import { useTint } from '../shared/env.tsx';

const SENSITIVE: Array<[RegExp, string]> = [
  [/^AWS::IAM::/, 'IAM'],
  [/^AWS::EC2::SecurityGroup(Ingress|Egress)?$/, 'network access'],
  [/^AWS::ElasticLoadBalancingV2::Listener(Rule|Certificate)?$/, 'listener'],
];

/** Why a change deserves a second look, or undefined. */
export function sensitivity(c: ResourceChange): string | undefined {
  return SENSITIVE.find(([re]) => re.test(c.resourceType))?.[1];
}

const ACTION_COLOR: Record<string, string> = { Add: 'green', Modify: 'yellow', Remove: 'red' };

function replacementText(c: ResourceChange): string {
  if (c.replacement === 'True') return 'replaced';
  if (c.replacement === 'Conditional') return 'may be replaced';
  return '';
}

export function ChangeSetTable({ stack, changes }: { stack: string; changes: ResourceChange[] }) {
  const tint = useTint();
  const width = useCardWidth() - 4;
  // Columns shrink with the terminal; the resource type goes first when there is no room for it.
  const longest = (f: (c: ResourceChange) => string, cap: number) => Math.min(cap, Math.max(8, ...changes.map((c) => f(c).length)));
  const idWidth = longest((c) => c.logicalId, 28);
  const typeWidth = longest((c) => c.resourceType, 42);
  const showType = width - 12 - idWidth - typeWidth >= 20;
  const counts = ['Add', 'Modify', 'Remove'].map((a) => `${changes.filter((c) => c.action === a).length} ${a.toLowerCase()}`).join(', ');
  const flagged = changes.filter((c) => sensitivity(c)).length;
  const cell = (s: string, w: number) => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w));
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>{stack}</Text>: {changes.length} change{changes.length === 1 ? '' : 's'} ({counts})
        {flagged ? <Text color={tint('yellow')}> · {flagged} security-sensitive</Text> : null}
      </Text>
      <Text dimColor>
        {'  '}{cell('Action', 8)} {cell('Resource', idWidth)} {showType ? `${cell('Type', typeWidth)} ` : ''}Notes
      </Text>
      {changes.map((c) => {
        const why = sensitivity(c);
        const repl = replacementText(c);
        const notes = [repl, why ? `⚠ ${why}` : ''].filter(Boolean).join(' · ');
        return (
          <Text key={`${c.action}:${c.logicalId}`} bold={Boolean(why)} wrap="truncate-end">
            <Text color={why ? tint('yellow') : undefined}>{why ? '▶ ' : '  '}</Text>
            <Text color={tint(ACTION_COLOR[c.action] ?? 'white')}>{cell(c.action, 8)}</Text> {cell(c.logicalId, idWidth)}{' '}
            {showType ? `${cell(c.resourceType, typeWidth)} ` : ''}
            <Text color={repl === 'replaced' ? tint('red') : why ? tint('yellow') : undefined}>{notes}</Text>
          </Text>
        );
      })}
    </Box>
  );
}

export function ChangeSetPreview({ stack, changes, onAnswer }: { stack: string; changes: ResourceChange[]; onAnswer(yes: boolean): void }) {
  useKeys((input, key) => {
    const k = input.toLowerCase();
    if (k === 'y' || key.return) onAnswer(true);
    else if (k === 'n' || key.escape) onAnswer(false);
  });
  const rows = useRows();
  const keys = <Keys hints={[['y/Enter', 'execute'], ['n/Esc', 'leave it unexecuted'], ['Ctrl-C', 'stop']]} />;
  // A change set taller than the terminal is printed above in full, so every change can be read before the answer.
  if (changes.length + 9 >= rows) {
    return (
      <ReportAbove id={`changes:${stack}`} report={<Card title={`Change set for ${stack}`} color="yellow"><ChangeSetTable stack={stack} changes={changes} /></Card>}>
        <Text bold>Execute these {changes.length} changes to {stack} (listed above)? (y/n)</Text>
        {keys}
      </ReportAbove>
    );
  }
  return (
    <Box flexDirection="column">
      <Card title={`Change set for ${stack}`} color="yellow">
        <ChangeSetTable stack={stack} changes={changes} />
        <Box marginTop={1}>
          <Text bold>Execute these changes? (y/n)</Text>
        </Box>
      </Card>
      {keys}
    </Box>
  );
}
