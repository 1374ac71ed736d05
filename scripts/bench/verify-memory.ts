/**
 * What the in-memory verification tables cost per record: builds
 * {@link MemoryTables} with records shaped like the index's (a single anchor,
 * a status record, a batch record) and measures the heap before and after,
 * with garbage collection forced. The verifying gateway holds one copy on its
 * main thread and one per verification worker.
 */
import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MemoryTables, type TableChange } from '../../gateway/src/verify/memory-tables.js';
import { round } from './stats.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap bytes per record of each kind. */
export interface MemoryCost {
  records: number;
  singleAnchorBytes: number;
  statusBytes: number;
  batchBytes: number;
}

const hex = (): string => randomBytes(32).toString('hex');

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function bytesPer(records: number, make: (i: number) => TableChange): number {
  const changes: TableChange[] = [];
  const before = heapAfterGc();
  const memory = new MemoryTables();
  for (let i = 0; i < records; i++) changes.push(make(i));
  memory.apply(changes);
  changes.length = 0;
  const after = heapAfterGc();
  const size = memory.sizes();
  if (Object.values(size).reduce((a, b) => a + b, 0) !== records) throw new Error('records lost');
  return round((after - before) / records, 0);
}

/** Measures the heap cost per record with `records` records of each kind. */
export function measureMemoryCost(records = 100_000): MemoryCost {
  const at = (i: number): string => new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
  const singleAnchorBytes = bytesPer(records, (i) => {
    const id = `qingdao-cr-20261201-${String(i).padStart(8, '0')}${hex().slice(0, 8)}`;
    return {
      table: 'anchors',
      key: `qingdao|${id}`,
      value: {
        city: 'qingdao',
        id,
        docType: 'creditReport',
        subjectPseudonym: `ps1-${hex()}`,
        contentHash: hex(),
        issuedAt: at(i),
        validUntil: at(i + 1e8),
        kid: 'qingdao.document.k1',
        status: 'active',
        anchoredAt: at(i + 2),
        txId: hex(),
        blockNumber: 1000 + Math.floor(i / 30),
      },
    };
  });
  const statusBytes = bytesPer(records, (i) => {
    const id = `qingdao-cr-20261201-${String(i).padStart(8, '0')}${hex().slice(0, 8)}`;
    return {
      table: 'statuses',
      key: `qingdao|${id}`,
      value: { city: 'qingdao', id, status: 'revoked', reason: 'issued in error', at: at(i), txId: hex(), blockNumber: 2000 + i },
    };
  });
  const batchBytes = bytesPer(records, (i) => {
    const root = hex();
    return {
      table: 'batches',
      key: `qingdao|qingdao.batch.${root}`,
      value: {
        city: 'qingdao',
        batchId: `qingdao.batch.${root}`,
        root,
        leafCount: 1000,
        leafScheme: 'rfc9162-sha256/v1',
        firstIssuedAt: at(i),
        lastIssuedAt: at(i + 1),
        anchoredAt: at(i + 2),
        txId: hex(),
        blockNumber: 3000 + i,
      },
    };
  });
  return { records, singleAnchorBytes, statusBytes, batchBytes };
}
