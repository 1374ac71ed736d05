/**
 * `tsx scripts/demo/main.ts [--json] [--out <dir>]`: loads the demo data into
 * the running gateways (idempotent) without the rest of `npm start`, and
 * prints what it did. `--out` writes the marker and samples elsewhere than
 * `.data/demo`.
 *
 * @packageDocumentation
 */
import { parseArgs } from 'node:util';
import { loadDemo } from './load.js';

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, out: { type: 'string' } } });
try {
  const result = await loadDemo({
    ...(values.out ? { outDir: values.out } : {}),
    log: (line) => process.stderr.write(`demo: ${line}\n`),
  });
  if (values.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else {
    process.stdout.write(`demo data: ${result.created} written, ${result.reused} already present, ${result.seconds.toFixed(1)} s\n`);
    for (const s of [result.samples.valid, result.samples.revoked, result.samples.tampered]) {
      process.stdout.write(`  ${s.kind.padEnd(8)} ${s.documentId}  ${s.jsonFile}\n`);
    }
  }
} catch (err) {
  process.stderr.write(`demo: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
