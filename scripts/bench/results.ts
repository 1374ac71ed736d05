/** The shape of `.bench/latest.json`. */
import type { AnchorFigures } from './anchor.js';
import type { EvaluationFigures } from './evaluations.js';
import type { LedgerGrowth } from './fabric.js';
import type { MachineInfo } from './machine.js';
import type { ProcessMemory } from './memory.js';
import type { MerkleFigures } from './merkle.js';
import type { Workload } from './options.js';
import type { ProfileSummary } from './profile.js';
import type { StartupFigures } from './startup.js';
import type { VerifyFigures } from './verify.js';

/** Everything a run measured. Keys of workloads not run are absent; a failed workload carries `error`. */
export interface BenchResults {
  machine: MachineInfo;
  run: {
    mode: 'quick' | 'default' | 'full';
    workloads: Workload[];
    profile: boolean;
    startedAt: string;
    finishedAt?: string;
    seconds?: number;
    /** False while the run is under way (the file is rewritten after each workload). */
    complete: boolean;
  };
  anchor?: AnchorFigures & { error?: string };
  verify?: Partial<VerifyFigures> & { error?: string };
  evaluations?: Partial<EvaluationFigures> & { error?: string };
  merkle?: {
    sizes: MerkleFigures[];
    /** Longest audit path seen, by batch size. */
    proofLength: Record<string, number>;
    buildMs: Record<string, number>;
    verifyMicros: Record<string, number>;
  };
  cost?: { ledgerBytesPerDocument: { single?: LedgerGrowth; batch?: LedgerGrowth } };
  startup?: StartupFigures;
  memory?: {
    /** The gateway process that used the most CPU during workloads 1-3. */
    busiest?: ProcessMemory;
    /** Peak RSS of the busiest gateway, MiB (target: under 400 MiB). */
    peakRssMiB?: number;
    gateways: ProcessMemory[];
  };
  profiles?: ProfileSummary[];
}
