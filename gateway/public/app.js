// The verification page: language toggle, tabs, document verification
// (POST /api/v1/verify) and agency look-up (GET /api/v1/public/agencies/{uscc}).
// Works under a strict Content-Security-Policy: no inline code, no inline styles,
// every text is inserted with textContent.

import { AGENCY_STATUSES, BILINGUAL, CHECK_NAMES, CITY_NAMES, DOC_TYPES, LANGS, LANG_TAGS, MESSAGES, SUPERVISION_ACTIONS } from './i18n.js';
import { MAX_FILE_BYTES, normaliseUscc, parseDocumentText, problemText, summariseVerdict } from './logic.js';
import { chinaTimeText, renderCheckMessage } from './verdict-messages.js';

const LANG_STORAGE_KEY = 'jcc.lang';
const REQUEST_TIMEOUT_MS = 30000;

const state = {
  lang: initialLanguage(),
  /** The last verification response (re-rendered when the language changes). */
  verifyResult: undefined,
  /** The last agency look-up: { kind: 'found', agency } | { kind: 'notFound', uscc, detail }. */
  agencyResult: undefined,
  /** The last error shown in each form, as { key, extra } to re-render it. */
  verifyError: undefined,
  agencyError: undefined,
};

const $ = (id) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`element #${id} is missing`);
  return el;
};

// ---------------------------------------------------------------- language

function initialLanguage() {
  const fromQuery = new window.URLSearchParams(window.location.search).get('lang');
  if (LANGS.includes(fromQuery)) return fromQuery;
  try {
    const saved = window.localStorage.getItem(LANG_STORAGE_KEY);
    if (LANGS.includes(saved)) return saved;
  } catch {
    // storage may be disabled; the default applies
  }
  return 'zh';
}

function t(key) {
  return MESSAGES[state.lang][key] ?? MESSAGES.zh[key] ?? key;
}

/** A value table entry in the interface language, or the raw value. */
function label(table, value) {
  const entry = table[value];
  return entry ? entry[state.lang] : String(value ?? t('unknownValue'));
}

/** A verdict word in both languages, the interface language first: "有效 / valid" or "valid / 有效". */
function bilingual(word) {
  const entry = BILINGUAL[word];
  return state.lang === 'zh' ? `${entry.zh} / ${entry.en}` : `${entry.en} / ${entry.zh}`;
}

function applyLanguage() {
  const root = document.documentElement;
  root.lang = LANG_TAGS[state.lang];
  root.dataset.lang = state.lang;
  for (const el of document.querySelectorAll('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n);
  }
  document.title = `${t('title')} / ${state.lang === 'zh' ? MESSAGES.en.title : MESSAGES.zh.title}`;
  const toggle = $('lang-toggle');
  const other = state.lang === 'zh' ? 'en' : 'zh';
  toggle.textContent = other === 'en' ? 'English' : '中文';
  toggle.lang = LANG_TAGS[other];
  toggle.dataset.target = other;
  renderVerifyError();
  renderAgencyError();
  if (state.verifyResult) renderVerdict(state.verifyResult);
  if (state.agencyResult) renderAgency(state.agencyResult);
}

function toggleLanguage() {
  state.lang = state.lang === 'zh' ? 'en' : 'zh';
  try {
    window.localStorage.setItem(LANG_STORAGE_KEY, state.lang);
  } catch {
    // not remembered; fine
  }
  applyLanguage();
}

// ---------------------------------------------------------------- tabs

function selectTab(tab, focus) {
  for (const other of document.querySelectorAll('[role="tab"]')) {
    const selected = other === tab;
    other.setAttribute('aria-selected', String(selected));
    other.tabIndex = selected ? 0 : -1;
    $(other.getAttribute('aria-controls')).hidden = !selected;
  }
  if (focus) tab.focus();
}

function setUpTabs() {
  const tabs = Array.from(document.querySelectorAll('[role="tab"]'));
  for (const tab of tabs) {
    tab.addEventListener('click', () => selectTab(tab, false));
    tab.addEventListener('keydown', (event) => {
      const i = tabs.indexOf(tab);
      let next;
      if (event.key === 'ArrowRight') next = tabs[(i + 1) % tabs.length];
      else if (event.key === 'ArrowLeft') next = tabs[(i - 1 + tabs.length) % tabs.length];
      else if (event.key === 'Home') next = tabs[0];
      else if (event.key === 'End') next = tabs[tabs.length - 1];
      if (next) {
        event.preventDefault();
        selectTab(next, true);
      }
    });
  }
  if (window.location.hash === '#agency') selectTab($('tab-agency'), false);
}

// ---------------------------------------------------------------- helpers

function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
}

