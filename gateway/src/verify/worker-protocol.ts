import type { CityId, VerificationBundle } from '@jcc/domain';
import type { TableChange } from './memory-tables.js';
import type { Verdict } from './verdict.js';

/** A message from the gateway's main thread to a verification worker. */
export type WorkerMessage =
  /** Writes the index committed, to apply to the worker's copy (in order, before later requests). */
  | { type: 'changes'; changes: TableChange[] }
  /** The index was emptied (the ledger was re-created). */
  | { type: 'clear' }
  /** Finish: the worker stops listening and its thread ends (writing a CPU profile when one is taken). */
  | { type: 'stop' }
  /** One verification, with the index's state when it was dispatched. */
  | {
      type: 'verify';
      id: number;
      bundle: VerificationBundle;
      verifyingCity: CityId;
      nowMs: number;
      skewMs?: number;
      caughtUp: boolean;
      height: number | null;
    };

/** A worker's answer to one verification: a verdict, a hand-back to the main thread, or an error. */
export interface WorkerReply {
  id: number;
  verdict?: Verdict;
  /** The worker's copy could not answer; the main thread verifies this request itself. */
  handBack?: true;
  error?: string;
  /** `<source>:<kind>` of each ledger look-up made (for the gateway's metrics). */
  lookups: string[];
}
