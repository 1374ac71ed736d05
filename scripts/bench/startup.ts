/**
 * Workload 5: start-up. Runs last, because it restarts the network.
 *
 * - Warm start: `networkDown()` (ledgers, crypto material and chaincode
 *   package kept), then `networkUp()` timed until it returns, i.e. until the
 *   chaincode answers on all five peers and service discovery sees all five.
 * - Chaincode redeploy: `network:up` deploys a new chaincode definition with
 *   the next sequence when the deployed version differs from the code's. The
 *   code does not change here, so the deployment recorded in
 *   `.runtime/state.json` is marked stale (its version replaced by a
 *   placeholder) and `networkUp()` is timed: it then runs its whole deploy
 *   path — package, install check on five peers, restart of the five
 *   chaincode servers, approval by each city, commit with the next sequence,
 *   readiness — and records the real version again. Only a package with new
 *   code would add its install (a few seconds for a CCaaS package) and the
 *   TypeScript build.
 *
 * The steps `network:up` prints are captured, so each is reported with its
 * duration. Finally the five gateways are waited for (they reconnect by
 * themselves).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { CITY_IDS } from '@jcc/domain';
import { networkDown, networkUp, runtimePaths } from '@jcc/network';
import type { BenchContext } from './context.js';
import { logger, messageOf } from './common.js';
import { gatewayUrl, waitReady } from './gateways.js';
import { median, round } from './stats.js';

/** One timed `networkUp()`. */
export interface UpRun {
  seconds: number;
  /** Each step network:up reported, with its duration (s). */
  steps: { step: string; seconds: number }[];
  /** Detail lines network:up printed, with the second they came at (from the start of the call). */
  notes: { at: number; text: string }[];
  /** Whether this start deployed a chaincode definition. */
  deployed: boolean;
}

/** Figures of workload 5. */
export interface StartupFigures {
  /** Median of the warm starts (s); starts that deployed a changed chaincode are left out when there are others. */
  warmSeconds?: number;
  /** How many starts the median is of. */
  warmRunsCounted?: number;
  warmRuns: (UpRun & { downSeconds: number })[];
  redeploy?: UpRun & { sequenceBefore: number | undefined; sequenceAfter: number | undefined };
  /** After the last start: until the five gateways answered /readyz again (s). */
  gatewaysReadySeconds?: number;
  error?: string;
}

const STEP_DONE = /^\[network:up \d+\/\d+\] (.+): done in ([\d.]+) s$/;

/** Runs `networkUp()` while reading what it prints to stderr (which still reaches the terminal). */
async function timedUp(): Promise<UpRun> {
  const steps: UpRun['steps'] = [];
  const notes: UpRun['notes'] = [];
  const original = process.stderr.write.bind(process.stderr);
  const t0 = performance.now();
  let pending = '';
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    pending += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      const at = round((performance.now() - t0) / 1000, 2);
      const done = STEP_DONE.exec(line);
      if (done) steps.push({ step: done[1] as string, seconds: Number(done[2]) });
      else if (/^\s{2,}\S/.test(line)) notes.push({ at, text: line.trim() });
    }
    return (original as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;
  try {
    await networkUp();
  } finally {
    process.stderr.write = original;
  }
  const deployed = notes.some((n) => n.text.startsWith('deploying chaincode'));
  return { seconds: round((performance.now() - t0) / 1000, 2), steps, notes, deployed };
}

interface StateFile {
  consensus: string;
  chaincode?: { version: string; sequence: number; packageId: string };
}

async function readStateFile(): Promise<StateFile | undefined> {
  try {
    return JSON.parse(await readFile(runtimePaths.stateFile, 'utf8')) as StateFile;
  } catch {
    return undefined;
  }
}

/** Runs workload 5; leaves the network up (a failed start is retried once). */
export async function benchStartup(ctx: BenchContext): Promise<StartupFigures> {
  const log = logger('startup');
  const out: StartupFigures = { warmRuns: [] };
  try {
    for (let i = 1; i <= ctx.options.sizes.warmStarts; i++) {
      log(`warm start ${i}/${ctx.options.sizes.warmStarts}: network down`);
      const d0 = performance.now();
      await networkDown({ log: (line) => log(`  ${line}`) });
      const downSeconds = round((performance.now() - d0) / 1000, 2);
      log(`warm start ${i}: down in ${downSeconds} s; network up`);
      const up = await timedUp();
      out.warmRuns.push({ ...up, downSeconds });
      log(`warm start ${i}: up and ready in ${up.seconds} s${up.deployed ? ' (the chaincode had changed: this start deployed it)' : ''}`);
    }
    // A start that had to deploy a changed chaincode is not a warm start of the same network: left out of the median when others exist.
    const plain = out.warmRuns.filter((r) => !r.deployed);
    const counted = plain.length ? plain : out.warmRuns;
    if (counted.length) {
      out.warmSeconds = round(median(counted.map((r) => r.seconds)), 2);
      out.warmRunsCounted = counted.length;
    }
    if (ctx.options.sizes.redeploy) {
      const state = await readStateFile();
      if (!state?.chaincode) {
        log('no recorded chaincode deployment: redeploy not measured');
      } else {
        log(`chaincode redeploy: marking the recorded deployment (sequence ${state.chaincode.sequence}) stale, then network up`);
        await writeFile(
          runtimePaths.stateFile,
          JSON.stringify({ ...state, chaincode: { ...state.chaincode, version: 'bench-forced-redeploy' } }, null, 2) + '\n',
        );
        const up = await timedUp();
        const after = await readStateFile();
        out.redeploy = { ...up, sequenceBefore: state.chaincode.sequence, sequenceAfter: after?.chaincode?.sequence };
        log(`chaincode redeployed as sequence ${after?.chaincode?.sequence} in ${up.seconds} s`);
      }
    }
  } catch (err) {
    out.error = messageOf(err);
    log(`failed: ${out.error}; bringing the network up again`);
    await networkUp();
  }
  const g0 = performance.now();
  for (const city of CITY_IDS) await waitReady(gatewayUrl(city), 300_000, log);
  out.gatewaysReadySeconds = round((performance.now() - g0) / 1000, 1);
  log(`the five gateways are ready again (${out.gatewaysReadySeconds} s after the network)`);
  return out;
}
