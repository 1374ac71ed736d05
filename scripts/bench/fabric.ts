/**
 * What the Fabric side did during a workload: the peers' and ordering nodes'
 * operations metrics (Prometheus, 127.0.0.1:9443+100i and 8443+100i), the
 * CPU time of every process of the network, and ledger bytes on disk.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CITIES } from '@jcc/domain';
import { allCityNodes, nodeNames, runningProcess, runtimePaths } from '@jcc/network';
import { sleep } from './common.js';
import { cpuSecondsOf } from './memory.js';
import { scrape, total, type Sample } from './prom.js';
import { round } from './stats.js';

const run = promisify(execFile);
const CHANNEL = { channel: 'jiaodong' };
const CREDITCHAIN = /^creditchain/;

/** Metrics of every peer and ordering node at one moment. */
export interface FabricSnapshot {
  peers: Record<string, Sample[]>;
  orderers: Record<string, Sample[]>;
}

/** Scrapes the operations endpoints of the five peers and five ordering nodes. */
export async function fabricSnapshot(): Promise<FabricSnapshot> {
  const peers: Record<string, Sample[]> = {};
  const orderers: Record<string, Sample[]> = {};
  await Promise.all(
    allCityNodes().map(async (n) => {
      peers[n.city.id] = await scrape(`http://127.0.0.1:${n.ports.peerOperations}/metrics`);
      orderers[n.city.id] = await scrape(`http://127.0.0.1:${n.ports.ordererOperations}/metrics`);
    }),
  );
  return { peers, orderers };
}

/** Mean of a histogram over the interval, in ms, and how many observations it had. */
function histogram(
  before: Sample[],
  after: Sample[],
  name: string,
  where: Record<string, string | RegExp>,
): { count: number; meanMs: number | null } {
  const count = total(after, `${name}_count`, where) - total(before, `${name}_count`, where);
  const sum = total(after, `${name}_sum`, where) - total(before, `${name}_sum`, where);
  return { count: Math.round(count), meanMs: count > 0 ? round((sum / count) * 1000, 2) : null };
}

/** Fabric figures of one interval. */
export interface FabricFigures {
  /** Blocks added to the channel (on the focus peer). */
  blocks: number;
  /** Transactions committed, by validation code (on the focus peer). */
  transactions: Record<string, number>;
  transactionsPerBlock: number | null;
  /** The peer the workload's gateway talks to. */
  focusPeer: string;
  /** That peer: endorsements and queries of the chaincode (count, mean duration). */
  proposals: { count: number; meanMs: number | null };
  /** That peer: calls from the chaincode back to the peer (GetState, PutState, …; count, mean duration on the peer). */
  shimCalls: { count: number; meanMs: number | null };
  /** Mean over the five peers: block validation + commit, block storage commit, state database commit (per block). */
  blockProcessingMs: number | null;
  blockStorageCommitMs: number | null;
  stateDbCommitMs: number | null;
  /** Ordering: transactions received by all ordering nodes (each transaction is broadcast to one). */
  orderingBroadcasts: number;
  /** Ordering: mean Raft WAL fsync over the five ordering nodes. */
  walFsyncMs: number | null;
}

