import {
  CHECK_NAMES,
  CITIES,
  chinaTimeText,
  renderCheckMessage,
  type CheckName,
  type CheckState,
  type MessageLang,
  type SignatureResult,
} from '@jcc/domain';
import type { AgencyRecord, IssueReportResponse, ReportRecord, VerificationCheck, VerificationResult } from './api.js';

/** Text styles; identity functions when colour is off. */
export interface Style {
  ok(text: string): string;
  bad(text: string): string;
  warn(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const plainStyle: Style = { ok: (t) => t, bad: (t) => t, warn: (t) => t, dim: (t) => t, bold: (t) => t };

/** ANSI styles when `color` is true, plain text otherwise. */
export function makeStyle(color: boolean): Style {
  if (!color) return plainStyle;
  const wrap = (open: number, close: number) => (t: string) => `\u001b[${open}m${t}\u001b[${close}m`;
  return { ok: wrap(32, 39), bad: wrap(31, 39), warn: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

/** Whether to colour output written to `stream`: a terminal, and neither `NO_COLOR` nor `--no-color`. */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, flag: boolean): boolean {
  return flag && stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
}

/** Chinese and English labels of the checks. */
export const CHECK_LABELS: Record<string, string> = {
  signature: 'signature 签名',
  issuerKey: 'issuerKey 签发密钥',
  anchored: 'anchored 已上链',
  status: 'status 状态',
  notExpired: 'notExpired 有效期',
  recognised: 'recognised 互认',
};

/** "Qingdao 青岛 (QingdaoMSP)" for a city id or issuer object. */
export function cityLabel(city: string | { city: string; mspId?: string; name?: string; nameZh?: string } | null | undefined): string {
  if (!city) return '—';
  const id = typeof city === 'string' ? city : city.city;
  const known = CITIES.find((c) => c.id === id);
  const name = (typeof city === 'object' && city.name) || known?.name || id;
  const nameZh = (typeof city === 'object' && city.nameZh) || known?.nameZh;
  const msp = (typeof city === 'object' && city.mspId) || known?.mspId;
  return `${name}${nameZh ? ` ${nameZh}` : ''}${msp ? ` (${msp})` : ''}`;
}

function pad(text: string, width: number): string {
  // CJK characters take two columns in a terminal
  const columns = [...text].reduce((n, ch) => n + (/[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);
  return text + ' '.repeat(Math.max(0, width - columns));
}

/** The signatures the `signature` check judged (the verdict schema's `signatures` list), if any. */
function signaturesOf(check: VerificationCheck): SignatureResult[] {
  const list = (check as VerificationCheck & { signatures?: unknown }).signatures;
  return Array.isArray(list) ? (list as SignatureResult[]) : [];
}

/** A check's explanation in `lang` (the English detail as the gateway sent it when no language is chosen). */
export function checkText(check: VerificationCheck, lang: MessageLang | undefined): string {
  if (!lang || !(CHECK_NAMES as readonly string[]).includes(check.check)) return check.detail ?? '';
  const state = (check.state ?? (check.ok ? 'passed' : 'failed')) as CheckState;
  return renderCheckMessage({ check: check.check as CheckName, state, detail: check.detail ?? '', message: check.message }, lang);
}

/** An instant for people: China Standard Time when a language is chosen, else the UTC instant as sent. */
function timeText(iso: string | undefined, lang: MessageLang | undefined): string {
  if (!iso) return '—';
  return lang ? `${chinaTimeText(iso, lang)} (${iso})` : iso;
}

/**
 * The human-readable verdict: headline (valid / invalid, revoked), one line
 * per check with its detail (under `signature`, one line per signature of
 * the document), then issuer, document and anchor. With `lang`, each
 * check is explained in that language and times are China Standard Time.
 */
export function formatVerdict(result: VerificationResult, style: Style = plainStyle, lang?: MessageLang): string {
  const lines: string[] = [];
  const statusCheck = result.checks.find((c) => c.check === 'status');
  const revoked = statusCheck && !statusCheck.ok && /revok/i.test(statusCheck.detail ?? '');
  const failed = result.checks.filter((c) => !c.ok && c.check !== 'recognised').map((c) => c.check);
  let headline = result.valid ? style.ok(style.bold('VALID 有效')) : style.bad(style.bold('INVALID 无效'));
  if (revoked) headline += style.bad(style.bold(' · REVOKED 已撤销'));
  if (!result.valid && failed.length > 0) headline += ` — failed: ${failed.join(', ')}`;
  lines.push(headline);
  for (const check of result.checks) {
    const informational = check.check === 'recognised';
    const mark = check.ok ? style.ok('✔') : informational ? style.warn('ℹ') : style.bad('✘');
    lines.push(`  ${mark} ${pad(CHECK_LABELS[check.check] ?? check.check, 22)} ${checkText(check, lang)}`.trimEnd());
    // the signature check judges each signature (EdDSA, SM2SM3, …) on its own: one line each
    for (const sig of signaturesOf(check)) {
      const sigMark = sig.state === 'passed' ? style.ok('✔') : sig.state === 'not-checked' ? style.warn('–') : style.bad('✘');
      lines.push(`      ${sigMark} ${pad(sig.alg, 8)} ${sig.state} (${sig.reason})  kid ${sig.kid}`);
    }
  }
  if (result.issuer) lines.push(`issuer   ${cityLabel(result.issuer)}`);
  const doc = result.document;
  if (doc)
    lines.push(
      `document ${doc.id ?? '—'} ${doc.type ?? ''}, issued ${timeText(doc.issuedAt, lang)}, valid until ${timeText(doc.validUntil, lang)}`,
    );
  const anchor = result.anchor;
  if (anchor && anchor.mode) {
    const parts = [anchor.mode === 'batch' ? 'Merkle batch' : 'single'];
    if (anchor.batchId) parts.push(`batch ${anchor.batchId}`);
    if (anchor.blockNumber !== undefined && anchor.blockNumber !== null) parts.push(`block ${anchor.blockNumber}`);
    if (anchor.txId) parts.push(`tx ${anchor.txId}`);
    if (anchor.root) parts.push(`root ${anchor.root}`);
    lines.push(`anchor   ${parts.join(', ')}`);
  } else {
    lines.push('anchor   none');
  }
  return lines.join('\n');
}

/** The human-readable state of a report (`jcc status`). */
export function formatReport(report: ReportRecord, style: Style = plainStyle): string {
  const state =
    report.state === 'anchored' ? style.ok(report.state) : report.state === 'pending' ? style.warn(report.state) : style.bad(report.state);
  const lines = [`report   ${report.id}${report.type ? ` (${report.type})` : ''}`, `state    ${state}`];
  if (report.issuedAt) lines.push(`issued   ${report.issuedAt}`);
  if (report.validUntil) lines.push(`valid to ${report.validUntil}`);
  const anchor = report.anchor;
  if (anchor && anchor.mode) {
    const parts: string[] = [anchor.mode];
    if (anchor.blockNumber !== undefined && anchor.blockNumber !== null) parts.push(`block ${anchor.blockNumber}`);
    if (anchor.txId) parts.push(`tx ${anchor.txId}`);
    lines.push(`anchor   ${parts.join(', ')}`);
  }
  if (report.proof) lines.push(`proof    leaf ${report.proof.leafIndex} of ${report.proof.treeSize}, root ${report.proof.root}`);
  return lines.join('\n');
}

/** The human-readable answer of `jcc issue`. */
export function formatIssued(issued: IssueReportResponse, report?: ReportRecord, style: Style = plainStyle): string {
  const lines = [`report   ${style.bold(issued.id)}`];
  if (issued.statusUrl) lines.push(`status   ${issued.statusUrl}`);
  if (report) lines.push(...formatReport(report, style).split('\n').slice(1));
  return lines.join('\n');
}

/** An agency's alliance standing: a member is in good standing only while its filing is active. */
function allianceText(agency: AgencyRecord, style: Style): string {
  if (!agency.allianceMember) return 'not a member';
  if (agency.status !== 'active')
    return style.bad(`member, ${agency.status} — not in good standing 联盟成员（${agency.status === 'suspended' ? '暂停' : '撤销'}）`);
  return style.ok('member in good standing 联盟成员');
}

/** The human-readable registry entry of an agency (`jcc agency`). */
export function formatAgency(agency: AgencyRecord, style: Style = plainStyle): string {
  const status = agency.status === 'active' ? style.ok(agency.status) : style.bad(agency.status);
  const lines = [
    `agency   ${style.bold(agency.name)}`,
    `uscc     ${agency.uscc}`,
    `filed in ${cityLabel(agency.filingCity)}`,
    `status   ${status}${typeof agency.statusReason === 'string' ? ` (${agency.statusReason})` : ''}`,
    `alliance ${allianceText(agency, style)}`,
  ];
  if (Array.isArray(agency.services) && agency.services.length > 0) lines.push(`services ${agency.services.join(', ')}`);
  const supervision = Array.isArray(agency.supervision) ? agency.supervision : [];
  if (supervision.length > 0) {
    lines.push('supervision 协同监管:');
    for (const s of supervision)
      lines.push(`  ${s.date ?? '—'}  ${s.city ?? ''}  ${s.action}${s.summary ? `: ${s.summary}` : ''}`.replace(/ {3,}/g, '  '));
  }
  return lines.join('\n');
}