function make(tag, text, attrs = {}) {
  const el = document.createElement(tag);
  if (text !== undefined && text !== null) el.textContent = String(text);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined) el.setAttribute(name, String(value));
  }
  return el;
}

/** Appends a term/description pair; `code` marks machine values (ids, hashes) for monospace wrapping. */
function addFact(dl, key, value, testid, code = false) {
  const shown = value === undefined || value === null || value === '' ? t('unknownValue') : String(value);
  dl.append(make('dt', t(key)));
  const dd = make('dd', undefined, { 'data-testid': testid });
  if (code && shown !== t('unknownValue')) dd.append(make('code', shown));
  else dd.textContent = shown;
  dl.append(dd);
}

/** A fact holding an instant: China Standard Time, the exact UTC instant in the tooltip and one click away. */
function addTimeFact(dl, key, iso, testid) {
  if (!iso) return addFact(dl, key, iso, testid);
  addFact(dl, key, '', testid);
  const dd = dl.lastElementChild;
  const button = make('button', chinaTimeText(iso, state.lang), {
    type: 'button',
    class: 'instant',
    title: iso,
    'aria-pressed': 'false',
    'data-utc': iso,
  });
  button.addEventListener('click', () => {
    const utc = button.getAttribute('aria-pressed') !== 'true';
    button.setAttribute('aria-pressed', String(utc));
    button.textContent = utc ? `${iso} (UTC)` : chinaTimeText(iso, state.lang);
  });
  dd.textContent = '';
  dd.append(button);
}

function cityText(city) {
  if (!city) return undefined;
  if (typeof city === 'string') {
    const names = CITY_NAMES[city];
    return names ? `${names.zh} ${names.en}` : city;
  }
  const known = CITY_NAMES[city.city ?? city.id] ?? {};
  const zh = city.nameZh ?? known.zh;
  const en = city.name ?? known.en;
  return [zh, en].filter(Boolean).join(' ') || city.city || city.id;
}

async function fetchJson(url, init) {
  const controller = new window.AbortController();
  const timer = window.setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  let response;
  try {
    response = await fetch(url, { ...init, signal: controller.signal, headers: { accept: 'application/json', ...(init?.headers ?? {}) } });
  } catch {
    return { reachable: false };
  } finally {
    window.clearTimeout(timer);
  }
  let body;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  return { reachable: true, status: response.status, ok: response.ok, body };
}

/** Disables a submit button while its request runs, showing `busyKey` as its label. */
function setBusy(button, busy, busyKey) {
  button.disabled = busy;
  button.setAttribute('aria-busy', String(busy));
  button.textContent = busy && busyKey ? t(busyKey) : t(button.dataset.i18n);
}

// ---------------------------------------------------------------- verification

function showVerifyError(key, extra) {
  state.verifyError = key ? { key, extra } : undefined;
  renderVerifyError();
}

function renderVerifyError() {
  const el = $('verify-error');
  if (!state.verifyError) {
    el.hidden = true;
    el.textContent = '';
    return;
  }
  el.textContent = t(state.verifyError.key) + (state.verifyError.extra ? ` ${state.verifyError.extra}` : '');
  el.hidden = false;
}

/** Puts a result section in a state: `empty` (nothing shown), `pending` (request running), `done`. */
function setResultState(prefix, stateName, pendingKey) {
  const section = $(`${prefix}-result`);
  section.dataset.state = stateName;
  $(`${prefix}-details`).hidden = stateName !== 'done';
  if (stateName === 'done') return;
  const verdict = $(prefix === 'verify' ? 'verdict' : 'agency-verdict');
  delete verdict.dataset.verdict;
  delete verdict.dataset.state;
  delete verdict.dataset.revoked;
  delete verdict.dataset.status;
  $(prefix === 'verify' ? 'verdict-mark' : 'agency-mark').textContent = '';
  $(prefix === 'verify' ? 'verdict-text' : 'agency-verdict-text').textContent = stateName === 'pending' ? t(pendingKey) : '';
  $(prefix === 'verify' ? 'verdict-summary' : 'agency-summary').textContent = '';
}

