import { z } from 'zod';
import { CITY_IDS, type CityId } from '../cities.js';
import { DOCUMENT_SCHEMA, DOCUMENT_TYPES, RECORD_ID_PATTERN, type CreditDocument } from '../document.js';
import { isUtcTimestamp } from '../ledger/time.js';

const timestamp = z.string().refine(isUtcTimestamp, 'an RFC 3339 UTC timestamp');
const pseudonym = z.string().regex(/^ps1-[0-9a-f]{64}$/);

/** Schema of a {@link CreditDocument} as found in a JWS payload. */
export const creditDocumentSchema = z
  .object({
    schema: z.literal(DOCUMENT_SCHEMA),
    id: z.string().regex(RECORD_ID_PATTERN),
    type: z.enum(DOCUMENT_TYPES),
    issuer: z.object({ city: z.enum(CITY_IDS as [CityId, ...CityId[]]), mspId: z.string().min(1) }).strict(),
    subject: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('enterprise'), uscc: z.string().min(1), pseudonym }).strict(),
      z.object({ kind: z.literal('person'), idNumber: z.string().min(1), pseudonym }).strict(),
    ]),
    issuedAt: timestamp,
    validUntil: timestamp,
    content: z.record(z.string(), z.unknown()),
  })
  .strict();

/** Parses a value as a credit document, or returns why it is not one. */
export function parseCreditDocument(value: unknown): { ok: true; document: CreditDocument } | { ok: false; reason: string } {
  const parsed = creditDocumentSchema.safeParse(value);
  if (parsed.success) return { ok: true, document: parsed.data as CreditDocument };
  const first = parsed.error.issues[0];
  return { ok: false, reason: `${first?.path.join('.') || 'document'}: ${first?.message ?? 'invalid'}` };
}
