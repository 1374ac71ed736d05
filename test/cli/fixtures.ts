/**
 * Test fixtures shared by the CLI and browser suites: the gateway under test,
 * bearer tokens (minted with the gateway's own token module, through the
 * CLI's `mintToken`), and sample documents issued through the gateway's API —
 * valid (single and batch anchored), revoked, and tampered.
 */
import { randomBytes } from 'node:crypto';
import { createGatewayClient } from '@jcc/client';
import { usccCheckCharacter } from '@jcc/domain';
import {
  bundleFromReport,
  issueReport,
  revokeReport,
  waitForAnchor,
  type DocumentBundle,
  type ReportRecord,
} from '../../cli/src/lib/api.js';
import { GatewayClient } from '../../cli/src/lib/http.js';
import { mintToken } from '../../cli/src/lib/token.js';
import { defaultGatewayUrls } from '../../scripts/demo/context.js';
import { demoIdentity } from '../../scripts/demo/identities.js';

/** The gateway the suites talk to: `JCC_GATEWAY`, default Qingdao's. */
export const GATEWAY_URL = (process.env.JCC_GATEWAY ?? 'http://127.0.0.1:8101').replace(/\/+$/, '');

/** The city of that gateway, from its port (8101 qingdao ... 8105 rizhao) or `JCC_GATEWAY_CITY`. */
export const GATEWAY_CITY =
  process.env.JCC_GATEWAY_CITY ??
  (['qingdao', 'yantai', 'weihai', 'weifang', 'rizhao'][Number(new URL(GATEWAY_URL).port) - 8101] || 'qingdao');

/** Waits until the gateway answers `GET /healthz`, or throws saying how to start it. */
export async function waitForGateway(timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${GATEWAY_URL}/healthz`, { signal: AbortSignal.timeout(5000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`the gateway at ${GATEWAY_URL} is not up (${last}); start the network and gateways first (npm start)`);
}

/** A bearer token for the gateway under test. */
export async function token(role: 'operator' | 'regulator' | 'alliance', city = GATEWAY_CITY): Promise<string> {
  if (role === 'operator') return mintToken({ city, role, subject: `test-${role}@${city}` });
  const identity = await demoIdentity(role, defaultGatewayUrls());
  return mintToken({ city, role, identity: identity.id, keyFile: identity.keyFile });
}

/** A client of the gateway under test, with a token of this role (or none). */
export async function client(role?: 'operator' | 'regulator' | 'alliance'): Promise<GatewayClient> {
  return new GatewayClient({ baseUrl: GATEWAY_URL, token: role ? await token(role) : undefined, timeoutMs: 30_000 });
}

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A random, well-formed USCC (valid check character) registered in the gateway's division. */
export function randomUscc(division = '370200'): string {
  const bytes = randomBytes(9);
  const tail = Array.from(bytes, (b) => USCC_ALPHABET.charAt(b % 31)).join('');
  const body = `91${division}${tail}`;
  return body + usccCheckCharacter(body);
}

/** A document issued for the tests, anchored, with its saved bundle. */
export interface IssuedSample {
  id: string;
  jws: string;
  report: ReportRecord;
  bundle: DocumentBundle;
}

/** Issues a public credit report through the gateway and waits until it is anchored. */
export async function issueSample(operator: GatewayClient, anchor: 'single' | 'batch' = 'single', note = 'test'): Promise<IssuedSample> {
  const issued = await issueReport(operator, {
    subject: { kind: 'enterprise', uscc: randomUscc() },
    reportType: 'publicCreditReport',
    content: { summary: `no record of serious dishonesty (${note})`, generatedBy: 'jcc test suite' },
    validUntil: new Date(Date.now() + 180 * 86_400_000).toISOString(),
    anchor,
  });
  const report = await waitForAnchor(operator, issued.id, 90_000);
  if (report.state !== 'anchored') throw new Error(`report ${issued.id} is ${report.state} after 90 s, not anchored`);
  return { id: issued.id, jws: issued.jws, report, bundle: bundleFromReport(report) };
}

/** Issues a report, waits for its anchor, then revokes it. */
export async function issueRevokedSample(operator: GatewayClient, reason = 'issued in error (test)'): Promise<IssuedSample> {
  const sample = await issueSample(operator, 'single', 'to be revoked');
  await revokeReport(operator, sample.id, reason);
  // the one gateway client, handing back every answer (a verdict, or a problem) whatever its status
  const gateway = createGatewayClient({ baseUrl: GATEWAY_URL, errors: 'return' });
  // the revocation is a ledger transaction; wait until the gateway reports it
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { data, error } = await gateway.POST('/api/v1/verify', { body: { jws: sample.jws } });
    const verdict = (data ?? error) as { checks?: { check: string; ok: boolean }[] };
    if (verdict.checks?.find((c) => c.check === 'status')?.ok === false) return sample;
    if (Date.now() > deadline) throw new Error(`revocation of ${sample.id} not visible after 60 s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * The same JWS with its payload altered (the summary rewritten) and the
 * original signature kept: what a forger would hand over.
 */
export function tamper(jws: string): string {
  const [header, payload, signature] = jws.split('.') as [string, string, string];
  const document = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { content: Record<string, unknown> };
  document.content = { ...document.content, summary: 'excellent credit, grade AAA' };
  return `${header}.${Buffer.from(JSON.stringify(document)).toString('base64url')}.${signature}`;
}

/** Files a new credit-service agency in the gateway's city (operator) and returns its USCC. */
export async function fileAgency(operator: GatewayClient, name: string): Promise<string> {
  const uscc = randomUscc();
  await operator.request('POST', '/api/v1/agencies', {
    body: { uscc, name, services: ['credit reports', 'credit ratings'], allianceMember: true },
    auth: 'required',
  });
  return uscc;
}
