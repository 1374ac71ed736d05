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
import { mintIdentityToken, mintToken } from '../../gateway/src/auth/tokens.js';
import { ensureDevIdentity, readHolderKey } from '../../gateway/src/auth/dev-identities.js';
import type { Role } from '../../gateway/src/auth/roles.js';
import { REDACTED_PATHS } from '../../gateway/src/http/logging.js';
import { spawnLogged, until as pollUntil, waitForGatewayReady } from '@jcc/network';
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
    await Promise.all(CITY_IDS.map((city) => waitReady(testUrl(city), 240_000)));
    for (const role of ['regulator', 'alliance'] as const) await registerTestIdentity(`test-${role}`, role, out);
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

/**
 * Calls a test gateway through the one gateway client (`@jcc/client`), untyped:
 * the tests also send what the OpenAPI document refuses. Every status is
 * handed back (no throw), with the body parsed as JSON when it is JSON.
 */
export async function call<T = any>(
  city: CityId,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; raw?: string; contentType?: string; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const client = createGatewayClient({ baseUrl: testUrl(city), token: options.token, errors: 'return' });
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

/** Polls `read` until `accept` holds (or the time is up, then fails with the last value): the one polling helper. */
export function until<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  return pollUntil(read, accept, { timeoutMs, what });
}

/** A gateway process of its own (for the crash tests), on `port` with store `store`; the caller follows its life. */
export function spawnGateway(city: CityId, port: number, store: string): ChildProcess {
  return spawnLogged({
    name: `test-gateway.${city}-${port}`,
    program: process.execPath,
    args: ['--import', 'tsx', join(root, 'gateway', 'src', 'main.ts'), city, '--port', String(port)],
    cwd: root,
    env: { ...process.env, ...testEnv(city, store) },
    log: join(dataDir, 'logs', `${city}-${port}.log`),
  });
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
