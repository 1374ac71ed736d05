import { Context, Contract } from 'fabric-contract-api';
import {
  approveIdentityInput,
  CITIES,
  getIdentityInput,
  IDENTITY_QUORUM,
  jwkThumbprint,
  LEDGER_EVENTS,
  listIdentitiesInput,
  proposeIdentityInput,
  revokeIdentityInput,
  type CityId,
  type CityKeySetRecord,
  type IdentityRecord,
  type IdentityView,
} from '@jcc/domain';
import { Returns, Transaction } from '../lib/decorators.js';
import { emitEvent } from '../lib/events.js';
import { assertSameContent, assertState, found } from '../lib/guards.js';
import { parseInput } from '../lib/input.js';
import { emptyKeySet, readKeySet, writeKeySet } from '../lib/keySet.js';
import { compositeKey, OBJECT_TYPES } from '../lib/keys.js';
import { readAllKeys } from '../lib/pagination.js';
import { jsonResult } from '../lib/result.js';
import { decodeRecord, readRecord, writeRecord } from '../lib/state.js';
import { submittingCity } from '../lib/submitter.js';
import { txTimestamp } from '../lib/txTime.js';

/** Fields of a proposal that must match for a repeated proposal to be idempotent. */
const IDENTITY_CONTENT: readonly (keyof IdentityRecord)[] = ['role', 'jwk', 'validFrom', 'validTo'];

/**
 * `identities`: regulators (监管部门) and alliance members (信用服务机构联盟)
 * as identities of their own, with their own public key and validity.
 *
 * One city proposes an identity; it is active once {@link IDENTITY_QUORUM}
 * of the five cities vouch for it. A city vouches by listing the identity's
 * key thumbprint in its own key set (owner-protected: only a transaction its
 * peer endorsed can change it), so no set of fewer than the quorum of cities
 * can make an identity active, whatever chaincode they run. Any city that
 * vouched may revoke it, which ends it everywhere (a compromised key must be
 * stoppable by one city).
 */
export class IdentitiesContract extends Contract {
  constructor() {
    super('identities');
  }

  /** Proposes an identity; the proposing city vouches for it. Idempotent for the same proposal. */
  @Transaction()
  @Returns('string')
  async ProposeIdentity(ctx: Context, inputJson: string): Promise<string> {
    const city = submittingCity(ctx);
    const input = parseInput(proposeIdentityInput, inputJson);
    const key = compositeKey(ctx, OBJECT_TYPES.identity, [input.id]);
    const existing = await readRecord<IdentityRecord>(ctx, key);
    if (existing) {
      assertSameContent(existing, input, IDENTITY_CONTENT, `identity ${input.id}`);
      return jsonResult(await identityView(ctx, existing));
    }
    const record: IdentityRecord = {
      id: input.id,
      role: input.role,
      jwk: input.jwk,
      validFrom: input.validFrom,
      validTo: input.validTo,
      city: city.id,
      registeredAt: txTimestamp(ctx),
      txId: ctx.stub.getTxID(),
    };
    await writeRecord(ctx, key, record, city);
    const keySet = (await readKeySet(ctx, city.id)) ?? emptyKeySet(city.id);
    const view = await identityView(ctx, record, await vouch(ctx, keySet, record));
    await emitEvent(ctx, LEDGER_EVENTS.identityProposed, view, city.id);
    return jsonResult(view);
  }

  /** The submitting city vouches for a proposed identity (its key as proposed). Idempotent. */
  @Transaction()
  @Returns('string')
  async ApproveIdentity(ctx: Context, inputJson: string): Promise<string> {
    const city = submittingCity(ctx);
    const input = parseInput(approveIdentityInput, inputJson);
    const record = found(
      await readRecord<IdentityRecord>(ctx, compositeKey(ctx, OBJECT_TYPES.identity, [input.id])),
      `identity ${input.id}`,
    );
    const keySet = (await readKeySet(ctx, city.id)) ?? emptyKeySet(city.id);
    assertState(!Object.hasOwn(keySet.revokedIdentities, input.id), `${city.id} revoked identity ${input.id}`);
    if (keySet.approvedIdentities[input.id] === jwkThumbprint(record.jwk)) return jsonResult(await identityView(ctx, record));
    const result = { ...(await identityView(ctx, record, await vouch(ctx, keySet, record))), at: txTimestamp(ctx) };
    await emitEvent(ctx, LEDGER_EVENTS.identityApproved, result, city.id);
    return jsonResult(result);
  }

