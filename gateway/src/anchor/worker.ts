import type { Logger } from 'pino';

/**
 * A background loop: runs {@link Worker.tick} when woken, or after the poll
 * interval (or the shorter delay `tick` asks for), one tick at a time.
 */
export abstract class Worker {
  protected readonly log: Logger;
  readonly #pollMs: number;
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #ticking: Promise<void> | undefined;
  #again = false;

  constructor(name: string, log: Logger, pollMs: number) {
    this.log = log.child({ worker: name });
    this.#pollMs = pollMs;
  }

  /** One round of work; returns how soon (ms) the next round is wanted, if sooner than the poll interval. */
  protected abstract tick(): Promise<number | undefined>;

  start(): void {
    this.#running = true;
    this.wake();
  }

  /** Asks for a round now (or right after the current one). */
  wake(): void {
    if (!this.#running) return;
    if (this.#ticking) {
      this.#again = true;
      return;
    }
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#ticking = this.#round().finally(() => {
      this.#ticking = undefined;
      if (this.#again) {
        this.#again = false;
        this.wake();
      }
    });
  }

  async #round(): Promise<void> {
    let next: number | undefined;
    try {
      next = await this.tick();
    } catch (err) {
      this.log.error({ err: (err as Error).message }, 'worker round failed');
    }
    if (!this.#running) return;
    const delay = Math.max(5, Math.min(next ?? this.#pollMs, this.#pollMs));
    this.#timer = setTimeout(() => this.wake(), delay);
    this.#timer.unref?.();
  }

  /** Stops scheduling rounds; waits for the current round. Work started by a round may still finish later. */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#ticking;
  }
}
