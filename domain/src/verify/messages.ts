/**
 * Verdict details in the reader's language (核验说明的中英文表述). Each
 * check result carries a message `{code, params}` beside its English
 * `detail`: `code` is `<check>.<reason>` (the stable reason codes of
 * docs/verification.md), `params` the facts the sentence names. This
 * catalogue renders a message in Chinese or English, with instants in China
 * Standard Time (UTC+8); the verification page, the console and `jcc` all
 * render through it. A code the catalogue does not know falls back to the
 * English detail (English) or a sentence per check and state (Chinese).
 *
 * Pure code, no Node.js modules: the gateway's pages bundle it for the browser.
 */
import type { CheckName, CheckState } from './checks.js';

/** Languages a verdict message is rendered in. */
export type MessageLang = 'zh' | 'en';

/** The parameters of a message: strings and numbers only. */
export type MessageParams = Record<string, string | number>;

/** A message: its code and parameters. */
export interface VerdictMessage {
  code: string;
  params: MessageParams;
}

/** Parameters holding an instant, rendered in China Standard Time. */
export const INSTANT_PARAMS: ReadonlySet<string> = new Set(['at', 'anchoredAt', 'validUntil', 'issuedAt', 'revokedAt']);

type Catalogue = Record<string, string>;

const ZH: Catalogue = {
  'signature.verified': '签名有效（密钥 {kid}）',
  'signature.mismatch': '签名不符：文书被篡改，或由其他密钥签名',
  'issuerKey.registered': '签名密钥 {kid} 已由{city}在账本上登记为文书签名密钥，签发时（{issuedAt}）有效',
  'issuerKey.not-registered': '签名密钥 {kid} 未由{city}在账本上登记',
  'anchored.single': '已由{city}单独锚定：交易 {txId}，区块 {block}，时间 {anchoredAt}',
  'anchored.batch': '位于{city}锚定的默克尔批次 {batchId}（第 {leafIndex} 个叶子，共 {treeSize} 个），交易 {txId}，区块 {block}',
  'anchored.not-anchored': '账本上没有{city}文书 {documentId} 的锚定记录（尚未上链；批量锚定的文书请附默克尔证明）',
  'anchored.hash-differs': '{city}以该编号锚定的是另一个哈希：此文书不是上链的那份（已被改动）',
  'anchored.sm3-hash-differs': '{city}以该编号锚定的 SM3 哈希（contentHashSm3）与此文书不同：此文书不是上链的那份（已被改动）',
  'anchored.doctype-differs': '文书 {documentId} 的锚定记录与文书的文书类型不一致',
  'anchored.kid-differs': '文书 {documentId} 的锚定记录与文书的签名密钥不一致',
  'anchored.issuedat-differs': '文书 {documentId} 的锚定记录与文书的签发时间不一致',
  'anchored.validuntil-differs': '文书 {documentId} 的锚定记录与文书的有效期不一致',
  'anchored.subject-differs': '文书 {documentId} 的锚定记录与文书的主体假名不一致',
  'anchored.proof-invalid': '默克尔证明无法从此文书推导到批次根（文书被改动或证明有误）',
  'anchored.batch-not-found': '账本上没有{city}锚定的批次 {batchId}',
  'anchored.sm3-proof-invalid': 'SM3 默克尔证明（rfc9162-sm3/v1）无法从此文书的 SM3 哈希推导到 SM3 批次根（文书被改动或证明有误）',
  'anchored.batch-root-sm3-differs': '账本上{city}批次 {batchId} 的 SM3 根（rootSm3）与证明所称不同',
  'status.in-force': '有效：未被撤销或替代',
  'status.revoked': '已由签发城市于 {at} 撤销：{reason}',
  'status.superseded': '已于 {at} 被 {replacementId} 替代：{reason}',
  'notExpired.in-force': '有效期至 {validUntil}',
  'notExpired.expired': '已于 {validUntil} 过期',
  'notExpired.issued-in-future': '签发时间 {issuedAt} 晚于当前时间',
  'recognised.own-city': '本市（{by}）签发的文书',
  'recognised.agreement': '{by}依据互认协议 {agreementId} 认可{city}的此类文书',
  'recognised.record-accepted': '{by}已记录对此文书的互认决定：接受',
  'recognised.record-rejected': '{by}已记录对此文书的互认决定：不接受',
  'recognised.none': '{by}与{city}之间没有涵盖此类文书的互认协议，也没有对此文书的互认记录',
  'signature.unreadable': '未核验：无法读取文书',
};

