import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import type { Answer } from '@jcc/client';
import type { Command } from 'commander';
import { contextFor, parsePositiveInt } from '../lib/context.js';
import { CliError, ExitCode, usageError } from '../lib/exit.js';
import { progressBar } from '../lib/progress.js';

/** An import job as `GET /api/v1/jobs/{id}` answers. */
export type ImportJobView = Answer<'getJob'>;

interface ImportOptions {
  format?: string;
  wait: boolean;
  interval: string;
}

/** One line of progress of a job. */
export function jobProgressLine(
  job: Pick<
    ImportJobView,
    'status' | 'linesRead' | 'rejected' | 'duplicates' | 'alreadyRecorded' | 'committed' | 'ratePerSecond' | 'etaSeconds'
  >,
  width = 30,
): string {
  const handled = job.committed + job.alreadyRecorded + job.rejected + job.duplicates;
  const expected = job.etaSeconds !== null && job.ratePerSecond > 0 ? job.committed + job.etaSeconds * job.ratePerSecond : undefined;
  const fraction =
    job.status === 'done' ? 1 : expected && expected > 0 ? Math.min(1, job.committed / expected) : handled / Math.max(job.linesRead, 1);
  const n = (v: number) => v.toLocaleString('en-US');
  return (
    `${progressBar(fraction, width)} ${n(job.committed)} committed of ${n(job.linesRead)} read` +
    (job.alreadyRecorded ? `, ${n(job.alreadyRecorded)} already recorded` : '') +
    (job.rejected ? `, ${n(job.rejected)} rejected` : '') +
    `, ${n(job.ratePerSecond)}/s` +
    (job.status === 'done' ? '' : `, ETA ${job.etaSeconds === null ? '?' : `${job.etaSeconds} s`}`)
  );
}

/**
 * `jcc evaluations import <file>`: uploads an NDJSON or CSV file of
 * evaluations to the gateway (`POST /api/v1/evaluations/bulk`) and follows
 * the job with a progress bar until every line is handled.
 */
export function registerEvaluations(program: Command): void {
  const evaluations = program.command('evaluations').description('credit evaluation results (信用评价)');
  evaluations
    .command('import')
    .description('import evaluations from an NDJSON or CSV file as a job, with progress (needs an operator token)')
    .argument('<file>', 'NDJSON (one evaluation per line) or CSV (header line naming the columns)')
    .option('--format <format>', 'ndjson or csv (default: from the file name)')
    .option('--no-wait', 'print the job and return once the upload is received')
    .option('--interval <ms>', 'how often to ask for progress', '1000')
    .action(async (file: string, opts: ImportOptions, command: Command) => {
      const ctx = contextFor(command);
      const format = opts.format ?? (/\.csv$/i.test(file) ? 'csv' : 'ndjson');
      if (format !== 'ndjson' && format !== 'csv') throw usageError(`--format: expected ndjson or csv, got "${format}"`);
      const interval = parsePositiveInt(opts.interval, '--interval');
      const size = (await stat(file).catch(() => undefined))?.size;
      if (size === undefined) throw usageError(`cannot read ${file}`);
      const client = ctx.gateway();
      let sent = 0;
      let lastNote = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          sent += chunk.length;
          if (Date.now() - lastNote > 500 && process.stderr.isTTY) {
            lastNote = Date.now();
            process.stderr.write(
              `\ruploading ${progressBar(sent / Math.max(size, 1), 30)} ${Math.round(sent / 1024).toLocaleString('en-US')} KiB`,
            );
          }
          done(null, chunk);
        },
      });
      const body = Readable.toWeb(createReadStream(file).pipe(counter)) as ReadableStream<Uint8Array>;
      const posted = await client.request<ImportJobView>('POST', '/api/v1/evaluations/bulk', {
        auth: 'required',
        raw: { body, contentType: format === 'csv' ? 'text/csv' : 'application/x-ndjson' },
        timeoutMs: 0,
      });
      if (process.stderr.isTTY && !ctx.options.json) process.stderr.write('\n');
      let job = posted.body;
      ctx.note(`job ${job.id}: ${job.bytes.toLocaleString('en-US')} bytes received`);
      if (opts.wait) {
        for (;;) {
          const id = job.id;
          job = await client.call((api) => api.GET('/api/v1/jobs/{id}', { params: { path: { id } } }), 'required');
          if (!ctx.options.json)
            process.stderr.write(`${process.stderr.isTTY ? '\r' : ''}${jobProgressLine(job)}${process.stderr.isTTY ? '' : '\n'}`);
          if (job.status === 'done' || job.status === 'failed') break;
          await new Promise((resolve) => setTimeout(resolve, interval));
        }
        if (process.stderr.isTTY && !ctx.options.json) process.stderr.write('\n');
      }
      if (ctx.options.json) ctx.printJson(job);
      else {
        ctx.print(
          `job ${job.id}: ${job.status}; ${job.committed} committed, ${job.alreadyRecorded} already recorded, ${job.duplicates} duplicate lines, ${job.rejected} rejected`,
        );
        for (const e of job.errors.slice(0, 20)) ctx.print(`  line ${e.line}: ${e.code ? `${e.code}: ` : ''}${e.detail}`);
        if (job.errors.length > 20) ctx.print(`  … ${job.rejected - 20} more rejected lines (see GET /api/v1/jobs/${job.id})`);
      }
      if (job.status === 'failed') throw new CliError(ExitCode.UNAVAILABLE, `the job failed: ${job.detail ?? 'no reason given'}`);
      if (job.rejected > 0) throw new CliError(ExitCode.REFUSED, `${job.rejected} lines were rejected`, { job: job.id });
    });
}
