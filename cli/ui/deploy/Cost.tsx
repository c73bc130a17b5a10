// The cost estimate on the welcome card and the summary: the monthly total with its range over the task count,
// the public IPv4 charge and the tasks' architecture in one glance, and `c` to expand every line item (unit price ×
// quantity, as a bill would show it). The estimate itself is computed by the command (cli/deploy/cost.ts).
import React from 'react';
import { Box, Text } from 'ink';
import { costSummary, perMonth, type CostEstimate } from '../../domain/cost.ts';
import { archFlagValue, type CpuArchitecture } from '../../domain/architecture.ts';
import { useTint } from '../shared/env.tsx';

/** One line: the total at the expected count and the range, e.g. `$46.44/mo at 1 task ($46.44–$84.58/mo for 1–4)`. */
export const costHeadline = (c: CostEstimate) => `~${costSummary(c)}`;

/** "public IPv4 $10.95/mo (3 addresses) · x86_64, 0.25 vCPU / 0.5 GB per task" */
export function costGlance(c: CostEstimate): string {
  const ipv4 = c.lines.find((l) => l.key === 'ipv4');
  const addresses = ipv4 ? Math.round(ipv4.quantity / 730) : 0;
  const task = c.task ? `${archFlagValue(c.architecture as CpuArchitecture)}, ${c.task.vcpu} vCPU / ${c.task.gb} GB per task` : archFlagValue(c.architecture as CpuArchitecture);
  return `incl. public IPv4 ${perMonth(ipv4?.monthly ?? 0)} (${addresses} address${addresses === 1 ? '' : 'es'}) · ${task}`;
}

export function CostDetails({ cost, expanded }: { cost: CostEstimate; expanded: boolean }) {
  const tint = useTint();
  return (
    <Box flexDirection="column">
      <Text>{'  '}<Text bold color={tint('yellow')}>{costHeadline(cost)}</Text>, until you delete the stacks</Text>
      <Text>{'  '}{costGlance(cost)}</Text>
      {expanded ? (
        <>
          {cost.lines.map((l) => (
            <Text key={l.key}>
              {'    '}{l.what.padEnd(56)}<Text color={tint('yellow')}>{perMonth(l.monthly).padStart(11)}</Text>
            </Text>
          ))}
          <Text dimColor>{'  '}assumes {cost.assumptions.join('; ')}; without {cost.excludes}</Text>
        </>
      ) : (
        <Text dimColor>{'  '}c: the {cost.lines.length} line items and what the estimate assumes</Text>
      )}
      {cost.prices.stale || cost.prices.notes.length ? <Text color={tint('yellow')}>{'  '}⚠ {[...(cost.prices.stale ? [`prices ${cost.prices.ageDays} days old`] : []), ...cost.prices.notes].join('; ')}</Text> : null}
    </Box>
  );
}
