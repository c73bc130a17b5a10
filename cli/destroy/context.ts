// destroy's context: the validated options, its ports, how the person confirms, and what the steps leave for the
// next (what was found, what was deleted, retained or kept, and what is still there).
import type { Leftover } from '../domain/leftovers.ts';
import type { Pricing } from '../domain/cost.ts';
import type { DestroyPorts } from '../ports/destroy.ts';
import type { DestroyOptions } from './options.ts';
import type { DestroyPlanEvent, Inventory } from './result.ts';

export interface DestroyState {
  inventory?: Inventory;
  deleted: string[];
  retained: string[];
  kept: string[];
  /** What the run retained, as `stack/logicalId` (leftovers.ts: listed as retained, never as left over). */
  retainedIds?: string[];
  /** The last step's findings: what is still there, and whether it proved nothing is. */
  leftovers?: Leftover[];
  verified?: boolean;
}

export interface DestroyContext {
  readonly options: DestroyOptions;
  readonly ports: DestroyPorts;
  readonly state: DestroyState;
  /** Shows what will be deleted (the `destroy-plan` event). */
  report(e: DestroyPlanEvent): void;
  /**
   * The person's go-ahead, after the inventory was shown: typing the ecosystem name on a terminal; with --yes, true
   * (and said so). Rejects with InterruptedError on Ctrl-C at the prompt.
   */
  confirm(inventory: Inventory): Promise<boolean>;
  /** Removes a file; false when there was none. */
  removeFile(path: string): Promise<boolean>;
  /** Whether a file exists. */
  fileExists(path: string): Promise<boolean>;
  /** What pricing needs (cli/commands/pricing.ts); without it the plan says nothing of what deleting saves. */
  readonly pricing?: Pricing;
}
