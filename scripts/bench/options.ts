/**
 * Command line of `npm run bench`:
 *   --full            load 580,000 evaluations (the plan's figure) instead of 100,000
 *   --quick           a scaled-down smoke run (a few minutes)
 *   --only a,b,...    run only these workloads: anchor, verify, evaluations, merkle, startup
 *   --bulk-documents n  documents of the bulk issue (default 200,000; 10,000 with --quick)
 *   --profile         run the gateway side of workloads 1-3 on gateway processes of the benchmark's own
 *                     with V8 CPU profiles (.bench/profiles/), summarised at the end
 */
import { parseArgs } from 'node:util';

/** The workloads, in the order they run (start-up last: it restarts the network). */
export const WORKLOADS = ['anchor', 'verify', 'evaluations', 'merkle', 'startup'] as const;
/** One workload. */
export type Workload = (typeof WORKLOADS)[number];

/** Sizes of a run. */
export interface Sizes {
  /** Concurrent clients issuing documents. */
  clients: number;
  singleDocuments: number;
  batchDocuments: number;
  /** Documents of the bulk issue (`POST /api/v1/reports/bulk`), and concurrent uploads. */
  bulkDocuments: number;
  bulkStreams: number;
  /** Documents of the verification pool per city (five cities). */
  verifyPoolPerCity: number;
  /** Share of the pool anchored alone (the rest in batches). */
  verifyPoolSingleShare: number;
  verifyConnections: number;
  verifySeconds: number;
  verifyWarmupSeconds: number;
  evaluations: number;
  /** Rounds of cross-city queries, and queries per round. */
  lookupRounds: number;
  lookupQueries: number;
  merkleSizes: number[];
  /** Warm starts of the network (median quoted). */
  warmStarts: number;
  redeploy: boolean;
}

/** Parsed options. */
export interface BenchOptions {
  mode: 'quick' | 'default' | 'full';
  only: Workload[];
  profile: boolean;
  sizes: Sizes;
}

const DEFAULT_SIZES: Sizes = {
  clients: 32,
  singleDocuments: 2000,
  batchDocuments: 100_000,
  bulkDocuments: 200_000,
  bulkStreams: 1,
  verifyPoolPerCity: 2000,
  verifyPoolSingleShare: 0.1,
  verifyConnections: 64,
  verifySeconds: 30,
  verifyWarmupSeconds: 5,
  evaluations: 100_000,
  lookupRounds: 3,
  lookupQueries: 200,
  merkleSizes: [1000, 10_000, 100_000, 1_000_000],
  warmStarts: 3,
  redeploy: true,
};

const QUICK_SIZES: Sizes = {
  ...DEFAULT_SIZES,
  singleDocuments: 200,
  batchDocuments: 5000,
  bulkDocuments: 10_000,
  verifyPoolPerCity: 200,
  verifySeconds: 10,
  verifyWarmupSeconds: 2,
  evaluations: 5000,
  lookupQueries: 50,
  merkleSizes: [1000, 10_000, 100_000],
  warmStarts: 1,
};

/** Parses the command line (throws with a usage message on a mistake). */
export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      full: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      profile: { type: 'boolean', default: false },
      'bulk-documents': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.full && values.quick) throw new Error('--full and --quick exclude each other');
  let only: Workload[] = [...WORKLOADS];
  if (values.only !== undefined) {
    const names = values.only
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => (s === 'cost' ? 'merkle' : s));
    const bad = names.filter((n) => !(WORKLOADS as readonly string[]).includes(n));
    if (bad.length || names.length === 0)
      throw new Error(`--only takes a comma-separated list of ${WORKLOADS.join(', ')}; got "${values.only}"`);
    only = WORKLOADS.filter((w) => names.includes(w));
  }
  const mode = values.quick ? 'quick' : values.full ? 'full' : 'default';
  const sizes = mode === 'quick' ? { ...QUICK_SIZES } : { ...DEFAULT_SIZES };
  if (mode === 'full') sizes.evaluations = 580_000;
  const bulk = values['bulk-documents'];
  if (bulk !== undefined) {
    if (!/^[1-9]\d*$/.test(bulk)) throw new Error(`--bulk-documents takes a positive whole number; got "${bulk}"`);
    sizes.bulkDocuments = Number(bulk);
  }
  return { mode, only, profile: values.profile ?? false, sizes };
}
