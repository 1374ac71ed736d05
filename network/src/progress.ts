/**
 * Progress output of long operations: numbered steps with their duration,
 * written to stderr so that command output (e.g. `network:env`) stays clean.
 */
export class Progress {
  readonly #started = Date.now();
  #step = 0;
  readonly #total: number;
  readonly #title: string;

  constructor(title: string, totalSteps: number) {
    this.#title = title;
    this.#total = totalSteps;
  }

  /** Runs one step, printing its name before and its duration after. */
  async step<T>(name: string, work: () => Promise<T>): Promise<T> {
    this.#step += 1;
    const t0 = Date.now();
    process.stderr.write(`[${this.#title} ${this.#step}/${this.#total}] ${name} ...\n`);
    const result = await work();
    process.stderr.write(`[${this.#title} ${this.#step}/${this.#total}] ${name}: done in ${seconds(Date.now() - t0)}\n`);
    return result;
  }

  /** A line of detail inside the current step. */
  note(text: string): void {
    process.stderr.write(`    ${text}\n`);
  }

  /** Total time since the operation started, formatted. */
  elapsed(): string {
    return seconds(Date.now() - this.#started);
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
