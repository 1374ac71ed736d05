/**
 * The three sample documents `npm start` hands out, written to
 * `.data/demo/samples/`: a valid one (a batch-anchored Qingdao report with its
 * Merkle proof), a revoked one, and a tampered one (a genuine report whose
 * payload was altered after signing, so its signature fails). Each is a JSON
 * file `{jws, proof?}` — what the verification page, `jcc verify` and
 * `POST /api/v1/verify` accept — and a bare `.jws` text file.
 *
 * @packageDocumentation
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson, type CityId } from '@jcc/domain';
import type { IssuedReport, ReportState } from './reports.js';

/** The kinds of sample. */
export type SampleKind = 'valid' | 'revoked' | 'tampered';

/** A written sample. */
export interface Sample {
  kind: SampleKind;
  documentId: string;
  issuerCity: CityId;
  anchorMode: 'single' | 'batch';
  /** What the sample is, in one line. */
  description: string;
  /** The city whose gateway the printed commands verify it at (another city than the issuer). */
  verifyAt: CityId;
  jsonFile: string;
  jwsFile: string;
  jws: string;
  proof?: Record<string, unknown>;
}

/** The three samples. */
export interface Samples {
  valid: Sample;
  revoked: Sample;
  tampered: Sample;
}

/**
 * A copy of a compact JWS whose payload was changed after signing: the
 * payload is decoded, `alter` edits it, and it is written again in canonical
 * form (so the document is well-formed and only the signature gives it away)
 * next to the original header and signature.
 */
export function tamperJws(jws: string, alter: (payload: Record<string, unknown>) => void): string {
  const [header, payload, signature] = jws.split('.');
  if (header === undefined || payload === undefined || signature === undefined) throw new Error('not a compact JWS');
  const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  alter(decoded);
  const altered = Buffer.from(canonicalJson(decoded), 'utf8').toString('base64url');
  if (altered === payload) throw new Error('tampering changed nothing');
  return `${header}.${altered}.${signature}`;
}

/** Hides the administrative penalties a report lists: what a forger would do. */
function hidePenalties(payload: Record<string, unknown>): void {
  const content = (payload.content ?? {}) as Record<string, unknown>;
  const summary = (content.summary ?? {}) as Record<string, unknown>;
  payload.content = { ...content, administrativePenalties: [], summary: { ...summary, administrativePenalties: 0 } };
}

/** Writes the three samples to `dir`. */
export async function writeSamples(
  dir: string,
  sources: { valid: IssuedReport; revoked: IssuedReport; tampered: IssuedReport },
  states: Map<string, ReportState>,
  verifyAt: CityId,
): Promise<Samples> {
  await mkdir(dir, { recursive: true });
  const write = async (kind: SampleKind, source: IssuedReport, jws: string, description: string, withProof: boolean): Promise<Sample> => {
    const proof = withProof ? states.get(source.id)?.proof : undefined;
    const jsonFile = join(dir, `${kind}.json`);
    const jwsFile = join(dir, `${kind}.jws`);
    await writeFile(jsonFile, JSON.stringify(proof ? { jws, proof } : { jws }, null, 2) + '\n');
    await writeFile(jwsFile, jws + '\n');
    return {
      kind,
      documentId: source.id,
      issuerCity: source.plan.city,
      anchorMode: source.plan.anchor,
      description,
      verifyAt,
      jsonFile,
      jwsFile,
      jws,
      ...(proof ? { proof } : {}),
    };
  };
  return {
    valid: await write(
      'valid',
      sources.valid,
      sources.valid.jws,
      'Qingdao public credit report, batch-anchored, with its Merkle proof: valid',
      true,
    ),
    revoked: await write(
      'revoked',
      sources.revoked,
      sources.revoked.jws,
      'Qingdao public credit report, anchored alone, then revoked: not valid (status)',
      false,
    ),
    tampered: await write(
      'tampered',
      sources.tampered,
      tamperJws(sources.tampered.jws, hidePenalties),
      'Qingdao public credit report with its administrative penalty removed after signing: not valid (signature)',
      false,
    ),
  };
}
