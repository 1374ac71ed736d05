import type { Context } from 'fabric-contract-api';
import Long from 'long';
import type { FakeWorldState } from './fakeWorldState.js';

/**
 * An in-memory `ChaincodeStub` for one transaction, over a shared
 * {@link FakeWorldState}. It behaves as a Fabric peer does where the
 * chaincode can tell:
 *
 * - reads see the committed state only, never the transaction's own writes;
 * - composite keys use the shim's encoding (`\u0000type\u0000a\u0000b\u0000`);
 * - `getStateByPartialCompositeKeyWithPagination` returns keys in UTF-8 byte
 *   order, at most `pageSize` of them, starting at the bookmark (inclusive)
 *   when one is given, with the next key as bookmark (empty after the last);
 * - a transaction that has written may not run a paginated query, and one
 *   that has run a paginated query may not write;
 * - `setEvent` is captured on every call (Fabric keeps the last), so tests
 *   can check that a transaction emits exactly one.
 *
 * Range queries without pagination and everything creditchain does not use
 * throw, so a test fails if the chaincode starts to rely on them.
 */

/** The stub interface fabric-contract-api hands to a contract (`ctx.stub`). */
export type ChaincodeStub = Context['stub'];
type Timestamp = ReturnType<ChaincodeStub['getTxTimestamp']>;
type PaginatedQuery = ReturnType<ChaincodeStub['getStateByPartialCompositeKeyWithPagination']>;
type QueryResponse = Awaited<PaginatedQuery>;
type StateIterator = QueryResponse['iterator'];
type KV = Awaited<ReturnType<StateIterator['next']>>['value'];

/** Separator and prefix of composite keys, as in fabric-shim. */
export const COMPOSITE_KEY_SEPARATOR = '\u0000';
/** Upper bound of a partial-composite-key range, as in fabric-shim. */
export const MAX_UNICODE_RUNE = '\u{10FFFF}';

/** The identity and time of a fake transaction. */
export interface FakeTransaction {
  txId: string;
  /** Transaction timestamp, milliseconds since the epoch. */
  timestampMillis: number;
  /** MSP id of the submitter. */
  mspId: string;
  channelId: string;
}

/** A chaincode event as the chaincode set it. */
export interface CapturedEvent {
  name: string;
  payload: Uint8Array;
}

function unsupported(method: string): never {
  throw new Error(`FakeChaincodeStub: ${method} is not supported (creditchain does not use it)`);
}

function checkKey(key: unknown): void {
  if (typeof key !== 'string' || key.length === 0) throw new Error('key must be a non-empty string');
}

function checkKeyPart(part: unknown, what: string): void {
  if (typeof part !== 'string' || part.length === 0) throw new Error(`${what} must be a non-empty string`);
  if (part.includes(COMPOSITE_KEY_SEPARATOR) || part.includes(MAX_UNICODE_RUNE)) {
    throw new Error(`${what} must not contain U+0000 or U+10FFFF`);
  }
}

/** A fake stub for one transaction. */
export class FakeChaincodeStub implements ChaincodeStub {
  /** Keys written by this transaction: value, or `null` for a delete. */
  readonly writes = new Map<string, Uint8Array | null>();
  /** Key-level endorsement policies set by this transaction. */
  readonly validationParameterWrites = new Map<string, Uint8Array>();
  /** Private data written by this transaction: `collection\u0000key` → value. */
  readonly privateWrites = new Map<string, Uint8Array>();
  /** Every `setEvent` call, in order. */
  readonly events: CapturedEvent[] = [];
  /** Number of paginated queries run. */
  paginatedQueries = 0;

  constructor(
    private readonly world: FakeWorldState,
    private readonly tx: FakeTransaction,
  ) {}

  getTxID(): string {
    return this.tx.txId;
  }

  getChannelID(): string {
    return this.tx.channelId;
  }

  getMspID(): string {
    return this.tx.mspId;
  }

