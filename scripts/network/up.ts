/** `npm run network:up [-- --consensus raft|bft]`: brings the five-city network up (idempotent). */
import { parseArgs } from 'node:util';
import { networkUp, type Consensus } from '@jcc/network';

const { values } = parseArgs({ options: { consensus: { type: 'string' } } });
const consensus = values.consensus as Consensus | undefined;
if (consensus !== undefined && consensus !== 'raft' && consensus !== 'bft') {
  process.stderr.write(`--consensus must be raft or bft, not ${consensus}\n`);
  process.exit(2);
}
try {
  await networkUp({ consensus });
} catch (err) {
  process.stderr.write(`network:up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