const EN: Catalogue = {
  'signature.verified': 'the signature verifies under key {kid}',
  'signature.mismatch': 'the signature does not match: the document was altered or signed with another key',
  'issuerKey.registered': 'key {kid} is registered by {city} for documents and was valid at {issuedAt}',
  'issuerKey.not-registered': 'key {kid} is not registered on the ledger by {city}',
  'anchored.single': 'anchored alone by {city} in transaction {txId}, block {block}, at {anchoredAt}',
  'anchored.batch': 'leaf {leafIndex} of {treeSize} in batch {batchId}, whose root {city} anchored in transaction {txId}, block {block}',
  'anchored.not-anchored':
    'no anchor for document {documentId} of {city} on the ledger (not anchored yet, or batch-anchored: send its proof bundle)',
  'anchored.hash-differs': '{city} anchored a different hash under this document id: this document is not the one anchored (altered)',
  'anchored.sm3-hash-differs':
    '{city} anchored a different SM3 hash (contentHashSm3) under this document id: this document is not the one anchored (altered)',
  'anchored.doctype-differs': 'the anchor record of {documentId} disagrees with the document on the document type',
  'anchored.kid-differs': 'the anchor record of {documentId} disagrees with the document on the signing key',
  'anchored.issuedat-differs': 'the anchor record of {documentId} disagrees with the document on the issue time',
  'anchored.validuntil-differs': 'the anchor record of {documentId} disagrees with the document on the validity',
  'anchored.subject-differs': 'the anchor record of {documentId} disagrees with the document on the subject pseudonym',
  'anchored.proof-invalid': 'the Merkle proof does not lead from this document to the root (altered document or wrong proof)',
  'anchored.batch-not-found': 'no batch {batchId} anchored by {city} on the ledger',
  'anchored.sm3-proof-invalid':
    'the SM3 Merkle proof (rfc9162-sm3/v1) does not lead from the SM3 hash of this document to the SM3 root (altered document or wrong proof)',
  'anchored.batch-root-sm3-differs': "the SM3 root (rootSm3) of {city}'s batch {batchId} on the ledger is not the one the proof names",
  'status.in-force': 'in force: not revoked or superseded',
  'status.revoked': 'revoked by the issuer at {at}: {reason}',
  'status.superseded': 'superseded by {replacementId} at {at}: {reason}',
  'notExpired.in-force': 'in force until {validUntil}',
  'notExpired.expired': 'expired at {validUntil}',
  'notExpired.issued-in-future': 'issued in the future ({issuedAt})',
  'recognised.own-city': 'issued by this city ({by})',
  'recognised.agreement': "{by} recognises {city}'s documents of this type under agreement {agreementId}",
  'recognised.record-accepted': '{by} recorded the decision "accepted" for this document',
  'recognised.record-rejected': '{by} recorded the decision "rejected" for this document',
  'recognised.none': '{by} has no recognition agreement with {city} covering this type and no recognition record for this document',
  'signature.unreadable': 'not checked: the document could not be read',
};

/** A sentence per check and state, for codes the Chinese catalogue lacks. */
const ZH_BY_STATE: Record<CheckName, Record<CheckState, string>> = {
  signature: { passed: '签名有效', failed: '签名无效', 'not-checked': '签名未能核验' },
  issuerKey: { passed: '签名密钥已由签发城市登记且有效', failed: '签名密钥未登记或当时无效', 'not-checked': '签名密钥未能核验' },
  anchored: { passed: '文书哈希已上链', failed: '文书哈希与账本记录不符或未上链', 'not-checked': '上链情况未能核验' },
  status: { passed: '有效：未被撤销或替代', failed: '文书已不再有效', 'not-checked': '文书状态未能核验' },
  notExpired: { passed: '在有效期内', failed: '不在有效期内', 'not-checked': '有效期未能核验' },
  recognised: { passed: '已获本市互认', failed: '本市尚未互认（不影响有效性）', 'not-checked': '互认情况未能核验' },
};

/** The city names the catalogue uses, by language (the English name is the parameter's value). */
const CITY_ZH: Record<string, string> = { Qingdao: '青岛', Yantai: '烟台', Weihai: '威海', Weifang: '潍坊', Rizhao: '日照' };

/** `2026-12-01T07:14:50.972Z` → `2026-12-01 15:14:50 北京时间` (or `CST`). */
export function chinaTimeText(iso: string, lang: MessageLang): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const text = new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
  return `${text} ${lang === 'zh' ? '北京时间' : 'CST'}`;
}

/**
 * What `{reason}` says when the door could not read the reason's text:
 * where it is kept (parameter `reasonHeldBy`, the issuing city's English name).
 */
const REASON_HELD_BY: Record<MessageLang, string> = { zh: '理由由{city}网关保存', en: "the reason is kept by {city}'s gateway" };

function fillTemplate(template: string, params: MessageParams, lang: MessageLang): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (name === 'reason' && params.reason === undefined && params.reasonHeldBy !== undefined)
      return fillTemplate(REASON_HELD_BY[lang], { city: params.reasonHeldBy }, lang);
    const value = params[name];
    if (value === undefined || value === '') return name === 'block' ? '—' : whole;
    if (INSTANT_PARAMS.has(name) && typeof value === 'string') return chinaTimeText(value, lang);
    if ((name === 'city' || name === 'by') && lang === 'zh') return CITY_ZH[String(value)] ?? String(value);
    return String(value);
  });
}

/** A check result as far as rendering needs it. */
export interface RenderableCheck {
  check: CheckName;
  state: CheckState;
  detail: string;
  message?: VerdictMessage | undefined;
}

/**
 * A check's explanation in the language: the catalogue's sentence for its
 * message code with the parameters filled (instants in China Standard Time),
 * else the English detail (English) or the sentence for its check and state
 * (Chinese).
 */
export function renderCheckMessage(result: RenderableCheck, lang: MessageLang): string {
  const message = result.message;
  const template = message ? (lang === 'zh' ? ZH : EN)[message.code] : undefined;
  if (template && message) return fillTemplate(template, message.params, lang);
  return lang === 'en' ? result.detail : ZH_BY_STATE[result.check][result.state];
}

/** The message codes the catalogue renders (for tests and docs). */
export const MESSAGE_CODES: readonly string[] = Object.keys(EN);

/** Both catalogues name the same codes (checked by the unit tests). */
export function catalogueCodes(): { zh: string[]; en: string[] } {
  return { zh: Object.keys(ZH), en: Object.keys(EN) };
}