  getCreator(): { mspid: string; idBytes: Uint8Array } {
    return { mspid: this.tx.mspId, idBytes: Buffer.from(`fake certificate of ${this.tx.mspId}`) };
  }

  getTxTimestamp(): Timestamp {
    const seconds = Math.floor(this.tx.timestampMillis / 1000);
    return { seconds: Long.fromNumber(seconds, true), nanos: (this.tx.timestampMillis - seconds * 1000) * 1_000_000 };
  }

  getDateTimestamp(): Date {
    return new Date(this.tx.timestampMillis);
  }

  async getState(key: string): Promise<Uint8Array> {
    checkKey(key);
    return this.world.values.get(key) ?? new Uint8Array(0);
  }

  async putState(key: string, value: Uint8Array): Promise<void> {
    this.assertMayWrite(key);
    this.writes.set(key, value.length === 0 ? null : Uint8Array.from(value));
  }

  async deleteState(key: string): Promise<void> {
    this.assertMayWrite(key);
    this.writes.set(key, null);
  }

  async setStateValidationParameter(key: string, ep: Uint8Array): Promise<void> {
    this.assertMayWrite(key);
    this.validationParameterWrites.set(key, Uint8Array.from(ep));
  }

  async getStateValidationParameter(key: string): Promise<Uint8Array> {
    return this.world.validationParameters.get(key) ?? new Uint8Array(0);
  }

  setEvent(name: string, payload: Uint8Array): void {
    if (typeof name !== 'string' || name === '') throw new Error('Event name must be a non-empty string');
    this.events.push({ name, payload: Uint8Array.from(payload) });
  }

  createCompositeKey(objectType: string, attributes: string[]): string {
    checkKeyPart(objectType, 'object type');
    if (!Array.isArray(attributes)) throw new Error('attributes must be an array');
    attributes.forEach((attribute, i) => checkKeyPart(attribute, `attribute ${i}`));
    return COMPOSITE_KEY_SEPARATOR + [objectType, ...attributes].map((part) => part + COMPOSITE_KEY_SEPARATOR).join('');
  }

  splitCompositeKey(compositeKey: string): { objectType: string; attributes: string[] } {
    if (!compositeKey.startsWith(COMPOSITE_KEY_SEPARATOR) || !compositeKey.endsWith(COMPOSITE_KEY_SEPARATOR)) {
      return { objectType: '', attributes: [] };
    }
    const [objectType = '', ...attributes] = compositeKey.slice(1, -1).split(COMPOSITE_KEY_SEPARATOR);
    return { objectType, attributes };
  }

  getStateByPartialCompositeKeyWithPagination(
    objectType: string,
    attributes: string[],
    pageSize: number,
    bookmark?: string,
  ): PaginatedQuery {
    const response = this.paginatedRange(objectType, attributes, pageSize, bookmark ?? '');
    const promise = Promise.resolve(response);
    return Object.assign(promise, {
      [Symbol.asyncIterator]: (): AsyncIterator<KV> => {
        let index = 0;
        const items = response.items;
        return {
          next: async () => (index < items.length ? { value: items[index++] as KV, done: false } : { value: undefined, done: true }),
        };
      },
    }) as unknown as PaginatedQuery;
  }