/** The difference between two snapshots; `focus` is the city whose peer the workload's gateway talks to. */
export function fabricDiff(before: FabricSnapshot, after: FabricSnapshot, focus = 'qingdao'): FabricFigures {
  const qb = before.peers[focus] ?? [];
  const qa = after.peers[focus] ?? [];
  const blocks = Math.round(total(qa, 'ledger_blockchain_height', CHANNEL) - total(qb, 'ledger_blockchain_height', CHANNEL));
  const codes = new Set(qa.filter((s) => s.name === 'ledger_transaction_count').map((s) => s.labels.validation_code ?? '?'));
  const transactions: Record<string, number> = {};
  let txTotal = 0;
  for (const code of codes) {
    const where = { ...CHANNEL, validation_code: code };
    const n = Math.round(total(qa, 'ledger_transaction_count', where) - total(qb, 'ledger_transaction_count', where));
    if (n > 0) {
      transactions[code] = n;
      txTotal += n;
    }
  }
  const meanOverPeers = (name: string): number | null => {
    const values = CITIES.map((c) => histogram(before.peers[c.id] ?? [], after.peers[c.id] ?? [], name, CHANNEL).meanMs).filter(
      (v): v is number => v !== null,
    );
    return values.length ? round(values.reduce((a, b) => a + b, 0) / values.length, 2) : null;
  };
  let broadcasts = 0;
  const fsyncs: number[] = [];
  for (const c of CITIES) {
    const ob = before.orderers[c.id] ?? [];
    const oa = after.orderers[c.id] ?? [];
    broadcasts += total(oa, 'broadcast_processed_count', CHANNEL) - total(ob, 'broadcast_processed_count', CHANNEL);
    const f = histogram(ob, oa, 'etcd_disk_wal_fsync_duration_seconds', {});
    if (f.meanMs !== null) fsyncs.push(f.meanMs);
  }
  return {
    blocks,
    transactions,
    transactionsPerBlock: blocks > 0 ? round(txTotal / blocks, 1) : null,
    focusPeer: `peer.${focus}`,
    proposals: histogram(qb, qa, 'endorser_proposal_duration', { ...CHANNEL, chaincode: CREDITCHAIN }),
    shimCalls: histogram(qb, qa, 'chaincode_shim_request_duration', { ...CHANNEL, chaincode: CREDITCHAIN }),
    blockProcessingMs: meanOverPeers('ledger_block_processing_time'),
    blockStorageCommitMs: meanOverPeers('ledger_blockstorage_commit_time'),
    stateDbCommitMs: meanOverPeers('ledger_statedb_commit_time'),
    orderingBroadcasts: Math.round(broadcasts),
    walFsyncMs: fsyncs.length ? round(fsyncs.reduce((a, b) => a + b, 0) / fsyncs.length, 2) : null,
  };
}

/** Channel height on each peer. */
export async function peerHeights(): Promise<Record<string, number>> {
  const snap = await fabricSnapshot();
  return Object.fromEntries(Object.entries(snap.peers).map(([city, s]) => [city, total(s, 'ledger_blockchain_height', CHANNEL)]));
}

/** Waits until the five peers report the same channel height (blocks have reached every city); returns the seconds waited. */
export async function waitPeersInSync(timeoutMs = 120_000): Promise<number> {
  const t0 = performance.now();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const heights = Object.values(await peerHeights());
    if (heights.length === CITIES.length && heights.every((h) => h > 0 && h === heights[0])) return (performance.now() - t0) / 1000;
    await sleep(500);
  }
  return (performance.now() - t0) / 1000;
}

/** Bytes on disk (apparent size) of a folder, per `du -sb`. */
async function du(path: string): Promise<number> {
  try {
    const { stdout } = await run('du', ['-sb', path]);
    return Number(stdout.split(/\s/)[0]);
  } catch {
    return NaN;
  }
}

/**
 * Ledger bytes on disk, per city: the peer's block files
 * (`ledgersData/chains/chains`, append-only), the peer's whole `ledgersData`
 * (blocks plus the LevelDB state, history and block index, which compact in
 * the background, so their growth is noisy over short runs), the ordering
 * node's block ledger (`ledger`) and its Raft WAL and snapshots (`consensus`,
 * grown in preallocated segments).
 */
export interface LedgerBytes {
  peerBlocks: Record<string, number>;
  peerLedger: Record<string, number>;
  ordererLedger: Record<string, number>;
  ordererConsensus: Record<string, number>;
}

/** Measures {@link LedgerBytes} now. */
export async function ledgerBytes(): Promise<LedgerBytes> {
  const out: LedgerBytes = { peerBlocks: {}, peerLedger: {}, ordererLedger: {}, ordererConsensus: {} };
  for (const n of allCityNodes()) {
    const names = nodeNames(n);
    const city = n.city.id;
    out.peerBlocks[city] = await du(join(runtimePaths.nodes, names.peer, 'ledgersData', 'chains', 'chains'));
    out.peerLedger[city] = await du(join(runtimePaths.nodes, names.peer, 'ledgersData'));
    out.ordererLedger[city] = await du(join(runtimePaths.nodes, names.orderer, 'ledger'));
    out.ordererConsensus[city] = await du(join(runtimePaths.nodes, names.orderer, 'consensus'));
  }
  return out;
}

