import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { CityId, VerificationBundle } from '@jcc/domain';
import type { MemoryTables, TableChange } from './memory-tables.js';
import type { Verdict } from './verdict.js';
import type { WorkerMessage, WorkerReply } from './worker-protocol.js';

/** What one verification sent to a worker carries besides the bundle. */
export interface WorkerVerifyContext {
  verifyingCity: CityId;
  nowMs: number;
  skewMs?: number;
  /** The index's state at dispatch: the worker's copy has every change committed up to then. */
  caughtUp: boolean;
  height: number | null;
}

interface Pending {
  resolve(reply: WorkerReply): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  /** True once the worker has loaded and listens (until then the main thread verifies). */
  ready: boolean;
}

/** The worker's module: the compiled `.js` beside this file, or the `.ts` source when running under tsx. */
function spawnWorker(maps: MemoryTables['maps']): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(fromSource ? './verify-worker.ts' : './verify-worker.js', import.meta.url);
  if (!fromSource) return new Worker(url, { workerData: { maps } });
  // Under tsx the worker registers tsx's loader itself before importing the TypeScript module.
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: { maps } });
}

/**
 * Verification worker threads of a gateway reading the index: each holds a
 * copy of the index's verification tables ({@link MemoryTables}), started from
 * the main thread's copy and sent every change the index commits, so the
 * verification core runs on every core while the main thread serves HTTP.
 * A request goes to the loaded worker with the fewest in flight (none loaded
 * yet: `undefined`, the caller verifies it). A worker's answer
 * is a verdict, or a hand-back (`undefined`) when its copy cannot answer; a
 * worker that fails is replaced and its requests answered `undefined` too,
 * so the caller verifies them itself.
 */
export class VerifyWorkers {
  readonly #memory: MemoryTables;
  readonly #log: Logger;
  readonly #slots: Slot[] = [];
  #next = 1;
  #stopping = false;

  readonly #onReady: ((ready: number) => void) | undefined;

  /** `onReady` is told the number of loaded workers whenever it changes. */
  constructor(count: number, memory: MemoryTables, log: Logger, onReady?: (ready: number) => void) {
    this.#memory = memory;
    this.#log = log;
    this.#onReady = onReady;
    for (let i = 0; i < count; i++) this.#slots.push(this.#spawn(i));
  }

  /** Number of worker threads. */
  get size(): number {
    return this.#slots.length;
  }

  /** Number of worker threads loaded and listening. */
  get ready(): number {
    return this.#slots.filter((s) => s.ready).length;
  }

  /** Resolves once every worker has loaded (until then the main thread verifies). */
  whenLoaded(): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.#stopping || this.ready === this.size) resolve();
        else setTimeout(check, 20);
      };
      check();
    });
  }

  #spawn(i: number): Slot {
    const slot: Slot = { worker: spawnWorker(this.#memory.maps), pending: new Map(), ready: false };
    slot.worker.on('message', (reply: WorkerReply | { ready: true }) => {
      if ('ready' in reply) {
        slot.ready = true;
        this.#onReady?.(this.ready);
        return;
      }
      const waiting = slot.pending.get(reply.id);
      if (!waiting) return;
      slot.pending.delete(reply.id);
      waiting.resolve(reply);
    });
    const fail = (err: Error): void => {
      for (const [, waiting] of slot.pending) waiting.reject(err);
      slot.pending.clear();
    };
    slot.worker.on('error', (err) => {
      this.#log.error({ err: err.message, worker: i }, 'verification worker failed');
      fail(err);
    });
    slot.worker.on('exit', (code) => {
      const wasReady = slot.ready;
      slot.ready = false;
      this.#onReady?.(this.ready);
      fail(new Error(`verification worker exited with ${code}`));
      if (this.#stopping) return;
      if (!wasReady) {
        // It never loaded: another would fail the same way. The main thread verifies instead.
        this.#log.error({ worker: i, code }, 'verification worker could not start; verifying on the main thread');
        return;
      }
      this.#log.warn({ worker: i, code }, 'verification worker exited; starting another');
      this.#slots[i] = this.#spawn(i);
    });
    return slot;
  }

  #post(slot: Slot, message: WorkerMessage): void {
    slot.worker.postMessage(message);
  }

  /** Sends the changes one event committed to every worker (call right after applying them to the main copy). */
  apply(changes: TableChange[]): void {
    if (changes.length === 0) return;
    for (const slot of this.#slots) this.#post(slot, { type: 'changes', changes });
  }

  /** Empties every worker's copy. */
  clear(): void {
    for (const slot of this.#slots) this.#post(slot, { type: 'clear' });
  }

  /**
   * The verdict of a worker on `bundle`, or `undefined` when the worker
   * handed it back or failed (verify it on the main thread then). `onLookups`
   * receives the `<source>:<kind>` look-ups the worker made.
   */
  async verify(
    bundle: VerificationBundle,
    context: WorkerVerifyContext,
    onLookups?: (lookups: string[]) => void,
  ): Promise<Verdict | undefined> {
    let slot: Slot | undefined;
    for (const s of this.#slots) if (s.ready && (!slot || s.pending.size < slot.pending.size)) slot = s;
    if (!slot) return undefined;
    const chosen = slot;
    const id = this.#next++;
    let reply: WorkerReply;
    try {
      reply = await new Promise<WorkerReply>((resolve, reject) => {
        chosen.pending.set(id, { resolve, reject });
        this.#post(chosen, { type: 'verify', id, bundle, ...context });
      });
    } catch {
      return undefined;
    }
    onLookups?.(reply.lookups);
    if (reply.error !== undefined) {
      this.#log.warn({ err: reply.error }, 'verification worker could not verify; verifying on the main thread');
      return undefined;
    }
    return reply.verdict;
  }

  /** Stops the workers: each is asked to finish (its thread ends once idle), and terminated after 5 s. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await Promise.all(
      this.#slots.map(async (s) => {
        const exited = new Promise<void>((resolve) => s.worker.once('exit', () => resolve()));
        this.#post(s, { type: 'stop' });
        const timer = setTimeout(() => void s.worker.terminate(), 5000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}
