import { z } from 'zod';
import {
  agreementViewSchema,
  cityIdField,
  recognitionRecordSchema,
  type AgreementView,
  type CityId,
  type RecognitionRecord,
} from '@jcc/domain';
import { FreeTexts, revealedTextSchema, textCommitment, type RevealedText } from '../list-entries/free-text.js';
import type { Services } from '../services.js';

/** Free text of the recognition contract that could not be read: who holds it, and why it was not read. */
export interface HeldText {
  /** The city whose gateway holds the text. */
  heldBy: CityId;
  /** Why this gateway could not give it (e.g. that gateway did not answer). */
  detail: string;
}

/** A text as served to a reader: the text and its salt, or where it is held. */
export type ServedText = RevealedText | HeldText;

/** {@link ServedText}, as answers state it. */
export const servedTextSchema = z.union([
  revealedTextSchema,
  z.object({
    heldBy: cityIdField.describe('the city whose gateway holds the text'),
    detail: z.string().describe('why this gateway could not give it'),
  }),
]) satisfies z.ZodType<ServedText>;

/** {@link ServedRecognition}: a recognition record with its reasons, current first, then its history's in order. */
export const servedRecognitionSchema = recognitionRecordSchema.extend({
  text: z.object({ reason: servedTextSchema, history: z.array(servedTextSchema) }),
});

/** {@link ServedAgreement}: an agreement with the reason it was ended for, when it was. */
export const servedAgreementSchema = agreementViewSchema.extend({ text: z.object({ endReason: servedTextSchema }).optional() });

/** Texts of other cities kept in memory (see {@link RecognitionTexts}). */
const MAX_FETCHED_TEXTS = 10_000;

/** The store table of recognition texts (served to peer gateways by hash, so it holds nothing else). */
export const RECOGNITION_TEXTS_TABLE = 'recognition-texts';

/**
 * Free text of the recognition contract (互认): the reason of a recognition
 * decision and of ending an agreement. Like the free text of list entries
 * (the one {@link FreeTexts} mechanism), the text stays in the gateway of
 * the city that wrote it and the ledger holds its salted SHA-256. A reader
 * at any gateway gets the text from the writing city's gateway, checked
 * against the ledger's hash here, or is told which city holds it.
 */
export class RecognitionTexts {
  readonly #texts: FreeTexts;
  readonly #s: Services;
  /**
   * Texts fetched from other cities' gateways, by hash (a hash names one text for good, and each
   * was checked against it): a list page asks a peer once per text, not once per record and read.
   */
  readonly #fetched = new Map<string, Promise<ServedText>>();

  constructor(s: Services) {
    this.#s = s;
    this.#texts = new FreeTexts(s.store, s.secret, RECOGNITION_TEXTS_TABLE);
  }

  /** Runs a ledger write naming texts by their hashes, keeping them here (see {@link FreeTexts.keep}). */
  keep<K extends string, T>(
    fields: Record<K, [scope: string, text: string]>,
    write: (hashes: Record<K, string>) => Promise<T>,
  ): Promise<T> {
    return this.#texts.keep(fields, write);
  }

  /** A text this gateway holds, by its ledger hash. */
  local(hash: string): Promise<RevealedText | undefined> {
    return this.#texts.reveal(hash);
  }

  /**
   * The text behind `hash`, written by `holder`: read here when this is the
   * holder, else fetched from the holder's gateway and accepted only when it
   * matches the hash.
   */
  async serve(holder: CityId, hash: string): Promise<ServedText> {
    if (holder === this.#s.city) return (await this.local(hash)) ?? { heldBy: holder, detail: 'this gateway no longer holds the text' };
    const key = `${holder}|${hash}`;
    const known = this.#fetched.get(key);
    if (known) return known;
    const fetched = this.#fetch(holder, hash);
    this.#fetched.set(key, fetched);
    const served = await fetched;
    // Only a text that checked out is kept; a holder that did not answer is asked again next time.
    if (!('salt' in served)) this.#fetched.delete(key);
    else if (this.#fetched.size > MAX_FETCHED_TEXTS) this.#fetched.delete(this.#fetched.keys().next().value as string);
    return served;
  }

  async #fetch(holder: CityId, hash: string): Promise<ServedText> {
    try {
      const got = (await this.#s.peers.recognitionText(holder, hash)) as Partial<RevealedText> | undefined;
      if (typeof got?.salt === 'string' && 'text' in got && typeof got.text === 'string' && textCommitment(got.salt, got.text) === hash)
        return { text: got.text, salt: got.salt };
      return { heldBy: holder, detail: `the gateway of ${holder} sent a text that does not match the ledger's hash` };
    } catch (err) {
      return { heldBy: holder, detail: (err as Error).message };
    }
  }
}

/** A recognition record as served: the ledger's record with its reasons, current first, then its history's in order. */
export type ServedRecognition<R extends RecognitionRecord = RecognitionRecord> = R & {
  text: { reason: ServedText; history: ServedText[] };
};

/** An agreement as served: the ledger's view with the reason it was ended for, when it was. */
export type ServedAgreement = AgreementView & { text?: { endReason: ServedText } };

/** Adds the reasons of a recognition record (held by the recognising city's gateway). */
export async function withReasons<R extends RecognitionRecord>(texts: RecognitionTexts, record: R): Promise<ServedRecognition<R>> {
  const [reason, ...history] = await Promise.all(
    [record.reasonHash, ...record.history.map((h) => h.reasonHash)].map((hash) => texts.serve(record.city, hash)),
  );
  return { ...record, text: { reason: reason as ServedText, history } };
}

/** Adds the reason an agreement was ended for (held by the gateway of the city that ended it). */
export async function withEndReason(texts: RecognitionTexts, view: AgreementView): Promise<ServedAgreement> {
  if (!view.endReasonHash || !view.endedBy) return view;
  return { ...view, text: { endReason: await texts.serve(view.endedBy, view.endReasonHash) } };
}
