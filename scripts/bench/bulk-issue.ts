/**
 * Issuing documents in bulk (`POST /api/v1/reports/bulk`): the lines are
 * generated as the gateway reads them (the request body is a stream with
 * back-pressure) and the NDJSON answer is read as it streams back.
 */
import http from 'node:http';
import { Readable } from 'node:stream';
import type { CityId } from '@jcc/domain';
import { messageOf, secondsSince } from './common.js';
import { tokenFor } from './gateways.js';
import type { IssueOutcome } from './issue.js';
import { quantile, round } from './stats.js';
import { enterpriseUscc } from './subjects.js';

/** Lines per chunk written to the request body. */
const LINES_PER_CHUNK = 256;

/**
 * Issues `count` batch-mode documents at the gateway at `url` in `streams`
 * concurrent bulk uploads. The latency figures are those of a line: from
 * writing it into the body to reading its answer.
 */
export async function issueBulkDocuments(options: {
  url: string;
  city: CityId;
  count: number;
  streams: number;
  subjectBase: number;
  reportType: string;
  onProgress?: (issued: number) => void;
  onIssued?: (id: string) => void;
}): Promise<IssueOutcome> {
  const token = await tokenFor(options.city, 'operator');
  const validUntil = new Date(Date.now() + 2 * 365 * 24 * 3600 * 1000).toISOString();
  const ids: string[] = [];
  const latencies: number[] = [];
  let failed = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  const per = Math.ceil(options.count / options.streams);

  const upload = (from: number, to: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const sentAt = new Float64Array(to - from);
      let answered = 0;
      function* body(): Generator<string> {
        for (let start = from; start < to; start += LINES_PER_CHUNK) {
          let text = '';
          const now = performance.now();
          for (let i = start; i < Math.min(to, start + LINES_PER_CHUNK); i++) {
            sentAt[i - from] = now;
            text +=
              JSON.stringify({
                subject: { kind: 'enterprise', uscc: enterpriseUscc(options.city, options.subjectBase + i) },
                reportType: options.reportType,
                content: { purpose: 'benchmark', sequence: i },
                validUntil,
                anchor: 'batch',
              }) + '\n';
          }
          yield text;
        }
      }
      const fail = (why: string, lines: number): void => {
        failed += lines;
        firstError ??= why;
      };
      const req = http.request(
        `${options.url}/api/v1/reports/bulk`,
        { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' } },
        (res) => {
          if (res.statusCode !== 200) {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString('utf8')));
            res.on('end', () => {
              fail(`${res.statusCode} ${text.slice(0, 200)}`, to - from);
              resolve();
            });
            return;
          }
          let pending = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            pending += chunk;
            let at: number;
            let from0 = 0;
            while ((at = pending.indexOf('\n', from0)) >= 0) {
              const line = pending.slice(from0, at);
              from0 = at + 1;
              const answer = JSON.parse(line) as { line?: number; id?: string; problem?: { detail?: string; title?: string } };
              if (answer.line === undefined) {
                if (answer.problem) fail(`upload stopped: ${answer.problem.detail ?? answer.problem.title}`, to - from - answered);
                continue;
              }
              answered++;
              if (answer.id) {
                ids.push(answer.id);
                latencies.push(performance.now() - (sentAt[answer.line - 1] ?? t0));
                options.onIssued?.(answer.id);
                options.onProgress?.(ids.length);
              } else fail(`line ${answer.line}: ${answer.problem?.detail ?? answer.problem?.title}`, 1);
            }
            pending = pending.slice(from0);
          });
          res.on('end', () => {
            if (answered < to - from) fail(`the answer ended after ${answered} of ${to - from} lines`, to - from - answered);
            resolve();
          });
          res.on('error', (err) => {
            fail(messageOf(err), to - from - answered);
            resolve();
          });
        },
      );
      req.on('error', (err) => {
        fail(messageOf(err), to - from - answered);
        resolve();
      });
      Readable.from(body()).pipe(req);
    });

  const uploads: Promise<void>[] = [];
  for (let s = 0; s < options.streams; s++) {
    const from = s * per;
    const to = Math.min(options.count, from + per);
    if (from < to) uploads.push(upload(from, to));
  }
  await Promise.all(uploads);
  return {
    ids,
    failed,
    ...(firstError ? { firstError } : {}),
    seconds: secondsSince(t0),
    latencyMs: { p50: round(quantile(latencies, 0.5), 1), p99: round(quantile(latencies, 0.99), 1) },
  };
}
