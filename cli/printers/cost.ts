// The cost estimate in plain lines (cli/domain/cost.ts): the total with its range and the tasks' architecture, each
// line with its unit price × quantity, what it assumes, and the price table it used. status and the deploy's plan
// print it alike.
import { costSummary, perMonth, type CostEstimate } from '../domain/cost.ts';

/** The estimate: the total and its range, each line with its unit price and quantity, the assumptions and the table. */
export function costLines(c: CostEstimate, emulator = false, what = 'for what runs now'): string[] {
  const task = c.task ? `${c.architecture}, ${c.task.vcpu} vCPU / ${c.task.gb} GB per task` : c.architecture;
  return [
    `~${costSummary(c)} ${emulator ? 'on AWS for what the emulator holds now' : what}; ${task}`,
    ...c.lines.map((l) => `  ${l.what}: ${perMonth(l.monthly)} (${+l.quantity.toFixed(3)} ${l.quantityUnit} × $${l.unitUsd} ${l.unit})`),
    `  assumes ${c.assumptions.join('; ')}; without ${c.excludes}`,
    `  prices: ${c.basis}${c.prices.notes.length ? `; ${c.prices.notes.join('; ')}` : ''}`,
  ];
}

