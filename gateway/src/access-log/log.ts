import { CompactSign } from 'jose';
import type { Logger } from 'pino';
import {
  ACCESS_LOG_SCHEME,
  ACCESS_ENTRY_FORMAT,
  EMPTY_TREE_ROOT,
  MerkleBatch,
  TREE_HEAD_FORMAT,
  TREE_HEAD_JWS_TYPE,
  accessEntryHash,
  canonicalJsonBytes,
  consistencyProof,
  type AccessAction,
  type AccessLogEntry,
  type Accessor,
  type CityId,
  type InclusionProof,
  type TreeHead,
  type TreeHeadRecord,
} from '@jcc/domain';
import type { Principal } from '../auth/roles.js';
import { isNotFound } from '../fabric/catch-up.js';
import type { Ledger } from '../fabric/ledger.js';
import type { KeyStore } from '../keys/keystore.js';
import { KeyedMutex } from '../lib/keyed-mutex.js';
import type { Clock } from '../lib/time.js';
import type { Store } from '../store/store.js';
import type { Table } from '../store/table.js';

/** What a caller of {@link AccessLog.record} states; the log adds its city, index and time. */
export interface AccessEvent {
  action: AccessAction;
  subjectPseudonym: string;
  principal: Principal | undefined;
  document?: { city: CityId; id: string };
}

/** An entry with its inclusion proof against a tree head. */
export interface ProvenEntry {
  entry: AccessLogEntry;
  /** SHA-256 of the entry's canonical JSON, hex (the leaf entry). */
  entryHash: string;
  proof: Omit<InclusionProof, 'txId' | 'blockNumber'>;
}

/** The result of re-reading the stored entries against the anchored head. */
export interface AuditResult {
  size: number;
  anchored: TreeHeadRecord | null;
  /** True when the stored entries give the anchored root at the anchored size (and the entries the gateway serves). */
  consistent: boolean;
  /** Indexes whose stored entry no longer hashes to the leaf the log committed to. */
  alteredEntries: number[];
  /** The root the stored entries give at the anchored size. */
  recomputedRoot: string | null;
}

/** The table key of entry `index` (fixed width, so keys sort by index). */
function indexKey(index: number): string {
  return String(index).padStart(16, '0');
}

/** The accessor of a request, as the log records it. */
export function accessorOf(principal: Principal | undefined): Accessor {
  if (!principal) return { role: 'public', subject: 'anonymous' };
  return {
    role: principal.role,
    ...(principal.city ? { city: principal.city } : {}),
    ...(principal.identity ? { identity: principal.identity } : {}),
    subject: principal.subject,
  };
}

/**
 * One city's access log (访问日志): an append-only Merkle tree log in the
 * style of RFC 9162 over every access to a subject's records, kept in the
 * gateway store (each append one atomic write), with signed tree heads
 * anchored on the ledger (`accessLog:AnchorTreeHead`). Subjects appear only
 * as pseudonyms. See docs/access-log.md.
 */