/** Growth per document between two measurements. */
export interface LedgerGrowth {
  documents: number;
  /** Growth of a peer's block files per document (mean over the five peers; every peer holds the same blocks). */
  peerBlockBytesPerDocument: number;
  /** Growth of a peer's whole ledger folder per document (mean over the five peers; includes LevelDB compaction noise). */
  peerBytesPerDocument: number;
  /** The five peers' ledgers and the five ordering nodes' block ledgers together, per document. */
  networkBytesPerDocument: number;
  /** Growth of the ordering nodes' Raft WAL and snapshots together (bytes; preallocated in segments). */
  ordererConsensusGrowthBytes: number;
}

/** The growth between `before` and `after` for `documents` documents. */
export function ledgerGrowth(before: LedgerBytes, after: LedgerBytes, documents: number): LedgerGrowth {
  const grown = (key: keyof LedgerBytes): number =>
    Object.keys(after[key]).reduce((sum, city) => sum + (after[key][city] ?? 0) - (before[key][city] ?? 0), 0);
  const n = Math.max(documents, 1);
  const peers = CITIES.length;
  return {
    documents,
    peerBlockBytesPerDocument: round(grown('peerBlocks') / peers / n, 1),
    peerBytesPerDocument: round(grown('peerLedger') / peers / n, 1),
    networkBytesPerDocument: round((grown('peerLedger') + grown('ordererLedger')) / n, 1),
    ordererConsensusGrowthBytes: grown('ordererConsensus'),
  };
}

/** Pids of the network's processes (peers, ordering nodes, chaincode servers), by node name. */
export async function networkPids(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const n of allCityNodes()) {
    for (const name of Object.values(nodeNames(n))) {
      const record = await runningProcess(name);
      if (record) out[name] = record.pid;
    }
  }
  return out;
}

/** CPU seconds of a set of processes at one moment. */
export type CpuSnapshot = Record<string, number>;

/** Reads the CPU seconds of each named pid, and of this process as `bench-client`. */
export function cpuSnapshot(pids: Record<string, number>): CpuSnapshot {
  const out: CpuSnapshot = {};
  for (const [name, pid] of Object.entries(pids)) {
    const s = cpuSecondsOf(pid);
    if (s !== undefined) out[name] = s;
  }
  const self = process.cpuUsage();
  out['bench-client'] = (self.user + self.system) / 1e6;
  return out;
}

/** Groups of the network's processes in a {@link CpuBreakdown}, by the prefix of their node names. */
const NETWORK_GROUPS: Record<string, string> = { peer: 'peers', orderer: 'ordering nodes', ccaas: 'chaincode servers' };

/** Where the CPU time of an interval went, by kind of process. */
export interface CpuBreakdown {
  wallSeconds: number;
  /** CPU seconds by group: the five peers, the five ordering nodes, the five chaincode servers, each gateway, the benchmark client. */
  seconds: Record<string, number>;
  /** Busy cores on average (CPU seconds / wall seconds), out of the machine's cores. */
  busyCores: number;
}

/** The CPU used between two snapshots, grouped (peer.*, orderer.*, ccaas.*; gateways and the client by name). */
export function cpuDiff(before: CpuSnapshot, after: CpuSnapshot, wallSeconds: number): CpuBreakdown {
  const seconds: Record<string, number> = {};
  let sum = 0;
  for (const [name, value] of Object.entries(after)) {
    const start = before[name];
    if (start === undefined) continue;
    const used = value - start;
    const group = NETWORK_GROUPS[name.split('.')[0] as string] ?? name;
    seconds[group] = (seconds[group] ?? 0) + used;
    sum += used;
  }
  for (const k of Object.keys(seconds)) seconds[k] = round(seconds[k] as number, 1);
  return { wallSeconds: round(wallSeconds, 1), seconds, busyCores: round(sum / Math.max(wallSeconds, 1e-9), 2) };
}

/** CPU seconds of the network's processes (peers, ordering nodes, chaincode servers) in a breakdown. */
export function fabricCpu(cpu: CpuBreakdown): number {
  return Object.entries(cpu.seconds)
    .filter(([group]) => Object.values(NETWORK_GROUPS).includes(group))
    .reduce((sum, [, s]) => sum + s, 0);
}
