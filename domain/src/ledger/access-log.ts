import * as z from 'zod';
import type { CityId } from '../cities.js';
import { cityIdField, expected, sha256HexField, timestampField } from './fields.js';

/**
 * Ledger inputs and records of the `accessLog` contract: the signed tree
 * heads of each city's access log (docs/access-log.md), anchored by the
 * city itself under its own key-level endorsement policy.
 */

/** Largest tree size a head may state. */
export const MAX_ACCESS_LOG_SIZE = Number.MAX_SAFE_INTEGER;
/** Longest signed tree head (compact JWS) the ledger takes. */
export const MAX_TREE_HEAD_JWS_LENGTH = 4096;
/** Most hashes in a consistency proof (2·log2 of the largest size, with margin). */
export const MAX_CONSISTENCY_PROOF = 128;

const treeSizeField = z
  .number({ error: expected('a number') })
  .int({ error: 'must be an integer' })
  .min(0, { error: 'must not be negative' })
  .max(MAX_ACCESS_LOG_SIZE, { error: 'too large' });

/** `accessLog:AnchorTreeHead`. */
export const anchorTreeHeadInput = z.strictObject({
  treeSize: treeSizeField,
  rootHash: sha256HexField,
  timestamp: timestampField,
  /** The signed tree head: a compact JWS whose payload is the head's canonical JSON. */
  signedTreeHead: z
    .string({ error: expected('a string') })
    .max(MAX_TREE_HEAD_JWS_LENGTH, { error: `must be at most ${MAX_TREE_HEAD_JWS_LENGTH} characters` })
    .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, { error: expected('a compact JWS') }),
  /** RFC 9162 consistency proof from the city's latest anchored head to this one (empty for the first head). */
  consistencyProof: z
    .array(sha256HexField, { error: expected('an array of SHA-256 hashes') })
    .max(MAX_CONSISTENCY_PROOF, { error: `must hold at most ${MAX_CONSISTENCY_PROOF} hashes` }),
});

/** `accessLog:GetTreeHead`: the latest head of a city, or the one of a given size. */
export const getTreeHeadInput = z.strictObject({ city: cityIdField, treeSize: treeSizeField.optional() });

/** A tree head anchored on the ledger. */
export interface TreeHeadRecord {
  city: CityId;
  treeSize: number;
  rootHash: string;
  timestamp: string;
  signedTreeHead: string;
  /** The head it was proven consistent with (absent for the first). */
  previousTreeSize?: number;
  anchoredAt: string;
  txId: string;
}
