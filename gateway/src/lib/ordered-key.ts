/** The last key's millisecond and counter, shared by every instance of this process. */
const last = { millis: 0, counter: 0 };

/**
 * Keys that sort in insertion order in LevelDB: a zero-padded millisecond
 * timestamp followed by a zero-padded counter. The counter is the process's,
 * not the instance's, so two instances writing one table in the same
 * millisecond (two issuers of one store) neither collide nor reorder.
 */
export class OrderedKeys {
  /** @param clock source of milliseconds */
  constructor(private readonly clock: () => number = Date.now) {}

  /** The next key; always greater than every key this process returned before. */
  next(): string {
    let now = this.clock();
    if (now <= last.millis) {
      now = last.millis;
      last.counter++;
    } else {
      last.millis = now;
      last.counter = 0;
    }
    return `${String(now).padStart(15, '0')}.${String(last.counter).padStart(6, '0')}`;
  }
}

/** Zero-pads a block number (or any non-negative integer) to 20 digits so it sorts numerically. */
export function padNumber(value: bigint | number): string {
  return value.toString().padStart(20, '0');
}