async function verify() {
  const parsed = parseDocumentText($('doc-input').value);
  state.verifyResult = undefined;
  if (!parsed.ok) {
    setResultState('verify', 'empty');
    showVerifyError(parsed.error, parsed.detail);
    return;
  }
  showVerifyError(undefined);
  const button = $('verify-submit');
  setResultState('verify', 'pending', 'verifying');
  setBusy(button, true, 'verifying');
  try {
    const answer = await fetchJson('api/v1/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(parsed.body),
    });
    if (!answer.reachable) {
      setResultState('verify', 'empty');
      showVerifyError('unreachable');
      return;
    }
    if (!answer.ok) {
      setResultState('verify', 'empty');
      showVerifyError('serverError', problemText(answer.status, answer.body));
      return;
    }
    if (!summariseVerdict(answer.body)) {
      setResultState('verify', 'empty');
      showVerifyError('unexpectedResponse');
      return;
    }
    state.verifyResult = answer.body;
    renderVerdict(answer.body);
  } finally {
    setBusy(button, false);
  }
}

function renderVerdict(result) {
  const summary = summariseVerdict(result);
  const section = $('verify-result');
  setResultState('verify', 'done');
  section.dataset.verdict = summary.verdict;
  section.dataset.status = summary.statusKind ?? (result.checks.find((c) => c.check === 'status')?.ok ? 'active' : 'unknown');

  const verdict = $('verdict');
  verdict.dataset.verdict = summary.verdict;
  verdict.dataset.revoked = String(summary.revoked);
  $('verdict-mark').textContent = summary.verdict === 'valid' ? '✔' : '✘';
  let text = bilingual(summary.verdict);
  if (summary.revoked) text += ` · ${bilingual('revoked')}`;
  $('verdict-text').textContent = text;

  const failedNames = summary.failed.map((name) => `${label(CHECK_NAMES, name)} (${name})`);
  let sentence = summary.failed.length > 0 ? t('failedChecks') + failedNames.join(state.lang === 'zh' ? '、' : ', ') : t('allPassed');
  if (summary.recognised === false) sentence += ` ${t('notRecognisedNote')}`;
  $('verdict-summary').textContent = sentence;

  const notice = $('status-notice');
  const statusCheck = result.checks.find((c) => c.check === 'status');
  if (summary.statusKind === 'revoked' || summary.statusKind === 'superseded') {
    notice.textContent =
      `${t(summary.statusKind === 'revoked' ? 'revokedNotice' : 'supersededNotice')} ${statusCheck ? renderCheckMessage(statusCheck, state.lang) : ''}`.trim();
    notice.dataset.kind = summary.statusKind;
    notice.hidden = false;
  } else {
    notice.hidden = true;
    notice.textContent = '';
  }

  const body = $('checks-body');
  clear(body);
  for (const check of result.checks) {
    const passed = check.state === 'passed';
    const notChecked = check.state === 'not-checked';
    const informational = check.check === 'recognised';
    let outcome = passed ? t('passed') : notChecked ? t('notChecked') : informational ? t('notRecognised') : t('failed');
    if (check.check === 'status' && !passed && summary.statusKind) outcome = `${t(summary.statusKind)} (${t('failed')})`;
    const row = make('tr', undefined, {
      'data-testid': `check-${check.check}`,
      'data-check': check.check,
      'data-ok': String(passed),
      'data-state': check.state,
      class: passed ? 'ok' : notChecked ? 'skip' : informational ? 'info' : 'fail',
    });
    const name = make('th', undefined, { scope: 'row' });
    name.append(make('span', label(CHECK_NAMES, check.check)), make('code', check.check, { class: 'check-id' }));
    const outcomeCell = make('td', undefined, { 'data-testid': `check-${check.check}-result` });
    outcomeCell.append(
      make('span', passed ? '✔' : notChecked ? '–' : informational ? 'ℹ' : '✘', { class: 'mark', 'aria-hidden': 'true' }),
      make('span', outcome),
    );
    // explained in the page's language, times in China Standard Time; the gateway's English detail (UTC instants) on hover
    const detail = make('td', renderCheckMessage(check, state.lang), {
      'data-testid': `check-${check.check}-detail`,
      class: 'detail',
      title: check.detail ?? '',
    });
    // the signature check judges each signature of the document (EdDSA, SM2SM3, …) on its own
    if (Array.isArray(check.signatures) && check.signatures.length > 0) {
      const list = make('ul', undefined, { class: 'signatures', 'data-testid': 'signatures' });
      for (const sig of check.signatures) {
        const sigPassed = sig.state === 'passed';
        const sigOutcome = sigPassed ? t('passed') : sig.state === 'not-checked' ? t('notChecked') : t('failed');
        const item = make('li', undefined, {
          'data-testid': `signature-${sig.alg}`,
          'data-alg': sig.alg,
          'data-kid': sig.kid,
          'data-state': sig.state,
          class: sigPassed ? 'ok' : sig.state === 'not-checked' ? 'skip' : 'fail',
        });
        item.append(
          make('span', sigPassed ? '✔' : sig.state === 'not-checked' ? '–' : '✘', { class: 'mark', 'aria-hidden': 'true' }),
          make('code', sig.alg),
          make('span', ` ${sigOutcome} · `),
          make('code', sig.kid),
          make('span', ` (${sig.reason})`),
        );
        list.append(item);
      }
      detail.append(list);
    }
    row.append(name, outcomeCell, detail);
    body.append(row);
  }

  const issuer = $('facts-issuer');
  clear(issuer);
  addFact(issuer, 'city', cityText(result.issuer), 'issuer-city');
  addFact(issuer, 'mspId', result.issuer?.mspId, 'issuer-msp', true);

  const doc = $('facts-document');
  clear(doc);
  addFact(doc, 'documentId', result.document?.id, 'document-id', true);
  addFact(doc, 'documentType', result.document?.type ? label(DOC_TYPES, result.document.type) : undefined, 'document-type');
  addTimeFact(doc, 'issuedAt', result.document?.issuedAt, 'document-issued-at');
  addTimeFact(doc, 'validUntil', result.document?.validUntil, 'document-valid-until');

  const anchor = $('facts-anchor');
  clear(anchor);
  const a = result.anchor ?? {};
  const mode = a.mode === 'single' ? t('modeSingle') : a.mode === 'batch' ? t('modeBatch') : t('notAnchored');
  addFact(anchor, 'anchorMode', mode, 'anchor-mode');
  addFact(anchor, 'blockNumber', a.blockNumber, 'anchor-block', true);
  addFact(anchor, 'txId', a.txId, 'anchor-tx', true);
  if (a.mode === 'batch') {
    addFact(anchor, 'batchId', a.batchId, 'anchor-batch', true);
    addFact(anchor, 'root', a.root, 'anchor-root', true);
  }
}

