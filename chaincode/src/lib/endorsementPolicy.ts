import { common, msp } from '@hyperledger/fabric-protos';
import { CITIES, type City } from '@jcc/domain';

/**
 * The key-level (state-based) endorsement policy of a record owned by a city:
 *
 *     AND(owner.peer, OutOf(1, other1.peer, other2.peer, other3.peer, other4.peer))
 *
 * i.e. the owning city's peer and a peer of any one other city must endorse
 * every change of the key. No other city can alter the record, even with a
 * modified chaincode, and the owner cannot alter it without one independent
 * city re-executing the checks.
 *
 * Encoded as a `common.SignaturePolicyEnvelope` (version 0) whose identities
 * are MSP principals with role PEER: the owner first, then the other cities
 * in the consortium's fixed order.
 */

/** An MSP principal naming the PEER role of an organisation. */
function peerPrincipal(mspId: string): msp.MSPPrincipal {
  const role = new msp.MSPRole();
  role.setMspIdentifier(mspId);
  role.setRole(msp.MSPRole.MSPRoleType.PEER);
  const principal = new msp.MSPPrincipal();
  principal.setPrincipalClassification(msp.MSPPrincipal.Classification.ROLE);
  principal.setPrincipal(role.serializeBinary());
  return principal;
}

/** A rule satisfied by a signature of identity number `index` of the envelope. */
function signedBy(index: number): common.SignaturePolicy {
  const rule = new common.SignaturePolicy();
  rule.setSignedBy(index);
  return rule;
}

/** A rule satisfied when `n` of `rules` are. */
function outOf(n: number, rules: common.SignaturePolicy[]): common.SignaturePolicy {
  const nOutOf = new common.SignaturePolicy.NOutOf();
  nOutOf.setN(n);
  nOutOf.setRulesList(rules);
  const rule = new common.SignaturePolicy();
  rule.setNOutOf(nOutOf);
  return rule;
}

/**
 * The serialised endorsement policy for keys owned by `owner`.
 *
 * @param owner the owning city.
 * @param consortium all member cities (default: the five cities); the owner must be one of them.
 * @returns `SignaturePolicyEnvelope` bytes for `ctx.stub.setStateValidationParameter`.
 */
export function ownerEndorsementPolicy(owner: City, consortium: readonly City[] = CITIES): Uint8Array {
  const others = consortium.filter((city) => city.mspId !== owner.mspId);
  if (others.length === consortium.length) throw new RangeError(`${owner.id} is not a member of the consortium`);
  if (others.length === 0) throw new RangeError('an owner policy needs at least one other city');
  const envelope = new common.SignaturePolicyEnvelope();
  envelope.setVersion(0);
  envelope.setIdentitiesList([owner, ...others].map((city) => peerPrincipal(city.mspId)));
  envelope.setRule(
    outOf(2, [
      signedBy(0),
      outOf(
        1,
        others.map((_, i) => signedBy(i + 1)),
      ),
    ]),
  );
  return envelope.serializeBinary();
}

const cache = new Map<string, Uint8Array>();

/** {@link ownerEndorsementPolicy} for one of the five cities, computed once per city. */
export function cityEndorsementPolicy(owner: City): Uint8Array {
  let policy = cache.get(owner.id);
  if (!policy) {
    policy = ownerEndorsementPolicy(owner);
    cache.set(owner.id, policy);
  }
  return policy;
}
