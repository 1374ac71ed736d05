import { Context, Contract } from 'fabric-contract-api';
import {
  CITIES,
  cityById,
  CodedError,
  getCityInput,
  getKeyInput,
  getEventSealsInput,
  getKeySetInput,
  instantMillis,
  jwkThumbprint,
  LEDGER_EVENTS,
  listCitiesInput,
  registerKeyInput,
  revokeKeyInput,
  rotateKeyInput,
  setGatewayUrlInput,
  type CityId,
  type City,
  type CityKeySetRecord,
  type CityProfileRecord,
  type CityView,
  type KeyRecord,
  type RegisterKeyInput,
} from '@jcc/domain';
import { Returns, Transaction } from '../lib/decorators.js';
import { emitEvent } from '../lib/events.js';
import { assertSameContent, assertState, found } from '../lib/guards.js';
import { emptyKeySet, hasProvenance, readKeySet, trustedKey, writeKeySet } from '../lib/keySet.js';
import { parseInput } from '../lib/input.js';
import { compositeKey, OBJECT_TYPES } from '../lib/keys.js';
import { readAllKeys } from '../lib/pagination.js';
import { jsonResult } from '../lib/result.js';
import { eventSealOf } from '../lib/seal.js';
import { decodeRecord, readRecord, writeRecord } from '../lib/state.js';
import { submittingCity } from '../lib/submitter.js';
import { txTimestamp } from '../lib/txTime.js';

/** Fields of a key registration that must match for a re-registration to be idempotent. */
const KEY_CONTENT: readonly (keyof KeyRecord)[] = ['use', 'jwk', 'validFrom', 'validTo'];

/**
 * `cities`: the static table of the five cities, and what each maintains
 * for itself: its signing keys (JWK, with validity, rotation and
 * revocation), its key set (the provenance of those keys, see
 * `lib/keySet.ts`) and the URL of its gateway.
 */
export class CitiesContract extends Contract {
  constructor() {
    super('cities');
  }

  /**
   * Registers a public signing key of the submitting city and lists it in
   * the city's key set (same transaction). Idempotent for the same key. A key
   * record under that kid that the city's key set does not list (written
   * without the city's peer) is rewritten and adopted when its content is the
   * same, and a conflict otherwise.
   */
  @Transaction()
  @Returns('string')
  async RegisterKey(ctx: Context, inputJson: string): Promise<string> {
    const city = submittingCity(ctx);
    const input = parseInput(registerKeyInput, inputJson);
    const keySet = (await readKeySet(ctx, city.id)) ?? emptyKeySet(city.id);
    const existing = await readRecord<KeyRecord>(ctx, compositeKey(ctx, OBJECT_TYPES.cityKey, [city.id, input.jwk.kid]));
    if (existing) {
      assertSameContent(existing, input, KEY_CONTENT, `key ${city.id}/${input.jwk.kid}`);
      if (hasProvenance(keySet, existing)) return jsonResult(existing);
    }
    const record = await putKey(ctx, city, input, keySet);
    await emitEvent(ctx, LEDGER_EVENTS.cityKeyRegistered, record, city.id);
    return jsonResult(record);
  }

  /**
   * Rotates a key of the submitting city: registers the new key and closes
   * `previousKid` (same use, trusted, not revoked) for signing from the new
   * key's `validFrom` (its `validTo`, and `supersededBy` naming the new key).
   * Documents the old key signed before stay verifiable.
   */
  @Transaction()
  @Returns('string')
  async RotateKey(ctx: Context, inputJson: string): Promise<string> {
    const city = submittingCity(ctx);
    const { previousKid, ...input } = parseInput(rotateKeyInput, inputJson);
    const keySet = found(await readKeySet(ctx, city.id), `key set of ${city.id}`);
    const previous = found(await trustedKey(ctx, city.id, previousKid, keySet), `key ${city.id}/${previousKid}`);
    const kid = input.jwk.kid;
    if (kid === previousKid) throw new CodedError('INVALID_ARGUMENT', 'jwk.kid: must differ from previousKid');
    if (previous.use !== input.use)
      throw new CodedError('INVALID_ARGUMENT', `use: key ${previousKid} is a ${previous.use} key, not a ${input.use} key`);
    assertState(previous.revokedAt === undefined, `key ${city.id}/${previousKid} is revoked (at ${previous.revokedAt})`);
    assertState(previous.supersededBy === undefined, `key ${city.id}/${previousKid} was already rotated (to ${previous.supersededBy})`);
    if (instantMillis(input.validFrom) < instantMillis(previous.validFrom))
      throw new CodedError('INVALID_ARGUMENT', `validFrom: must not be earlier than the previous key's validFrom (${previous.validFrom})`);
    if (await readRecord<KeyRecord>(ctx, compositeKey(ctx, OBJECT_TYPES.cityKey, [city.id, kid])))
      throw new CodedError('CONFLICT', `key ${city.id}/${kid} already exists`);
    const validTo =
      previous.validTo !== undefined && instantMillis(previous.validTo) < instantMillis(input.validFrom)
        ? previous.validTo
        : input.validFrom;
    const closed: KeyRecord = { ...previous, validTo, supersededBy: kid };
    await writeRecord(ctx, compositeKey(ctx, OBJECT_TYPES.cityKey, [city.id, previousKid]), closed, city);
    const record = await putKey(ctx, city, input, keySet);
    const result = { ...record, previous: closed };
    await emitEvent(ctx, LEDGER_EVENTS.cityKeyRotated, result, city.id);
    return jsonResult(result);
  }