export class AccessLog {
  readonly #store: Store;
  readonly #entries: Table<AccessLogEntry>;
  readonly #bySubject: Table<number>;
  readonly #meta: Table<TreeHeadRecord>;
  /** The leaf entries (entry hashes) committed to, in order: the tree the log signs. */
  readonly #hashes: Buffer[];
  /** The tree last built (see #treeOf); the leaves of a size never change, the log only grows. */
  #tree: { size: number; tree: MerkleBatch } | undefined;
  readonly #mutex = new KeyedMutex();
  #timer: NodeJS.Timeout | undefined;
  #anchoring: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly city: CityId,
    store: Store,
    hashes: Buffer[],
    private readonly deps: { ledger: Ledger; keys: KeyStore; clock: Clock; log: Logger },
  ) {
    this.#store = store;
    this.#entries = store.table('accesslog.entries');
    this.#bySubject = store.table('accesslog.subject');
    this.#meta = store.table('accesslog.meta');
    this.#hashes = hashes;
  }

  /** Opens the log in the store, reading the hashes of the entries written before. */
  static async open(city: CityId, store: Store, deps: { ledger: Ledger; keys: KeyStore; clock: Clock; log: Logger }): Promise<AccessLog> {
    const hashes: Buffer[] = [];
    for await (const [, entry] of store.table<AccessLogEntry>('accesslog.entries').entries())
      hashes.push(Buffer.from(accessEntryHash(entry), 'hex'));
    return new AccessLog(city, store, hashes, deps);
  }

  /** Number of entries. */
  get size(): number {
    return this.#hashes.length;
  }

  /** Appends an entry for an access (durable when the promise resolves). */
  async record(event: AccessEvent): Promise<AccessLogEntry> {
    return this.#mutex.run('append', async () => {
      const index = this.#hashes.length;
      const entry: AccessLogEntry = {
        v: ACCESS_ENTRY_FORMAT,
        log: this.city,
        index,
        at: new Date(this.deps.clock()).toISOString(),
        action: event.action,
        subjectPseudonym: event.subjectPseudonym,
        accessor: accessorOf(event.principal),
        ...(event.document ? { document: event.document } : {}),
      };
      await this.#store.write([
        this.#entries.putOp(indexKey(index), entry),
        this.#bySubject.putOp(`${event.subjectPseudonym}|${indexKey(index)}`, index),
      ]);
      this.#hashes.push(Buffer.from(accessEntryHash(entry), 'hex'));
      return entry;
    });
  }

  /** The root of the first `size` entries, hex. */
  root(size: number = this.size): string {
    if (size < 0 || size > this.size) throw new RangeError(`the log has ${this.size} entries, not ${size}`);
    return size === 0 ? EMPTY_TREE_ROOT : this.#treeOf(size).rootHex;
  }

  /**
   * The tree of the first `size` entries. The last one built is kept: heads,
   * reports and proofs mostly ask for the size of the latest head, so the
   * tree is not rebuilt from every leaf for each of them.
   */
  #treeOf(size: number): MerkleBatch {
    if (this.#tree?.size !== size) this.#tree = { size, tree: new MerkleBatch(this.#hashes.slice(0, size), ACCESS_LOG_SCHEME) };
    return this.#tree.tree;
  }

  /** The entry at `index`, as stored. */
  async entry(index: number): Promise<AccessLogEntry | undefined> {
    return this.#entries.get(indexKey(index));
  }

  /** Entries at `indexes` with their inclusion proofs in the tree of `treeSize` entries. */
  async prove(indexes: readonly number[], treeSize: number): Promise<ProvenEntry[]> {
    if (treeSize < 1 || treeSize > this.size) throw new RangeError(`no tree of size ${treeSize} (the log has ${this.size} entries)`);
    const tree = this.#treeOf(treeSize);
    const out: ProvenEntry[] = [];
    for (const index of indexes) {
      if (index >= treeSize) continue;
      const entry = await this.entry(index);
      if (!entry) continue;
      out.push({ entry, entryHash: (this.#hashes[index] as Buffer).toString('hex'), proof: tree.proof(index) });
    }
    return out;
  }

  /** The RFC 9162 consistency proof between the trees of `first` and `second` entries. */
  consistency(first: number, second: number): string[] {
    return consistencyProof(this.#hashes, first, second, ACCESS_LOG_SCHEME);
  }

  /** The indexes of a subject's entries, oldest first. */
  async indexesOf(subjectPseudonym: string): Promise<number[]> {
    const out: number[] = [];
    for await (const [, index] of this.#bySubject.entries({ gte: `${subjectPseudonym}|`, lt: `${subjectPseudonym}|\uffff` }))
      out.push(index);
    return out;
  }

  /** A signed tree head of the log now: a compact JWS (EdDSA, the city's current document key, `typ` {@link TREE_HEAD_JWS_TYPE}). */
  async signHead(treeSize: number = this.size): Promise<{ head: TreeHead; jws: string }> {
    const head: TreeHead = {
      v: TREE_HEAD_FORMAT,
      city: this.city,
      treeSize,
      rootHash: this.root(treeSize),
      timestamp: new Date(this.deps.clock()).toISOString(),
      scheme: ACCESS_LOG_SCHEME,
    };
    const key = this.deps.keys.current('document');
    const jws = await new CompactSign(canonicalJsonBytes(head))
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: TREE_HEAD_JWS_TYPE })
      .sign(key.privateKey);
    return { head, jws };
  }

  /** The city's latest head on the ledger, or null when none was anchored. */
  async anchoredHead(city: CityId = this.city, treeSize?: number): Promise<TreeHeadRecord | null> {
    try {
      return await this.deps.ledger.evaluate<TreeHeadRecord>('accessLog:GetTreeHead', {
        city,
        ...(treeSize === undefined ? {} : { treeSize }),
      });
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  /**
   * Anchors a signed head of the log as it is now, proven consistent with
   * the latest anchored head; a no-op (returning that head) when nothing was
   * appended since. One anchoring at a time.
   */
  async anchor(): Promise<TreeHeadRecord | null> {
    const run = this.#mutex.run('anchor', async () => {
      const size = this.size;
      const latest = await this.anchoredHead();
      if (size === 0 || (latest && latest.treeSize >= size)) return latest;
      const from = latest?.treeSize ?? 0;
      const { head, jws } = await this.signHead(size);
      const committed = await this.deps.ledger.submit<TreeHeadRecord>('accessLog:AnchorTreeHead', {
        treeSize: size,
        rootHash: head.rootHash,
        timestamp: head.timestamp,
        signedTreeHead: jws,
        consistencyProof: this.consistency(from, size),
      });
      await this.#meta.put('anchored', committed.result);
      this.deps.log.info({ treeSize: size, txId: committed.transactionId }, 'access log head anchored');
      return committed.result;
    });
    this.#anchoring = run.catch(() => undefined);
    return run;
  }

  /** Re-reads every stored entry and checks it against the leaves the log committed to and the anchored head. */
  async audit(): Promise<AuditResult> {
    const anchored = await this.anchoredHead();
    const altered: number[] = [];
    const stored: Buffer[] = [];
    for await (const [key, entry] of this.#entries.entries()) {
      const index = Number(key);
      const hash = Buffer.from(accessEntryHash(entry), 'hex');
      stored.push(hash);
      if (!this.#hashes[index]?.equals(hash) || entry.index !== index) altered.push(index);
    }
    let recomputedRoot: string | null = null;
    if (anchored && anchored.treeSize <= stored.length)
      recomputedRoot =
        anchored.treeSize === 0 ? EMPTY_TREE_ROOT : new MerkleBatch(stored.slice(0, anchored.treeSize), ACCESS_LOG_SCHEME).rootHex;
    const consistent =
      altered.length === 0 && (!anchored || (recomputedRoot === anchored.rootHash && this.root(anchored.treeSize) === anchored.rootHash));
    return { size: this.size, anchored, consistent, alteredEntries: altered, recomputedRoot };
  }

  /** Anchors every `intervalMs` while entries were appended since the last head (errors are logged and retried). */
  start(intervalMs: number): void {
    if (intervalMs <= 0 || this.#timer) return;
    this.#timer = setInterval(() => {
      this.anchor().catch((err: unknown) => this.deps.log.warn({ err: (err as Error).message }, 'access log anchoring failed; retrying'));
    }, intervalMs);
    this.#timer.unref();
  }

  /** Stops the periodic anchoring and waits for one in flight. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#anchoring;
  }
}
