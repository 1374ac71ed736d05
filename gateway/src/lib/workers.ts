import type { Logger } from 'pino';

/**
 * A background activity of a gateway (the index following the ledger, the
 * anchorers, the webhook deliverer, the access-log anchoring, …): started
 * once, stopped once, known by its name in the logs.
 */
export interface BackgroundWorker {
  /** Its name in logs (`worker` member). */
  readonly name: string;
  start(): void;
  /** Stops it and waits for the work in flight. */
  stop(): Promise<void>;
}

/** A {@link BackgroundWorker} of something that already starts and stops. */
export function named(name: string, activity: { start(): void; stop(): Promise<void> }): BackgroundWorker {
  return { name, start: () => activity.start(), stop: () => activity.stop() };
}

/** A {@link BackgroundWorker} running `run` once, until it returns or `signal` aborts (at stop). */
export function loopWorker(name: string, run: (signal: AbortSignal) => Promise<void>): BackgroundWorker {
  let abort: AbortController | undefined;
  let running: Promise<void> | undefined;
  return {
    name,
    start() {
      abort = new AbortController();
      running = run(abort.signal);
    },
    async stop() {
      abort?.abort(new Error('stopping'));
      await running;
    },
  };
}

/** A {@link BackgroundWorker} calling `tick` every `intervalMs` (not now). */
export function intervalWorker(name: string, intervalMs: number, tick: () => void): BackgroundWorker {
  let timer: NodeJS.Timeout | undefined;
  return {
    name,
    start() {
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
    },
  };
}

/**
 * The background workers of one gateway: the one place they are started
 * (in order) and stopped (latest first, each awaited; one that fails to stop
 * is logged and the others still stop). Nothing starts once stopping began.
 */
export class Workers {
  readonly #log: Logger;
  readonly #started: BackgroundWorker[] = [];
  #stopping = false;

  constructor(log: Logger) {
    this.#log = log;
  }

  /** Starts `worker` (not once stopping began); it is stopped by {@link Workers.stop}. */
  start(worker: BackgroundWorker): void {
    if (this.#stopping) return;
    worker.start();
    this.#started.push(worker);
    this.#log.debug({ worker: worker.name }, 'worker started');
  }

  /** Names of the workers started, in order. */
  get names(): string[] {
    return this.#started.map((w) => w.name);
  }

  /** True once {@link Workers.stop} was called. */
  get stopping(): boolean {
    return this.#stopping;
  }

  /** Stops every started worker, latest first. */
  async stop(): Promise<void> {
    this.#stopping = true;
    for (const worker of this.#started.splice(0).reverse()) {
      try {
        await worker.stop();
      } catch (err) {
        this.#log.warn({ worker: worker.name, err: (err as Error).message }, 'worker did not stop cleanly');
      }
    }
  }
}
