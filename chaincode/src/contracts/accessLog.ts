import { createPublicKey, verify } from 'node:crypto';
import { Context, Contract } from 'fabric-contract-api';
import {
  ACCESS_LOG_SCHEME,
  anchorTreeHeadInput,
  CodedError,
  getTreeHeadInput,
  instantMillis,
  isLogOf,
  LEDGER_EVENTS,
  TREE_HEAD_FORMAT,
  TREE_HEAD_JWS_TYPE,
  verifyConsistency,
  type CityId,
  type TreeHeadRecord,
} from '@jcc/domain';
import { Returns, Transaction } from '../lib/decorators.js';
import { emitEvent } from '../lib/events.js';
import { found } from '../lib/guards.js';
import { parseInput } from '../lib/input.js';
import { trustedKey } from '../lib/keySet.js';
import { compositeKey, OBJECT_TYPES } from '../lib/keys.js';
import { jsonResult } from '../lib/result.js';
import { readRecord, writeRecord } from '../lib/state.js';
import { submittingCity } from '../lib/submitter.js';
import { txTimestamp } from '../lib/txTime.js';

/** A tree size as a fixed-width key attribute. */
function sizeAttribute(treeSize: number): string {
  return String(treeSize).padStart(16, '0');
}

/**
 * The key attributes of a log: `[city]` for the city's main log (the keys
 * heads had before a city could keep several logs), `[city, log]` for another.
 */
function logKey(city: CityId, log: string): string[] {
  return log === city ? [city] : [city, log];
}

/** The parts of a compact JWS, decoded; `INVALID_ARGUMENT` when it is not one. */
function decodeTreeHead(jws: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
} {
  const [h, p, sig] = jws.split('.') as [string, string, string];
  try {
    return {
      header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>,
      payload: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>,
      signingInput: `${h}.${p}`,
      signature: Buffer.from(sig, 'base64url'),
    };
  } catch {
    throw new CodedError('INVALID_ARGUMENT', 'signedTreeHead: not a JWS with a JSON header and payload');
  }
}

/**
 * `accessLog`: the signed tree heads of each city's access logs (访问日志,
 * docs/access-log.md). A log is named by its id: the city's id for the
 * city's main log, or the city's id and `-suffix` for another of its logs
 * (each written by one gateway store). A city anchors heads of its own logs
 * only; every head is owner-protected (key-level endorsement of the city),
 * must be signed with one of the city's registered document keys, and must be
 * proven consistent (RFC 9162 §2.1.4) with the previous head of the same
 * log, so an anchored history can only grow.
 */
export class AccessLogContract extends Contract {
  constructor() {
    super('accessLog');
  }