function clearVerification() {
  $('doc-input').value = '';
  $('doc-file').value = '';
  $('file-name').textContent = '';
  state.verifyResult = undefined;
  showVerifyError(undefined);
  setResultState('verify', 'empty');
  $('doc-input').focus();
}

async function loadFile(file) {
  if (!file) return;
  $('file-name').textContent = file.name;
  if (file.size > MAX_FILE_BYTES) {
    showVerifyError('fileTooLarge');
    return;
  }
  try {
    $('doc-input').value = await file.text();
  } catch (err) {
    showVerifyError('fileUnreadable', err instanceof Error ? err.message : String(err));
    return;
  }
  await verify();
}

function setUpVerification() {
  $('verify-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void verify();
  });
  $('verify-clear').addEventListener('click', clearVerification);
  $('doc-input').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void verify();
    }
  });
  $('doc-file').addEventListener('change', (event) => {
    void loadFile(event.target.files?.[0]);
  });
  const zone = $('drop-zone');
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    const file = event.dataTransfer?.files?.[0];
    if (file) {
      void loadFile(file);
      return;
    }
    const text = event.dataTransfer?.getData('text/plain');
    if (text) {
      $('doc-input').value = text;
      void verify();
    }
  });
}

// ---------------------------------------------------------------- agency look-up

function showAgencyError(key, extra) {
  state.agencyError = key ? { key, extra } : undefined;
  renderAgencyError();
}

function renderAgencyError() {
  const el = $('agency-error');
  if (!state.agencyError) {
    el.hidden = true;
    el.textContent = '';
    return;
  }
  el.textContent = t(state.agencyError.key) + (state.agencyError.extra ? ` ${state.agencyError.extra}` : '');
  el.hidden = false;
}

