import { open } from 'node:fs/promises';

/** Reads a file that may still be growing: what is there, then what is appended, until `complete()` says it is whole. */
export async function* followFile(
  path: string,
  complete: () => boolean,
  options: { pollMs?: number; chunkBytes?: number; signal?: AbortSignal } = {},
): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r');
  const size = options.chunkBytes ?? 256 * 1024;
  let position = 0;
  try {
    for (;;) {
      if (options.signal?.aborted) return;
      // Read `complete` before reading: a file complete before an empty read has nothing more.
      const whole = complete();
      const buffer = Buffer.allocUnsafe(size);
      const { bytesRead } = await handle.read(buffer, 0, size, position);
      if (bytesRead > 0) {
        position += bytesRead;
        yield buffer.subarray(0, bytesRead);
        continue;
      }
      if (whole) return;
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 20));
    }
  } finally {
    await handle.close();
  }
}
