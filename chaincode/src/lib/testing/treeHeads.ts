import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import {
  ACCESS_LOG_SCHEME,
  canonicalJsonBytes,
  consistencyProof,
  MerkleBatch,
  sha256,
  TREE_HEAD_FORMAT,
  TREE_HEAD_JWS_TYPE,
  EMPTY_TREE_ROOT,
  type CityId,
} from '@jcc/domain';
import type { FakeLedger } from './fakeLedger.js';
import type { Contracts } from './fixtures.js';

/** A city's access log in a unit test: entry hashes, and a real Ed25519 document key registered for signing heads. */
export interface TestLog {
  city: CityId;
  kid: string;
  privateKey: KeyObject;
  entries: Buffer[];
}

/** Registers a real Ed25519 document key for `city` and returns an empty log signed with it. */
export async function testLog(ledger: FakeLedger, c: Contracts, city: CityId, kid = `${city}-log-1`): Promise<TestLog> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid };
  await ledger.ok(city, c.cities, 'RegisterKey', { use: 'document', jwk, validFrom: '2026-01-01T00:00:00Z' });
  return { city, kid, privateKey, entries: [] };
}

/** Appends `n` entries to the log. */
export function grow(log: TestLog, n: number): void {
  for (let i = 0; i < n; i++) log.entries.push(sha256(`${log.city} entry ${log.entries.length}`));
}

/** Root of the first `size` entries. */
export function rootOf(log: TestLog, size = log.entries.length): string {
  return size === 0 ? EMPTY_TREE_ROOT : new MerkleBatch(log.entries.slice(0, size)).rootHex;
}

/** A compact JWS over a head payload, signed with the log's key. */
export function signHead(log: TestLog, payload: object, header: object = { alg: 'EdDSA', kid: log.kid, typ: TREE_HEAD_JWS_TYPE }): string {
  const h = Buffer.from(canonicalJsonBytes(header)).toString('base64url');
  const p = Buffer.from(canonicalJsonBytes(payload)).toString('base64url');
  return `${h}.${p}.${sign(null, Buffer.from(`${h}.${p}`), log.privateKey).toString('base64url')}`;
}

/** `AnchorTreeHead` input for the log at its current size, proven consistent with size `from`. */
export function headInput(log: TestLog, from: number, timestamp = '2026-12-01T00:00:00Z') {
  const treeSize = log.entries.length;
  const rootHash = rootOf(log);
  const payload = { v: TREE_HEAD_FORMAT, city: log.city, treeSize, rootHash, timestamp, scheme: ACCESS_LOG_SCHEME };
  return {
    treeSize,
    rootHash,
    timestamp,
    signedTreeHead: signHead(log, payload),
    consistencyProof: from === 0 ? [] : consistencyProof(log.entries, from, treeSize),
  };
}
