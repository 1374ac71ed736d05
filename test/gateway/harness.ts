/**
 * Test harness of the gateway HTTP tests: five real gateways (one per city)
 * started in this process on their own ports (18101-18105 by default, so the
 * development gateways on 8101-8105 may keep running), each connected to its
 * own city's real peer of the running local network. Their stores live in
 * `.data/test-gateways/<city>` and survive runs (keys stay registered).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the tests read answers as loosely typed JSON */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { CITIES, CITY_IDS, idNumberCheckCharacter, usccCheckCharacter, type CityId } from '@jcc/domain';
import { loadConfig } from '../../gateway/src/config/config.js';
import { startGateway, type RunningGateway } from '../../gateway/src/gateway.js';
import { storeLogId } from '../../scripts/lib/store-log-id.js';
import { mintIdentityToken, mintToken } from '../../gateway/src/auth/tokens.js';
import { KeyStore } from '../../gateway/src/keys/keystore.js';
import { ensureDevIdentity, readHolderKey } from '../../gateway/src/auth/dev-identities.js';
import type { Role } from '../../gateway/src/auth/roles.js';
import { REDACTED_PATHS } from '../../gateway/src/http/logging.js';
import { gatewayCommand, spawnLogged, until as pollUntil, waitForGatewayReady } from '@jcc/network';
import { createGatewayClient } from '@jcc/client';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where the test gateways keep their stores; `JCC_TEST_DATA_DIR` moves them (the BFT fault suite runs on a ledger of its own). */
export const dataDir = process.env.JCC_TEST_DATA_DIR ? resolve(process.env.JCC_TEST_DATA_DIR) : join(root, '.data', 'test-gateways');
const base = Number(process.env.JCC_TEST_GATEWAY_PORT_BASE ?? 18100);

/** Port of a city's test gateway. */
export function testPort(city: CityId): number {
  return base + (CITIES.findIndex((c) => c.id === city) + 1);
}

/** Base URL of a city's test gateway. */
export function testUrl(city: CityId): string {
  return `http://127.0.0.1:${testPort(city)}`;
}

const peerUrls = Object.fromEntries(CITY_IDS.map((c) => [c, testUrl(c)])) as Record<CityId, string>;

/** Environment of a test gateway (also used for the child processes of the crash tests). */
export function testEnv(city: CityId, store = join(dataDir, city)): NodeJS.ProcessEnv {
  return {
    JCC_GATEWAY_STORE: store,
    // A log of its own per test store: the standard gateways write the cities' main logs on the same ledger.
    JCC_ACCESS_LOG_ID: storeLogId(city, store, 't'),
    JCC_REGISTER_GATEWAY_URL: 'false',
    JCC_PEER_GATEWAYS: JSON.stringify(peerUrls),
    JCC_VERIFY_RATE_LIMIT: '0',
    JCC_BATCH_MAX_AGE_MS: '500',
    JCC_BATCH_MAX_SIZE: '200',
    JCC_ANCHOR_POLL_MS: '200',
    // Webhook receivers of the notification tests run on loopback; a short (but real) retry schedule.
    JCC_NOTIFY_ALLOW_LOOPBACK: 'true',
    JCC_NOTIFY_RETRY_INITIAL_MS: '500',
    JCC_NOTIFY_RETRY_MAX_MS: '4000',
    JCC_NOTIFY_RETRY_ATTEMPTS: '80',
    // Every 2xx answer is checked against its route's declared response schema (the OpenAPI document).
    JCC_CHECK_RESPONSES: 'true',
  };
}

let running: Promise<Record<CityId, RunningGateway>> | undefined;

