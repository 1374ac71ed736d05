import { Option, type Command } from 'commander';
import { bundleFromReport, issueReport, waitForAnchor, type IssueReportRequest, type ReportRecord } from '../lib/api.js';
import { readTextInput } from '../lib/bundle.js';
import { contextFor, parsePositiveInt, writeJsonFile } from '../lib/context.js';
import { CliError, ExitCode, usageError } from '../lib/exit.js';
import { formatIssued } from '../lib/format.js';
import { buildIssueRequest, type IssueFlags } from '../lib/issueRequest.js';

interface IssueOptions extends IssueFlags {
  request?: string;
  idempotencyKey?: string;
  wait?: string | boolean;
  out?: string;
  force?: boolean;
}

/**
 * `jcc issue`: issues a public credit report through the gateway (operator
 * token of the gateway's city), optionally waits until it is anchored and
 * saves its proof bundle for offline verification.
 */
export function registerIssue(program: Command): void {
  program
    .command('issue')
    .description('issue a public credit report through the gateway (needs an operator token)')
    .option('--uscc <code>', 'subject: an enterprise, by its unified social credit code')
    .option('--id-number <number>', 'subject: a person, by identity number (sent in the body, never in a URL)')
    .option('--type <reportType>', 'report type', 'publicCreditReport')
    .option('--content <json|@file>', 'report content: a JSON object, inline or @file')
    .option('--valid-until <date>', 'end of validity (RFC 3339 or YYYY-MM-DD)')
    .option('--valid-days <n>', 'validity in days from now, when --valid-until is not given', '365')
    .addOption(
      new Option('--anchor <mode>', 'anchor the hash alone or in the next Merkle batch').choices(['single', 'batch']).default('single'),
    )
    .option('--request <file|->', 'send this JSON body as is instead of building it from the options above')
    .option('--idempotency-key <key>', 'makes a retry of the same request safe')
    .option('--wait [seconds]', 'wait until the report is anchored (default 60 s)')
    .option('--out <file>', 'save the bundle {jws, proof} for offline verification (implies --wait)')
    .option('--force', 'overwrite the --out file')
    .addHelpText(
      'after',
      '\nExamples:\n  jcc issue --uscc 91370200MA3C5X9K2X --content \'{"summary":"no violations"}\' --wait --out report.json\n  jcc issue --request body.json --idempotency-key 2026-0001',
    )
    .action(async (opts: IssueOptions, command: Command) => {
      const ctx = contextFor(command);
      let request: IssueReportRequest;
      if (opts.request !== undefined) {
        const text = await readTextInput(opts.request);
        try {
          request = JSON.parse(text) as IssueReportRequest;
        } catch (err) {
          throw usageError(`--request: not JSON: ${err instanceof Error ? err.message : String(err)}`);
        }
      } else {
        const contentText = opts.content?.startsWith('@') ? await readTextInput(opts.content.slice(1)) : opts.content;
        request = buildIssueRequest(opts, contentText);
      }
      const waitSeconds =
        opts.wait === undefined && opts.out === undefined
          ? undefined
          : typeof opts.wait === 'string'
            ? parsePositiveInt(opts.wait, '--wait')
            : 60;
      const client = ctx.gateway();
      const issued = await issueReport(client, request, opts.idempotencyKey);
      let report: ReportRecord | undefined;
      if (waitSeconds !== undefined) {
        ctx.note(`issued ${issued.id}; waiting for the anchor…`);
        report = await waitForAnchor(client, issued.id, waitSeconds * 1000);
        if (report.state === 'pending') ctx.note(`still pending after ${waitSeconds} s`);
      }
      if (opts.out !== undefined && report?.state === 'pending') {
        throw new CliError(
          ExitCode.UNAVAILABLE,
          `report ${issued.id} is still pending after ${waitSeconds} s; save its bundle later with: jcc status ${issued.id} --out ${opts.out}`,
        );
      }
      if (opts.out !== undefined && report) {
        await writeJsonFile(opts.out, bundleFromReport(report), opts.force === true);
        ctx.note(`bundle saved to ${opts.out}`);
      }
      if (ctx.options.json) ctx.printJson(report ? { ...issued, report } : issued);
      else ctx.print(formatIssued(issued, report, ctx.style));
    });
}