  /** Revokes an identity the submitting city vouched for; it is no longer active anywhere. */
  @Transaction()
  @Returns('string')
  async RevokeIdentity(ctx: Context, inputJson: string): Promise<string> {
    const city = submittingCity(ctx);
    const input = parseInput(revokeIdentityInput, inputJson);
    const record = found(
      await readRecord<IdentityRecord>(ctx, compositeKey(ctx, OBJECT_TYPES.identity, [input.id])),
      `identity ${input.id}`,
    );
    const keySet = (await readKeySet(ctx, city.id)) ?? emptyKeySet(city.id);
    assertState(Object.hasOwn(keySet.approvedIdentities, input.id), `${city.id} never vouched for identity ${input.id}`);
    assertState(!Object.hasOwn(keySet.revokedIdentities, input.id), `${city.id} already revoked identity ${input.id}`);
    const revocation = { revokedAt: txTimestamp(ctx), reason: input.reason ?? 'unspecified' } as const;
    const written = await writeKeySet(ctx, { ...keySet, revokedIdentities: { ...keySet.revokedIdentities, [input.id]: revocation } });
    const result = { ...(await identityView(ctx, record, written)), at: revocation.revokedAt };
    await emitEvent(ctx, LEDGER_EVENTS.identityRevoked, result, city.id);
    return jsonResult(result);
  }

  /** One identity, with the cities vouching for it, its revocations and whether it is active. */
  @Transaction(false)
  @Returns('string')
  async GetIdentity(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(getIdentityInput, inputJson);
    const record = found(
      await readRecord<IdentityRecord>(ctx, compositeKey(ctx, OBJECT_TYPES.identity, [input.id])),
      `identity ${input.id}`,
    );
    return jsonResult(await identityView(ctx, record));
  }

  /** Every identity, in id order, as {@link IdentitiesContract.GetIdentity} returns it. */
  @Transaction(false)
  @Returns('string')
  async ListIdentities(ctx: Context, inputJson: string): Promise<string> {
    parseInput(listIdentitiesInput, inputJson);
    const keySets = await allKeySets(ctx);
    const records: IdentityView[] = [];
    for (const entry of await readAllKeys(ctx, OBJECT_TYPES.identity, [])) {
      records.push(viewOf(decodeRecord<IdentityRecord>(entry.value), keySets));
    }
    return jsonResult({ records });
  }
}

/** Lists the identity's key thumbprint among the identities the key set's city vouches for. */
function vouch(ctx: Context, keySet: CityKeySetRecord, record: IdentityRecord): Promise<CityKeySetRecord> {
  return writeKeySet(ctx, { ...keySet, approvedIdentities: { ...keySet.approvedIdentities, [record.id]: jwkThumbprint(record.jwk) } });
}

/** The five cities' key sets (absent ones left out); `fresh` replaces the one this transaction wrote (reads do not see own writes). */
async function allKeySets(ctx: Context, fresh?: CityKeySetRecord): Promise<Map<CityId, CityKeySetRecord>> {
  const out = new Map<CityId, CityKeySetRecord>();
  for (const city of CITIES) {
    const keySet = fresh?.city === city.id ? fresh : await readKeySet(ctx, city.id);
    if (keySet) out.set(city.id, keySet);
  }
  return out;
}

async function identityView(ctx: Context, record: IdentityRecord, fresh?: CityKeySetRecord): Promise<IdentityView> {
  return viewOf(record, await allKeySets(ctx, fresh));
}

/** Who vouches for the identity's key as recorded, who revoked it, and whether it is active. */
export function viewOf(record: IdentityRecord, keySets: ReadonlyMap<CityId, CityKeySetRecord>): IdentityView {
  const thumbprint = jwkThumbprint(record.jwk);
  const approvals: CityId[] = [];
  const revocations: IdentityView['revocations'] = [];
  for (const city of CITIES) {
    const keySet = keySets.get(city.id);
    if (!keySet) continue;
    if (keySet.approvedIdentities[record.id] === thumbprint) approvals.push(city.id);
    const revoked = Object.hasOwn(keySet.revokedIdentities, record.id) ? keySet.revokedIdentities[record.id] : undefined;
    if (revoked) revocations.push({ city: city.id, ...revoked });
  }
  return {
    ...record,
    approvals,
    revocations,
    quorum: IDENTITY_QUORUM,
    active: approvals.length >= IDENTITY_QUORUM && revocations.length === 0,
  };
}