  /** Revokes one of the submitting city's keys from `revokedAt` (default: now), with a reason code. The key stays on the ledger. */
  @Transaction()
  @Returns('string')
  async RevokeKey(ctx: Context, inputJson: string): Promise<string> {
    const city = submittingCity(ctx);
    const input = parseInput(revokeKeyInput, inputJson);
    const key = compositeKey(ctx, OBJECT_TYPES.cityKey, [city.id, input.kid]);
    const existing = found(await trustedKey(ctx, city.id, input.kid), `key ${city.id}/${input.kid}`);
    assertState(existing.revokedAt === undefined, `key ${city.id}/${input.kid} is already revoked (at ${existing.revokedAt})`);
    const revokedAt = input.revokedAt ?? txTimestamp(ctx);
    if (instantMillis(revokedAt) < instantMillis(existing.validFrom)) {
      throw new CodedError('INVALID_ARGUMENT', `revokedAt: must not be earlier than the key's validFrom (${existing.validFrom})`);
    }
    const record: KeyRecord = {
      ...existing,
      revokedAt,
      revokedTxId: ctx.stub.getTxID(),
      revocationReason: input.reason ?? 'unspecified',
    };
    await writeRecord(ctx, key, record, city);
    await emitEvent(ctx, LEDGER_EVENTS.cityKeyRevoked, record, city.id);
    return jsonResult(record);
  }

  /** Sets the URL of the submitting city's gateway. Setting the same URL again is a no-op. */
  @Transaction()
  @Returns('string')
  async SetGatewayUrl(ctx: Context, inputJson: string): Promise<string> {
    const city = submittingCity(ctx);
    const input = parseInput(setGatewayUrlInput, inputJson);
    const key = compositeKey(ctx, OBJECT_TYPES.cityProfile, [city.id]);
    const existing = await readRecord<CityProfileRecord>(ctx, key);
    if (existing?.gatewayUrl === input.url) return jsonResult(existing);
    const record: CityProfileRecord = { city: city.id, gatewayUrl: input.url, updatedAt: txTimestamp(ctx), txId: ctx.stub.getTxID() };
    await writeRecord(ctx, key, record, city);
    await emitEvent(ctx, LEDGER_EVENTS.cityGatewayUrlSet, record, city.id);
    return jsonResult(record);
  }

  /** One city: its static data, gateway URL and all its keys (revoked ones included). */
  @Transaction(false)
  @Returns('string')
  async GetCity(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(getCityInput, inputJson);
    return jsonResult(await cityView(ctx, input.city));
  }

  /** The five cities, in the consortium's fixed order, as {@link CitiesContract.GetCity} returns them. */
  @Transaction(false)
  @Returns('string')
  async ListCities(ctx: Context, inputJson: string): Promise<string> {
    parseInput(listCitiesInput, inputJson);
    const records: CityView[] = [];
    for (const city of CITIES) records.push(await cityView(ctx, city.id));
    return jsonResult({ records });
  }

  /**
   * One key record of a city, when the city's key set vouches for it: a key
   * record other cities wrote in the city's name is `NOT_FOUND` like one that
   * does not exist.
   */
  @Transaction(false)
  @Returns('string')
  async GetKey(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(getKeyInput, inputJson);
    return jsonResult(found(await trustedKey(ctx, input.city, input.kid), `key ${input.city}/${input.kid}`));
  }

  /** A city's key set: the thumbprints of the keys and identities it vouches for. */
  @Transaction(false)
  @Returns('string')
  async GetKeySet(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(getKeySetInput, inputJson);
    return jsonResult(found(await readKeySet(ctx, input.city), `key set of ${input.city}`));
  }

  /**
   * The seals of cities on the events of transactions (`lib/seal.ts`), in the
   * order asked: each `sealHash` is the hash this peer holds (hex SHA-256 of
   * the SHA-256 of the event payload, `@jcc/domain` eventSealHash), absent
   * when the transaction carries no seal of that city, i.e. its event is not
   * the city's. Many at once, so that a gateway's index asks once per burst
   * of events rather than once per event.
   */
  @Transaction(false)
  @Returns('string')
  async GetEventSeals(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(getEventSealsInput, inputJson);
    const seals = [];
    for (const { city, txId } of input.events) seals.push({ city, txId, sealHash: await eventSealOf(ctx, city, txId) });
    return jsonResult({ seals });
  }
}

/** Writes a key record of `city` and lists it in the city's key set, in this transaction. */
async function putKey(ctx: Context, city: City, input: RegisterKeyInput, keySet: CityKeySetRecord): Promise<KeyRecord> {
  const kid = input.jwk.kid;
  const record: KeyRecord = {
    city: city.id,
    kid,
    use: input.use,
    jwk: input.jwk,
    validFrom: input.validFrom,
    validTo: input.validTo,
    registeredAt: txTimestamp(ctx),
    txId: ctx.stub.getTxID(),
  };
  await writeRecord(ctx, compositeKey(ctx, OBJECT_TYPES.cityKey, [city.id, kid]), record, city);
  await writeKeySet(ctx, { ...keySet, keys: { ...keySet.keys, [kid]: jwkThumbprint(input.jwk) } });
  return record;
}

/** A city's static data, its profile and its keys (in kid order). */
async function cityView(ctx: Context, id: CityId): Promise<CityView> {
  const city = cityById(id);
  const profile = await readRecord<CityProfileRecord>(ctx, compositeKey(ctx, OBJECT_TYPES.cityProfile, [id]));
  const keySet = await readKeySet(ctx, id);
  const keys = (await readAllKeys(ctx, OBJECT_TYPES.cityKey, [id]))
    .map((entry) => decodeRecord<KeyRecord>(entry.value))
    .filter((record) => hasProvenance(keySet, record));
  return {
    id: city.id,
    name: city.name,
    nameZh: city.nameZh,
    divisionCode: city.divisionCode,
    mspId: city.mspId,
    gatewayUrl: profile?.gatewayUrl,
    keys,
  };
}
