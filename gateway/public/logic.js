// Pure helpers of the verification page: reading what the user pasted or
// dropped, and interpreting the gateway's verdict. No DOM access here.

/** Largest file the page reads (bytes). */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/**
 * Reads the text a user pasted or dropped. Accepted forms:
 * - a compact JWS (one final line end is dropped; nothing else is trimmed);
 * - a JSON object holding a string `jws` and optionally an object `proof`
 *   (a saved proof bundle, or the report record the gateway returns);
 * - a JSON string holding a compact JWS;
 * - a document in the JWS JSON serialization (an object of `payload` and
 *   `signatures`, e.g. signed with EdDSA and SM2SM3), sent as its exact text
 *   (one final line end dropped).
 *
 * The JWS is sent exactly as written otherwise, so a JWS with stray
 * whitespace is refused as malformed, as every door refuses it (docs/verification.md).
 *
 * Returns `{ ok: true, body }` with the body of `POST /api/v1/verify`, or
 * `{ ok: false, error, detail? }` with a message key of i18n.js.
 */
export function parseDocumentText(text) {
  const trimmed = String(text ?? '').trim();
  if (trimmed === '') return { ok: false, error: 'emptyInput' };
  if (trimmed.startsWith('{') || trimmed.startsWith('"')) {
    let value;
    try {
      value = JSON.parse(trimmed);
    } catch (err) {
      return { ok: false, error: 'badJson', detail: err instanceof Error ? err.message : String(err) };
    }
    if (typeof value === 'string') return parseDocumentText(value);
    if (value && typeof value === 'object' && !Array.isArray(value) && value.jws === undefined && Array.isArray(value.signatures))
      return { ok: true, body: { jws: String(text).replace(/\r?\n$/, '') } };
    if (value === null || typeof value !== 'object' || Array.isArray(value) || typeof value.jws !== 'string') {
      return { ok: false, error: 'noJwsInJson' };
    }
    const jws = value.jws;
    if (jws.trim() === '') return { ok: false, error: 'noJwsInJson' };
    if (value.proof === undefined || value.proof === null) return { ok: true, body: { jws } };
    if (typeof value.proof !== 'object' || Array.isArray(value.proof)) return { ok: false, error: 'badProof' };
    return { ok: true, body: { jws, proof: value.proof } };
  }
  // Anything else is sent as a JWS: the gateway reports a malformed one as a failed signature check.
  return { ok: true, body: { jws: String(text).replace(/\r?\n$/, '') } };
}

/**
 * What the failed `status` check says about the document: `revoked`,
 * `superseded`, `expired`, or `undefined` when it passed or says something else.
 * The gateway's detail text is authoritative; this only picks a label for it.
 */
export function statusKind(check) {
  if (!check || check.ok) return undefined;
  const detail = String(check.detail ?? '');
  if (/revok|撤销/i.test(detail)) return 'revoked';
  if (/supersed|替代|替换/i.test(detail)) return 'superseded';
  if (/expir|过期/i.test(detail)) return 'expired';
  return undefined;
}

/**
 * Summarises a `POST /api/v1/verify` response for display:
 * `{ verdict: 'valid'|'invalid', revoked, statusKind, failed: [check names], recognised }`.
 * Returns `undefined` when the response does not have the documented shape.
 */
export function summariseVerdict(result) {
  if (!result || typeof result !== 'object' || typeof result.valid !== 'boolean' || !Array.isArray(result.checks)) return undefined;
  const checks = result.checks.filter((c) => c && typeof c.check === 'string');
  const failed = checks.filter((c) => c.state !== 'passed' && c.check !== 'recognised').map((c) => c.check);
  const statusCheck = checks.find((c) => c.check === 'status');
  const kind = statusKind(statusCheck);
  const recognisedCheck = checks.find((c) => c.check === 'recognised');
  return {
    verdict: result.valid ? 'valid' : 'invalid',
    revoked: kind === 'revoked',
    statusKind: kind,
    failed,
    recognised: recognisedCheck ? recognisedCheck.ok === true : undefined,
  };
}

/**
 * Normalises a typed USCC (trims, removes inner spaces, upper-cases) and
 * tells whether it has the shape of one: 18 characters of the GB 32100-2015
 * alphabet. The check character is left to the gateway, which explains a
 * mismatch in its answer.
 */
export function normaliseUscc(text) {
  const value = String(text ?? '')
    .replace(/\s+/g, '')
    .toUpperCase();
  return { value, wellFormed: /^[0-9A-HJ-NPQRTUWXY]{18}$/.test(value) };
}

/**
 * Reads an RFC 9457 problem document (or any JSON error body) into a short
 * text: `title: detail`, falling back to the HTTP status.
 */
export function problemText(status, body) {
  if (body && typeof body === 'object') {
    const title = typeof body.title === 'string' ? body.title : '';
    const detail = typeof body.detail === 'string' ? body.detail : '';
    const extra = Array.isArray(body.errors)
      ? body.errors
          .map((e) =>
            e && typeof e === 'object'
              ? [e.path ?? e.instancePath ?? e.pointer, e.message ?? e.detail].filter(Boolean).join(' ')
              : String(e),
          )
          .filter(Boolean)
          .join('; ')
      : '';
    const text = [title, detail, extra].filter(Boolean).join(': ');
    if (text) return `${text} (HTTP ${status})`;
  }
  return `HTTP ${status}`;
}