async function lookUpAgency() {
  const input = $('agency-uscc');
  const { value, wellFormed } = normaliseUscc(input.value);
  input.value = value;
  state.agencyResult = undefined;
  if (!wellFormed) {
    input.setAttribute('aria-invalid', 'true');
    setResultState('agency', 'empty');
    showAgencyError('invalidUscc');
    return;
  }
  input.removeAttribute('aria-invalid');
  showAgencyError(undefined);
  const button = $('agency-submit');
  setResultState('agency', 'pending', 'lookingUp');
  setBusy(button, true, 'lookingUp');
  try {
    const answer = await fetchJson(`api/v1/public/agencies/${encodeURIComponent(value)}`, { method: 'GET' });
    if (!answer.reachable) {
      setResultState('agency', 'empty');
      showAgencyError('unreachable');
      return;
    }
    if (answer.status === 404) {
      state.agencyResult = { kind: 'notFound', uscc: value, detail: answer.body?.detail };
    } else if (!answer.ok) {
      setResultState('agency', 'empty');
      showAgencyError('serverError', problemText(answer.status, answer.body));
      return;
    } else if (!answer.body || typeof answer.body !== 'object') {
      setResultState('agency', 'empty');
      showAgencyError('unexpectedResponse');
      return;
    } else {
      state.agencyResult = { kind: 'found', agency: answer.body };
    }
    renderAgency(state.agencyResult);
  } finally {
    setBusy(button, false);
  }
}

function renderAgency(result) {
  const section = $('agency-result');
  setResultState('agency', 'done');
  section.dataset.kind = result.kind;
  const facts = $('agency-facts');
  clear(facts);
  const supervisionSection = $('agency-supervision-section');
  const supervisionBody = $('agency-supervision-body');
  clear(supervisionBody);
  $('agency-verdict').dataset.state = result.kind;
  $('agency-verdict').dataset.status = result.kind === 'found' ? String(result.agency.status) : '';

  if (result.kind === 'notFound') {
    $('agency-mark').textContent = '?';
    $('agency-verdict-text').textContent = bilingual('notFound');
    $('agency-summary').textContent = `${t('agencyNotFoundSummary')}${result.detail ? ` (${result.detail})` : ''}`;
    addFact(facts, 'uscc', result.uscc, 'agency-uscc-value', true);
    supervisionSection.hidden = true;
    return;
  }

  const agency = result.agency;
  $('agency-mark').textContent = agency.status === 'active' ? '✔' : '!';
  $('agency-verdict-text').textContent = `${bilingual('found')} · ${label(AGENCY_STATUSES, agency.status)}`;
  $('agency-summary').textContent = String(agency.name ?? '');
  addFact(facts, 'uscc', agency.uscc, 'agency-uscc-value', true);
  addFact(facts, 'agencyName', agency.name, 'agency-name');
  addFact(facts, 'filingCity', cityText(agency.filingCity ?? agency.city), 'agency-filing-city');
  addFact(facts, 'agencyStatus', label(AGENCY_STATUSES, agency.status), 'agency-status');
  addFact(facts, 'allianceMember', agency.allianceMember ? t('yes') : t('no'), 'agency-alliance');
  addFact(
    facts,
    'services',
    Array.isArray(agency.services) ? agency.services.join(state.lang === 'zh' ? '、' : ', ') : undefined,
    'agency-services',
  );

  const records = Array.isArray(agency.supervision) ? agency.supervision : [];
  supervisionSection.hidden = records.length === 0;
  for (const record of records) {
    const row = make('tr', undefined, { 'data-testid': 'agency-supervision-row' });
    row.append(
      make('td', record.date ?? ''),
      make('td', cityText(record.city) ?? ''),
      make('td', label(SUPERVISION_ACTIONS, record.action)),
      make('td', record.summary ?? ''),
    );
    supervisionBody.append(row);
  }
}

function setUpAgency() {
  $('agency-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void lookUpAgency();
  });
}

// ---------------------------------------------------------------- start

$('lang-toggle').addEventListener('click', toggleLanguage);
setUpTabs();
setUpVerification();
setUpAgency();
applyLanguage();
document.documentElement.dataset.ready = 'true';
