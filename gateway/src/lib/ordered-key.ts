/**
 * Keys that sort in insertion order in LevelDB: a zero-padded millisecond
 * timestamp followed by a zero-padded per-process counter.
 */
export class OrderedKeys {
  #lastMillis = 0;
  #counter = 0;

  /** @param clock source of milliseconds */
  constructor(private readonly clock: () => number = Date.now) {}

  /** The next key; always greater than every key this instance returned before. */
  next(): string {
    let now = this.clock();
    if (now <= this.#lastMillis) {
      now = this.#lastMillis;
      this.#counter++;
    } else {
      this.#lastMillis = now;
      this.#counter = 0;
    }
    return `${String(now).padStart(15, '0')}.${String(this.#counter).padStart(6, '0')}`;
  }
}

/** Zero-pads a block number (or any non-negative integer) to 20 digits so it sorts numerically. */
export function padNumber(value: bigint | number): string {
  return value.toString().padStart(20, '0');
}