  private paginatedRange(objectType: string, attributes: string[], pageSize: number, bookmark: string): QueryResponse & { items: KV[] } {
    if (this.writes.size > 0 || this.validationParameterWrites.size > 0) {
      throw new Error('paginated queries are not allowed in a transaction that has written (Fabric refuses them)');
    }
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new Error(`page size must be a positive integer, got ${pageSize}`);
    this.paginatedQueries++;
    const startKey = this.createCompositeKey(objectType, attributes);
    const endKey = startKey + MAX_UNICODE_RUNE;
    const keys = this.world.keysInRange(bookmark === '' ? startKey : bookmark, endKey);
    const items: KV[] = keys
      .slice(0, pageSize)
      .map((key) => ({ namespace: 'creditchain', key, value: this.world.values.get(key) as Uint8Array }));
    let index = 0;
    const iterator: StateIterator = {
      next: async () =>
        index < items.length ? { value: items[index++] as KV, done: false } : { value: undefined as unknown as KV, done: true },
      close: async () => undefined,
    };
    // Like fabric-shim: an all-default metadata message (no records, no bookmark) is absent from the peer's
    // answer, so the shim leaves `metadata` undefined although its types say otherwise.
    const bookmarkOut = keys[pageSize] ?? '';
    const metadata = items.length === 0 && bookmarkOut === '' ? undefined : { fetchedRecordsCount: items.length, bookmark: bookmarkOut };
    return { iterator, metadata: metadata as { fetchedRecordsCount: number; bookmark: string }, items };
  }

  private assertMayWrite(key: string): void {
    checkKey(key);
    if (this.paginatedQueries > 0) {
      throw new Error('writes are not allowed in a transaction that has run a paginated query (Fabric refuses them)');
    }
  }

  // Everything below is not used by creditchain.

  getArgs(): never {
    return unsupported('getArgs');
  }
  getStringArgs(): never {
    return unsupported('getStringArgs');
  }
  getFunctionAndParameters(): never {
    return unsupported('getFunctionAndParameters');
  }
  getTransient(): never {
    return unsupported('getTransient');
  }
  getSignedProposal(): never {
    return unsupported('getSignedProposal');
  }
  getBinding(): never {
    return unsupported('getBinding');
  }
  getStateByRange(): never {
    return unsupported('getStateByRange (an unpaginated range query)');
  }
  getStateByRangeWithPagination(): never {
    return unsupported('getStateByRangeWithPagination');
  }
  getStateByPartialCompositeKey(): never {
    return unsupported('getStateByPartialCompositeKey (an unpaginated range query)');
  }
  getQueryResult(): never {
    return unsupported('getQueryResult (rich queries)');
  }
  getQueryResultWithPagination(): never {
    return unsupported('getQueryResultWithPagination (rich queries)');
  }
  getHistoryForKey(): never {
    return unsupported('getHistoryForKey');
  }
  invokeChaincode(): never {
    return unsupported('invokeChaincode');
  }
  getPrivateData(): never {
    return unsupported('getPrivateData');
  }
  /** The SHA-256 of a committed private value (what every peer holds, member of the collection or not), or empty. */
  async getPrivateDataHash(collection: string, key: string): Promise<Uint8Array> {
    checkKey(collection);
    checkKey(key);
    return this.world.privateHashes.get(`${collection}${COMPOSITE_KEY_SEPARATOR}${key}`) ?? new Uint8Array(0);
  }
  /** Writes a private value (as a member or non-member endorser may: creditchain never reads private values back). */
  async putPrivateData(collection: string, key: string, value: Uint8Array): Promise<void> {
    checkKey(collection);
    this.assertMayWrite(key);
    if (value.length === 0) throw new Error('private value must not be empty');
    this.privateWrites.set(`${collection}${COMPOSITE_KEY_SEPARATOR}${key}`, Uint8Array.from(value));
  }
  deletePrivateData(): never {
    return unsupported('deletePrivateData');
  }
  purgePrivateData(): never {
    return unsupported('purgePrivateData');
  }
  setPrivateDataValidationParameter(): never {
    return unsupported('setPrivateDataValidationParameter');
  }
  getPrivateDataValidationParameter(): never {
    return unsupported('getPrivateDataValidationParameter');
  }
  getPrivateDataByRange(): never {
    return unsupported('getPrivateDataByRange');
  }
  getPrivateDataByPartialCompositeKey(): never {
    return unsupported('getPrivateDataByPartialCompositeKey');
  }
  getPrivateDataQueryResult(): never {
    return unsupported('getPrivateDataQueryResult');
  }
}
