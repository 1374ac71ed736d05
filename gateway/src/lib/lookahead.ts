/**
 * Reading ahead of a stream: while the consumer works on one item, the
 * items already delivered behind it get their asynchronous preparation
 * started (e.g. a query each), at most `window` at a time. Order is kept;
 * nothing is read ahead that the source has not delivered yet, so a live
 * stream is consumed as soon as each item arrives.
 *
 * @packageDocumentation
 */

const NOT_READY = Symbol('not ready');

/** Settles once the microtasks queued now have run: an item the source holds ready is delivered before it. */
const afterMicrotasks = (): Promise<typeof NOT_READY> => new Promise((resolve) => setImmediate(() => resolve(NOT_READY)));

/**
 * Yields each item of `source` with the promise `prepare(item)` gave when the
 * item was read. A preparation that fails is reported when its item's promise
 * is awaited, not before.
 *
 * @param window How many items may be read ahead of the consumer (≥ 1).
 */
export async function* withLookahead<T, R>(
  source: AsyncIterable<T>,
  prepare: (item: T) => Promise<R>,
  window: number,
): AsyncGenerator<{ item: T; prepared: Promise<R> }> {
  const iterator = source[Symbol.asyncIterator]();
  const queue: Array<{ item: T; prepared: Promise<R> }> = [];
  let pending: Promise<IteratorResult<T>> | undefined;
  let done = false;
  const take = (result: IteratorResult<T>): void => {
    pending = undefined;
    if (result.done) {
      done = true;
      return;
    }
    const prepared = prepare(result.value);
    prepared.catch(() => undefined); // awaited by the consumer; not an unhandled rejection meanwhile
    queue.push({ item: result.value, prepared });
  };
  try {
    for (;;) {
      // Read what the source has ready, up to the window, without waiting for more.
      while (!done && queue.length < Math.max(1, window)) {
        pending ??= iterator.next();
        const next = queue.length === 0 ? await pending : await Promise.race([pending, afterMicrotasks()]);
        if (next === NOT_READY) break;
        take(next);
      }
      const head = queue.shift();
      if (!head) return;
      yield head;
    }
  } finally {
    if (!done) await iterator.return?.();
  }
}