/** The five test gateways, started on first use and ready (keys registered, index caught up). */
export function gateways(): Promise<Record<CityId, RunningGateway>> {
  running ??= (async () => {
    mkdirSync(join(dataDir, 'logs'), { recursive: true });
    const out = {} as Record<CityId, RunningGateway>;
    await Promise.all(
      CITY_IDS.map(async (city) => {
        const config = await loadConfig({ city, env: { ...process.env, ...testEnv(city) }, overrides: { port: testPort(city) } });
        const log = pino(
          { level: 'info', base: { city }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
          pino.destination({ dest: join(dataDir, 'logs', `${city}.log`), sync: true }),
        );
        out[city] = await startGateway(config, { log });
      }),
    );
    try {
      await Promise.all(CITY_IDS.map((city) => waitReady(testUrl(city), 240_000)));
      for (const role of ['regulator', 'alliance'] as const) await registerTestIdentity(`test-${role}`, role, out);
    } catch (err) {
      // Not ready: the gateways that started are stopped here, since no caller gets them to stop (the run would hang).
      await Promise.allSettled(Object.values(out).map((g) => g.stop()));
      throw err;
    }
    return out;
  })();
  return running;
}

/** Stops the test gateways if they were started. */
export async function stopGateways(): Promise<void> {
  if (!running) return;
  const all = await running.catch(() => undefined);
  running = undefined;
  if (all) await Promise.all(Object.values(all).map((g) => g.stop()));
}

/** Waits until `GET /readyz` answers 200 (the one readiness poller, `network/src/polling.ts`). */
export async function waitReady(url: string, timeoutMs: number): Promise<void> {
  await waitForGatewayReady(url, { timeoutMs, intervalMs: 300 });
}

/** The private key file of a test identity's holder (`.data/test-gateways/identities/`, never committed). */
export function identityKeyFile(id: string): string {
  return join(dataDir, 'identities', `${id}.jwk`);
}

/**
 * Registers a regulator or alliance identity on the ledger (proposed by
 * Qingdao, approved by Yantai and Weihai) with a holder key generated once;
 * idempotent.
 */
export async function registerTestIdentity(
  id: string,
  role: 'regulator' | 'alliance',
  started?: Record<CityId, RunningGateway>,
): Promise<void> {
  const all = started ?? (await gateways());
  await ensureDevIdentity({
    id,
    role,
    keyFile: identityKeyFile(id),
    urls: peerUrls,
    operatorToken: (city) => mintToken({ key: all[city].services.keys.current('gateway'), city, role: 'operator', ttlSeconds: 600 }),
  });
}

/** A token of a registered identity, signed by its holder key. */
export async function identityToken(
  id: string,
  role: 'regulator' | 'alliance',
  options: { audience?: CityId[]; ttlSeconds?: number; now?: number } = {},
): Promise<string> {
  const holder = await readHolderKey(identityKeyFile(id));
  return mintIdentityToken({
    id,
    role,
    privateKey: holder.privateKey,
    alg: holder.alg,
    audience: options.audience ?? [...CITY_IDS],
    ttlSeconds: options.ttlSeconds ?? 600,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
}

/**
 * A token for `city`'s test gateway: operator and gateway tokens signed by
 * its gateway key; regulator and alliance tokens by the test identity of that
 * role (`test-regulator`, `test-alliance`), for `city` unless `audience` says otherwise.
 */
export async function token(
  city: CityId,
  role: Role,
  options: { audience?: CityId[]; ttlSeconds?: number; now?: number } = {},
): Promise<string> {
  const gw = (await gateways())[city];
  if (role === 'regulator' || role === 'alliance') return identityToken(`test-${role}`, role, { audience: [city], ...options });
  return mintToken({ key: gw.services.keys.current('gateway'), city, role, ttlSeconds: options.ttlSeconds ?? 600, ...options });
}

/** An HTTP answer, parsed. */
export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** What {@link callAt} and {@link call} send besides the method and path. */
export interface CallOptions {
  /** Bearer token (without `Bearer `). */
  token?: string;
  /** A JSON body (sent as `application/json` unless `contentType` says otherwise). */
  body?: unknown;
  /** A body sent as is (as `application/x-ndjson` unless `contentType` says otherwise), instead of `body`. */
  raw?: string;
  contentType?: string;
  /** Extra request headers (e.g. `idempotency-key`). */
  headers?: Record<string, string>;
}

/**
 * Calls the gateway at `baseUrl` (e.g. a gateway a test started itself, see
 * {@link spawnGateway}) through the one gateway client (`@jcc/client`), untyped:
 * the tests also send what the OpenAPI document refuses. Every status is
 * handed back (no throw), with the body parsed as JSON when it is JSON; a
 * connection failure rejects (a `GatewayUnreachableError` of `@jcc/client`).
 */
export async function callAt<T = any>(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<Answer<T>> {
  const client = createGatewayClient({ baseUrl, token: options.token, errors: 'return' });
  const headers: Record<string, string> = { accept: 'application/json', ...(options.headers ?? {}) };
  let body: string | undefined;
  if (options.raw !== undefined) {
    body = options.raw;
    headers['content-type'] = options.contentType ?? 'application/x-ndjson';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = options.contentType ?? 'application/json';
  }
  const { response, error } = (await client.request(
    method.toLowerCase() as 'get',
    path as never,
    {
      headers,
      parseAs: 'stream',
      ...(body === undefined ? {} : { body: body as never, bodySerializer: (b: unknown) => b }),
    } as never,
  )) as { response: Response; error?: unknown };
  // openapi-fetch has read (and parsed) an error answer already; a 2xx one is left as a stream.
  if (response.bodyUsed) return { status: response.status, body: (error === '' ? undefined : error) as T, headers: response.headers };
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

/** Calls a city's test gateway ({@link testUrl}) as {@link callAt} does. */
export function call<T = any>(city: CityId, method: string, path: string, options: CallOptions = {}): Promise<Answer<T>> {
  return callAt<T>(testUrl(city), method, path, options);
}

/**
 * Posts an NDJSON upload to `url` (e.g. `POST /api/v1/reports/bulk`) and reads the answer lines
 * as they stream, calling `onLine` with each (it may end the gateway). A connection cut off
 * by the gateway's death ends the reading: the lines read until then are returned, and
 * `cutOff` says so.
 */
export async function streamNdjson(
  url: string,
  options: { token: string; body: string; idempotencyKey?: string },
  onLine: (answer: any, count: number) => void = () => undefined,
): Promise<{ status: number; answers: any[]; cutOff: boolean }> {
  const answers: any[] = [];
  const headers: Record<string, string> = { authorization: `Bearer ${options.token}`, 'content-type': 'application/x-ndjson' };
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let status = 0;
  try {
    const res = await fetch(url, { method: 'POST', headers, body: options.body });
    status = res.status;
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let pending = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      pending += value;
      let at: number;
      while ((at = pending.indexOf('\n')) >= 0) {
        const answer = JSON.parse(pending.slice(0, at));
        pending = pending.slice(at + 1);
        answers.push(answer);
        onLine(answer, answers.length);
      }
    }
  } catch {
    return { status, answers, cutOff: true };
  }
  return { status, answers, cutOff: false };
}

/** Polls `read` until `accept` holds (or the time is up, then fails with the last value): the one polling helper. */
export function until<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  return pollUntil(read, accept, { timeoutMs, what });
}

/**
 * A gateway process of its own (for the crash tests), on `port` with store `store` and the
 * settings `env` on top of the test ones; the caller follows its life ({@link stopChild}).
 */
export function spawnGateway(city: CityId, port: number, store: string, env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawnLogged({
    name: `test-gateway.${city}-${port}`,
    ...gatewayCommand(city, ['--port', String(port)]),
    cwd: root,
    env: { ...process.env, ...testEnv(city, store), ...env },
    log: join(dataDir, 'logs', `${city}-${port}.log`),
  });
}

/** An operator token of a gateway of {@link spawnGateway}, signed with the gateway key in its store. */
export async function spawnedOperatorToken(
  city: CityId,
  store: string,
  options: { sm2?: boolean; ttlSeconds?: number } = {},
): Promise<string> {
  const keys = await KeyStore.open(store, city, Date.now, { sm2: options.sm2 ?? false });
  return mintToken({ key: keys.current('gateway'), city, role: 'operator', ttlSeconds: options.ttlSeconds ?? 3600 });
}

/** What {@link issueAnchoredAt} issues: the anchoring mode, a summary for its content, the report type. */
export interface AnchoredReportOptions {
  anchor: 'single' | 'batch';
  summary: string;
  /** Default `publicCreditReport`. */
  reportType?: string;
  /** Default 120 s. */
  timeoutMs?: number;
}

/**
 * Issues a credit report for a fresh subject at the gateway of `url` with the operator token
 * `operator`, and waits until it is anchored: answers its state (`GET /api/v1/reports/{id}`,
 * with `id`, `jws` and, for a batch document, `proof`). The one issue-and-wait of the tests.
 */
export async function issueAnchoredAt(url: string, operator: string, options: AnchoredReportOptions): Promise<any> {
  const res = await callAt(url, 'POST', '/api/v1/reports', {
    token: operator,
    body: {
      subject: { kind: 'enterprise', uscc: testUscc(`${runTag}${Math.random().toString(36).slice(2, 6)}`) },
      reportType: options.reportType ?? 'publicCreditReport',
      content: { summary: options.summary },
      validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(),
      anchor: options.anchor,
    },
  });
  const body = res.body;
  if (res.status !== 202) throw new Error(`issuing at ${url}: ${res.status} ${JSON.stringify(body)}`);
  return until(
    async () => (await callAt(url, 'GET', `/api/v1/reports/${body.id}`, { token: operator })).body,
    (s) => s.state === 'anchored',
    options.timeoutMs ?? 120_000,
    `${options.anchor} document ${body.id} anchored at ${url}`,
  );
}

/** Resolves once `child` has exited (at once when it already has). */
export async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => child.once('exit', resolve));
}

/** Stops a process of {@link spawnGateway} with SIGTERM and waits for its exit; nothing when it is gone. */
export async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await exited(child);
}

