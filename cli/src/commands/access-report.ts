import type { Command } from 'commander';
import type { RequestBody } from '@jcc/client';
import { isSubjectPseudonym, type AccessReport } from '@jcc/domain';
import { contextFor, writeJsonFile } from '../lib/context.js';
import { CliError, ExitCode, usageError } from '../lib/exit.js';
import { subjectFrom } from '../lib/issueRequest.js';

interface AccessReportOptions {
  uscc?: string;
  idNumber?: string;
  pseudonym?: string;
  out?: string;
  force?: boolean;
}

/** The report as lines for a terminal: each city's part, then every access, oldest first. */
export function formatAccessReport(report: AccessReport): string {
  const lines = [`access report 访问记录 for ${report.subjectPseudonym} (by ${report.generatedBy.city}, ${report.generatedAt})`];
  for (const [city, part] of Object.entries(report.cities)) {
    const log = part.log && part.log !== city ? ` log ${part.log},` : '';
    const head = part.head ? `head ${part.head.treeSize} (tx ${part.head.txId.slice(0, 12)}…)` : 'no anchored head';
    lines.push(
      `  ${city.padEnd(8)} ${part.status.padEnd(11)} ${String(part.entries.length).padStart(3)} entries,${log} ${head}${part.pending ? `, ${part.pending} pending` : ''}`,
    );
    for (const problem of part.problems) lines.push(`           ! ${problem}`);
  }
  lines.push('', 'when                      log       action                    who');
  for (const a of report.accesses) {
    const who = [a.accessor.role, a.accessor.city, a.accessor.identity, a.accessor.subject].filter(Boolean).join(' / ');
    const doc = a.document ? ` ${a.document.city}/${a.document.id}` : '';
    lines.push(`${a.at.padEnd(25)} ${a.log.padEnd(9)} ${(a.action + doc).padEnd(25)} ${who}`);
  }
  lines.push('', report.verified ? 'VERIFIED: every entry proven against anchored tree heads' : 'NOT VERIFIED: see the problems above');
  return lines.join('\n');
}

/**
 * `jcc access-report`: who accessed a subject's records, in all five
 * cities, with inclusion proofs against anchored tree heads (知情权). Exit 1
 * when a city's part does not verify. `--out` saves the report for
 * `scripts/verify-access-report.sh`.
 */
export function registerAccessReport(program: Command): void {
  program
    .command('access-report')
    .description("who accessed a subject's records, and when, in all five cities, with proofs (needs an operator or regulator token)")
    .option('--uscc <code>', 'subject: an enterprise, by its unified social credit code')
    .option('--id-number <number>', 'subject: a person, by identity number (sent in the body, never in a URL)')
    .option('--pseudonym <ps1-…>', 'subject: by its ledger pseudonym')
    .option('--out <file>', 'save the report (JSON) for verification with standard tools')
    .option('--force', 'overwrite the --out file')
    .addHelpText(
      'after',
      '\nExample:\n  jcc access-report --uscc 91370200MA3C5X9K2X --out report.json && scripts/verify-access-report.sh report.json',
    )
    .action(async (opts: AccessReportOptions, command: Command) => {
      const ctx = contextFor(command);
      let body: RequestBody<'subjectAccessReport'>;
      if (opts.pseudonym !== undefined) {
        if (opts.uscc !== undefined || opts.idNumber !== undefined)
          throw usageError('name the subject once: --uscc, --id-number or --pseudonym');
        if (!isSubjectPseudonym(opts.pseudonym)) throw usageError(`${opts.pseudonym} is not a subject pseudonym (ps1-<64 hex>)`);
        body = { subjectPseudonym: opts.pseudonym };
      } else body = { subject: subjectFrom(opts) };
      ctx.note('collecting the five cities’ access logs…');
      const report: AccessReport = await ctx.gateway().call((api) => api.POST('/api/v1/subjects/access-report', { body }), 'required');
      if (opts.out !== undefined) {
        await writeJsonFile(opts.out, report, opts.force === true);
        ctx.note(`report saved to ${opts.out}`);
      }
      if (ctx.options.json) ctx.printJson(report);
      else ctx.print(formatAccessReport(report));
      if (!report.verified) throw new CliError(ExitCode.INVALID, 'the access report does not verify in every city');
    });
}
