import { jsonInputProblem } from '@jcc/domain';
import type { z } from 'zod';
import { HttpProblem, toProblem, type ProblemDocument } from '../http/problem.js';
import type { NumberedLine } from '../lib/lines.js';
import { requestFingerprint, type IssueItem, type IssueRequest, type Issuer } from './issuer.js';

/** Most lines issued together (one signing round, one store write). */
export const BULK_MAX_BATCH = 1000;
/** Batches of one upload under way at once (the next is read and signed while the previous one is written). */
export const BULK_IN_FLIGHT = 2;

/** The answer line of an issued document. */
export interface BulkIssuedLine {
  line: number;
  id: string;
  jws: string;
  anchor: 'single' | 'batch';
  statusUrl: string;
  /** Present (true) when the line was issued before under the upload's idempotency key. */
  replayed?: true;
}

/** The answer line of a refused line. */
export interface BulkRefusedLine {
  line: number;
  problem: ProblemDocument;
}

/** The last answer line: what the upload did. */
export interface BulkSummary {
  /** Non-blank lines read. */
  lines: number;
  /** Documents issued by this upload. */
  issued: number;
  /** Lines answered with the document an earlier upload issued under the same idempotency key. */
  replayed: number;
  /** Lines answered with a problem. */
  refused: number;
  /** True when every line was issued (or replayed). */
  complete: boolean;
}

/** What {@link issueBulk} needs. */
export interface BulkIssueOptions {
  issuer: Issuer;
  /** The schema of one line (the body of `POST /api/v1/reports`). */
  schema: { safeParse(value: unknown): z.ZodSafeParseResult<IssueRequest> };
  issuedBy: string;
  /** The upload's idempotency key and its scope: line n is issued under the key `<key>#<n>`. */
  idempotency?: { scope: string; key: string };
  /** Writes answer lines (resolves when the client can take more: back-pressure). */
  write(text: string): Promise<void>;
  /** Called after each batch with the documents it issued. */
  onIssued?(issued: BulkIssuedLine[]): void;
  maxBatch?: number;
  inFlight?: number;
}

/** One line read: the request to issue, or the problem that refuses it. */
type Parsed = { line: number; item: IssueItem } | { line: number; problem: ProblemDocument };

function parseLine(line: NumberedLine, o: BulkIssueOptions): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(line.text);
  } catch {
    return { line: line.line, problem: new HttpProblem(400, 'invalid-json', 'Invalid JSON input', 'the line is not JSON').problem };
  }
  const inputProblem = jsonInputProblem(value, 'line');
  if (inputProblem)
    return {
      line: line.line,
      problem: new HttpProblem(400, 'invalid-json', 'Invalid JSON input', inputProblem, { code: 'INVALID_ARGUMENT' }).problem,
    };
  const parsed = o.schema.safeParse(value);
  if (!parsed.success) return { line: line.line, problem: toProblem(parsed.error).problem };
  const item: IssueItem = { request: parsed.data, issuedBy: o.issuedBy };
  if (o.idempotency)
    item.idempotency = { scope: o.idempotency.scope, key: `${o.idempotency.key}#${line.line}`, fingerprint: requestFingerprint(value) };
  return { line: line.line, item };
}

/**
 * Issues the documents of an NDJSON upload, one per line, through the
 * issuer's one path ({@link Issuer.issueMany}), many lines at a time, and
 * answers every line in order: its document (`{line, id, jws, anchor,
 * statusUrl}`) or its own problem (`{line, problem}`), then a last line
 * `{summary}`. A line's answer is written only once its document is stored
 * (with its anchoring queued), so every document answered for survives a
 * crash. Lines are read as answers are taken: a client that stops reading
 * stops the upload (back-pressure), and the gateway holds at most
 * `inFlight` batches of an upload.
 */
export async function issueBulk(groups: AsyncIterable<NumberedLine[]>, o: BulkIssueOptions): Promise<BulkSummary> {
  const maxBatch = o.maxBatch ?? BULK_MAX_BATCH;
  const inFlight = o.inFlight ?? BULK_IN_FLIGHT;
  const summary: BulkSummary = { lines: 0, issued: 0, replayed: 0, refused: 0, complete: false };
  let written: Promise<void> = Promise.resolve();
  const pending: Promise<void>[] = [];

  const answer = async (lines: NumberedLine[]): Promise<string> => {
    const parsed = lines.map((l) => parseLine(l, o));
    const accepted = parsed.filter((p): p is { line: number; item: IssueItem } => 'item' in p);
    let outcomes: Awaited<ReturnType<Issuer['issueMany']>> | undefined;
    let failure: ProblemDocument | undefined;
    try {
      outcomes = accepted.length ? await o.issuer.issueMany(accepted.map((a) => a.item)) : [];
    } catch (err) {
      failure = toProblem(err).problem;
    }
    const issued: BulkIssuedLine[] = [];
    let text = '';
    let n = 0;
    for (const p of parsed) {
      let out: BulkIssuedLine | BulkRefusedLine;
      if ('problem' in p) out = { line: p.line, problem: p.problem };
      else {
        const outcome = outcomes?.[n++];
        if (!outcome || failure) out = { line: p.line, problem: failure ?? toProblem(new Error('not issued')).problem };
        else if (outcome instanceof Error) out = { line: p.line, problem: toProblem(outcome).problem };
        else {
          const doc: BulkIssuedLine = {
            line: p.line,
            id: outcome.id,
            jws: outcome.jws,
            anchor: outcome.anchor,
            statusUrl: `/api/v1/reports/${outcome.id}`,
          };
          if (outcome.replayed) {
            doc.replayed = true;
            summary.replayed++;
          } else {
            summary.issued++;
            issued.push(doc);
          }
          out = doc;
        }
      }
      if ('problem' in out) summary.refused++;
      text += JSON.stringify(out) + '\n';
    }
    if (issued.length) o.onIssued?.(issued);
    return text;
  };

  for await (const group of groups) {
    for (let start = 0; start < group.length; start += maxBatch) {
      const lines = group.slice(start, start + maxBatch);
      summary.lines += lines.length;
      const text = answer(lines);
      // Answers go out in line order, each batch once the one before it is written.
      const previous = written;
      written = (async () => {
        const t = await text;
        await previous;
        await o.write(t);
      })();
      written.catch(() => undefined);
      pending.push(written);
      while (pending.length >= inFlight) await pending.shift();
    }
  }
  await written;
  summary.complete = summary.refused === 0;
  await o.write(JSON.stringify({ summary }) + '\n');
  return summary;
}
