import { Context, Contract } from 'fabric-contract-api';
import {
  CITIES,
  cityById,
  CodedError,
  getCityInput,
  getKeyInput,
  LEDGER_EVENTS,
  listCitiesInput,
  registerKeyInput,
  revokeKeyInput,
  setGatewayUrlInput,
  type CityId,
  type CityProfileRecord,
  type CityView,
  type KeyRecord,
} from '@jcc/domain';
import { Returns, Transaction } from '../lib/decorators.js';
import { emitEvent } from '../lib/events.js';
import { assertSameContent, assertState, found } from '../lib/guards.js';
import { parseInput } from '../lib/input.js';
import { compositeKey, OBJECT_TYPES } from '../lib/keys.js';
import { readAllKeys } from '../lib/pagination.js';
import { jsonResult } from '../lib/result.js';
import { decodeRecord, readRecord, writeRecord } from '../lib/state.js';
import { submittingCity } from '../lib/submitter.js';
import { txTimestamp } from '../lib/txTime.js';

/** Fields of a key registration that must match for a re-registration to be idempotent. */
const KEY_CONTENT: readonly (keyof KeyRecord)[] = ['use', 'jwk', 'validFrom', 'validTo'];

/**
 * `cities`: the static table of the five cities, and what each maintains
 * for itself: its signing keys (JWK, with validity and revocation) and the
 * URL of its gateway.
 */
export class CitiesContract extends Contract {
  constructor() {
    super('cities');
  }

  /** Registers a public signing key of the submitting city. Idempotent for the same key. */
  @Transaction()
  @Returns('string')
  async RegisterKey(ctx: Context, inputJson: string): Promise<string> {
    const city = submittingCity(ctx);
    const input = parseInput(registerKeyInput, inputJson);
    const kid = input.jwk.kid;
    const key = compositeKey(ctx, OBJECT_TYPES.cityKey, [city.id, kid]);
    const existing = await readRecord<KeyRecord>(ctx, key);
    if (existing) {
      assertSameContent(existing, input, KEY_CONTENT, `key ${city.id}/${kid}`);
      return jsonResult(existing);
    }
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
    await writeRecord(ctx, key, record, city);
    emitEvent(ctx, LEDGER_EVENTS.cityKeyRegistered, record, city.id);
    return jsonResult(record);
  }

  /** Revokes one of the submitting city's keys from `revokedAt` (default: now). The key stays on the ledger. */
  @Transaction()
  @Returns('string')
  async RevokeKey(ctx: Context, inputJson: string): Promise<string> {
    const city = submittingCity(ctx);
    const input = parseInput(revokeKeyInput, inputJson);
    const key = compositeKey(ctx, OBJECT_TYPES.cityKey, [city.id, input.kid]);
    const existing = found(await readRecord<KeyRecord>(ctx, key), `key ${city.id}/${input.kid}`);
    assertState(existing.revokedAt === undefined, `key ${city.id}/${input.kid} is already revoked (at ${existing.revokedAt})`);
    const revokedAt = input.revokedAt ?? txTimestamp(ctx);
    if (revokedAt < existing.validFrom) {
      throw new CodedError('INVALID_ARGUMENT', `revokedAt: must not be earlier than the key's validFrom (${existing.validFrom})`);
    }
    const record: KeyRecord = { ...existing, revokedAt, revokedTxId: ctx.stub.getTxID() };
    await writeRecord(ctx, key, record, city);
    emitEvent(ctx, LEDGER_EVENTS.cityKeyRevoked, record, city.id);
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
    emitEvent(ctx, LEDGER_EVENTS.cityGatewayUrlSet, record, city.id);
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

  /** One key record of a city. */
  @Transaction(false)
  @Returns('string')
  async GetKey(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(getKeyInput, inputJson);
    const key = compositeKey(ctx, OBJECT_TYPES.cityKey, [input.city, input.kid]);
    return jsonResult(found(await readRecord<KeyRecord>(ctx, key), `key ${input.city}/${input.kid}`));
  }
}

/** A city's static data, its profile and its keys (in kid order). */
async function cityView(ctx: Context, id: CityId): Promise<CityView> {
  const city = cityById(id);
  const profile = await readRecord<CityProfileRecord>(ctx, compositeKey(ctx, OBJECT_TYPES.cityProfile, [id]));
  const keys = (await readAllKeys(ctx, OBJECT_TYPES.cityKey, [id])).map((entry) => decodeRecord<KeyRecord>(entry.value));
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
