import { createHash } from 'node:crypto';
import { CITIES, cityById, type CityId } from '../cities.js';

/**
 * Seals (封印): a private data collection per city, `keyset<City>` (first
 * holding the seal of the city's key set, hence the name), whose
 * collection-level endorsement policy names the city's own peer. Fabric
 * applies that policy to every write into the collection, the first one
 * included, so no set of cities without C can write C's seal. The genuine
 * chaincode seals each of C's records without a signature of its own (its
 * key set included) under the record's state key, and each event under
 * {@link eventSealKey}, by digest: every peer (member of the collection or
 * not) holds the SHA-256 of the private value, so any peer can tell a sealed
 * record or event (`chaincode/src/lib/seal.ts`).
 */

/**
 * The key of the seal of a transaction's event inside the submitting city's
 * collection: its private value is the SHA-256 of the event payload's bytes,
 * so every peer holds the SHA-256 of that digest. An event counts as a
 * city's (a gateway's index projects it) only when the two match: other
 * cities can commit a transaction emitting an event in C's name, but cannot
 * write C's seal.
 */
export function eventSealKey(txId: string): string {
  return `event/${txId}`;
}

/**
 * The hex value a peer holds for the event seal of `payload` (the SHA-256 of
 * the SHA-256 of its bytes): what `cities:GetEventSeals` answers for a sealed
 * event.
 */
export function eventSealHash(payload: Uint8Array): string {
  const once = createHash('sha256').update(payload).digest();
  return createHash('sha256').update(once).digest('hex');
}

/** Name of the private data collection sealing `city`'s key set, e.g. `keysetQingdao`. */
export function keySetCollection(city: CityId): string {
  return `keyset${cityById(city).name}`;
}

/** One entry of a Fabric collections configuration (`--collections-config`), in its JSON form. */
export interface CollectionConfigJson {
  name: string;
  policy: string;
  requiredPeerCount: number;
  maxPeerCount: number;
  blockToLive: number;
  memberOnlyRead: boolean;
  memberOnlyWrite: boolean;
  endorsementPolicy: { signaturePolicy: string };
}

/**
 * The collections of the chaincode definition: one per city, valid only when
 * endorsed by the city's peer and one other city's
 * (`AND('<C>.peer', OR(<others>.peer))`, the key-level policy of its records).
 * The city alone is a member, so only its peer stores the private values (it
 * endorses every write into its collection, so it always has them); every
 * other peer holds their hashes, which are in the blocks and are all that is
 * ever read (`getPrivateDataHash` needs no membership). So no peer ever waits
 * for private data it missed (a peer cut off while a write's values were
 * sent waits up to `pullRetryThreshold` per block for a member to give them),
 * and a write's values go to at most one other peer, the city's own.
 */
export function keySetCollectionsConfig(): CollectionConfigJson[] {
  return CITIES.map((city) => {
    const others = CITIES.filter((c) => c.id !== city.id).map((c) => `'${c.mspId}.peer'`);
    return {
      name: keySetCollection(city.id),
      policy: `OR('${city.mspId}.member')`,
      requiredPeerCount: 0,
      maxPeerCount: 1,
      blockToLive: 0,
      memberOnlyRead: true,
      memberOnlyWrite: false,
      endorsementPolicy: { signaturePolicy: `AND('${city.mspId}.peer',OR(${others.join(',')}))` },
    };
  });
}