/** Unique per run: the ledger outlives test runs. */
export const runTag = Date.now().toString(36);

/** A valid USCC derived from `seed` (check character computed). */
export function testUscc(seed: string): string {
  const tail = seed
    .toUpperCase()
    .replace(/[^0-9A-HJ-NPQRTUWXY]/g, '0')
    .slice(-9)
    .padStart(9, '0');
  const body = `91370200${tail}`;
  return body + usccCheckCharacter(body);
}

/** A valid resident identity number derived from `n` (check character computed). */
export function testIdNumber(n: number): string {
  const body = `37020219850101${String(n % 1000).padStart(3, '0')}`;
  return body + idNumberCheckCharacter(body);
}

/** Imports NDJSON evaluations at `city` (`POST /api/v1/evaluations/bulk`, answered 202 with a job) and waits until the job is done. */
export async function importEvaluations(city: CityId, operator: string, raw: string, timeoutMs = 120_000): Promise<any> {
  const posted = await call(city, 'POST', '/api/v1/evaluations/bulk', { token: operator, raw });
  if (posted.status !== 202) throw new Error(`the import answered ${posted.status}: ${JSON.stringify(posted.body)}`);
  return until(
    async () => (await call(city, 'GET', `/api/v1/jobs/${posted.body.id}`, { token: operator })).body,
    (job) => job.status === 'done' || job.status === 'failed',
    timeoutMs,
    `job ${posted.body.id} done`,
  );
}