  /**
   * Anchors a signed tree head of one of the submitting city's access logs
   * (the payload's `log`, default the city's main log). The same head again
   * is a no-op; a smaller size, another root at the same size, or a proof
   * that does not show the log's previous head to be a prefix is refused
   * (`CONFLICT`: another writer, or a store that lost entries).
   */
  @Transaction()
  @Returns('string')
  async AnchorTreeHead(ctx: Context, inputJson: string): Promise<string> {
    const city = submittingCity(ctx);
    const input = parseInput(anchorTreeHeadInput, inputJson);
    const { header, payload, signingInput, signature } = decodeTreeHead(input.signedTreeHead);
    if (header.typ !== TREE_HEAD_JWS_TYPE || header.alg !== 'EdDSA' || typeof header.kid !== 'string')
      throw new CodedError('INVALID_ARGUMENT', `signedTreeHead: the header must be {alg: EdDSA, kid, typ: ${TREE_HEAD_JWS_TYPE}}`);
    if (
      payload.v !== TREE_HEAD_FORMAT ||
      payload.city !== city.id ||
      payload.treeSize !== input.treeSize ||
      payload.rootHash !== input.rootHash ||
      payload.scheme !== ACCESS_LOG_SCHEME ||
      typeof payload.timestamp !== 'string' ||
      instantMillis(payload.timestamp) !== instantMillis(input.timestamp)
    )
      throw new CodedError('INVALID_ARGUMENT', 'signedTreeHead: its payload does not state this city, treeSize, rootHash and timestamp');
    const log = payload.log === undefined ? city.id : payload.log;
    if (typeof log !== 'string' || !isLogOf(log, city.id))
      throw new CodedError('INVALID_ARGUMENT', `signedTreeHead: the payload's log must be ${city.id} or ${city.id}-<suffix>`);
    const key = found(await trustedKey(ctx, city.id, header.kid), `key ${city.id}/${header.kid}`);
    if (key.use !== 'document' || key.revokedAt !== undefined)
      throw new CodedError('INVALID_ARGUMENT', `signedTreeHead: key ${header.kid} is not an unrevoked document key of ${city.id}`);
    if (!verify(null, Buffer.from(signingInput), createPublicKey({ key: key.jwk as never, format: 'jwk' }), signature))
      throw new CodedError('INVALID_ARGUMENT', 'signedTreeHead: the signature does not verify');

    const latestKey = compositeKey(ctx, OBJECT_TYPES.accessLogLatest, logKey(city.id, log));
    const latest = await readRecord<TreeHeadRecord>(ctx, latestKey);
    if (latest) {
      if (input.treeSize < latest.treeSize)
        throw new CodedError('CONFLICT', `the access log ${log} was anchored at size ${latest.treeSize}: a log only grows`);
      if (input.treeSize === latest.treeSize) {
        if (input.rootHash !== latest.rootHash)
          throw new CodedError('CONFLICT', `the access log ${log} has another root at size ${latest.treeSize}`);
        return jsonResult(latest);
      }
      if (!verifyConsistency(latest.treeSize, input.treeSize, latest.rootHash, input.rootHash, input.consistencyProof, ACCESS_LOG_SCHEME))
        throw new CodedError(
          'CONFLICT',
          `consistencyProof: the head is not an extension of the anchored head of size ${latest.treeSize} of the access log ${log}`,
        );
    } else if (input.consistencyProof.length > 0) {
      throw new CodedError('INVALID_ARGUMENT', 'consistencyProof: must be empty for the first head');
    }
    const record: TreeHeadRecord = {
      city: city.id,
      ...(log === city.id ? {} : { log }),
      treeSize: input.treeSize,
      rootHash: input.rootHash,
      timestamp: input.timestamp,
      signedTreeHead: input.signedTreeHead,
      ...(latest ? { previousTreeSize: latest.treeSize } : {}),
      anchoredAt: txTimestamp(ctx),
      txId: ctx.stub.getTxID(),
    };
    await writeRecord(
      ctx,
      compositeKey(ctx, OBJECT_TYPES.accessLogHead, [...logKey(city.id, log), sizeAttribute(input.treeSize)]),
      record,
      city,
    );
    await writeRecord(ctx, latestKey, record, city);
    await emitEvent(ctx, LEDGER_EVENTS.accessLogHeadAnchored, record, city.id);
    return jsonResult(record);
  }

  /** The latest anchored tree head of a city's log (default: its main log), or the one of `treeSize`. */
  @Transaction(false)
  @Returns('string')
  async GetTreeHead(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(getTreeHeadInput, inputJson);
    const city: CityId = input.city;
    const log = input.log ?? city;
    if (!isLogOf(log, city)) throw new CodedError('INVALID_ARGUMENT', `log: must be ${city} or ${city}-<suffix>`);
    const key =
      input.treeSize === undefined
        ? compositeKey(ctx, OBJECT_TYPES.accessLogLatest, logKey(city, log))
        : compositeKey(ctx, OBJECT_TYPES.accessLogHead, [...logKey(city, log), sizeAttribute(input.treeSize)]);
    const what = input.treeSize === undefined ? `tree head of the access log ${log}` : `tree head ${log}/${input.treeSize}`;
    return jsonResult(found(await readRecord<TreeHeadRecord>(ctx, key), what));
  }
}
