/**
 * What every step of the demo loader works with: a REST client per city
 * gateway (an operator of that city, and a regulator), the demo's dates, the
 * tally of what was created or found already present, and the log.
 *
 * @packageDocumentation
 */
import { CITIES, sha256Hex, type CityId } from '@jcc/domain';
import { loadConfig } from '../../gateway/src/config/config.js';
import { KeyStore } from '../../gateway/src/keys/keystore.js';
import { mintDevToken } from '../../gateway/src/token.js';
import { GatewayClient } from './client.js';
import type { DemoDates } from './dates.js';
import { demoIdentityToken } from './identities.js';
import { DEMO_VERSION } from './marker.js';

/** Counts, per kind of record, of what this run created and what it found already there. */
export class Tally {
  readonly #counts = new Map<string, { created: number; reused: number }>();

  /** Counts one record of `kind`: created by this run, or already present. */
  count(kind: string, created: boolean): void {
    const c = this.#counts.get(kind) ?? { created: 0, reused: 0 };
    if (created) c.created++;
    else c.reused++;
    this.#counts.set(kind, c);
  }

  /** Adds another tally's counts to this one. */
  add(other: Tally): void {
    for (const [kind, c] of Object.entries(other.toJSON())) {
      const mine = this.#counts.get(kind) ?? { created: 0, reused: 0 };
      this.#counts.set(kind, { created: mine.created + c.created, reused: mine.reused + c.reused });
    }
  }

  /** Records created by this run. */
  get created(): number {
    return [...this.#counts.values()].reduce((n, c) => n + c.created, 0);
  }

  /** Records found already present (replayed or skipped). */
  get reused(): number {
    return [...this.#counts.values()].reduce((n, c) => n + c.reused, 0);
  }

  /** Per kind: `{created, reused}`. */
  toJSON(): Record<string, { created: number; reused: number }> {
    return Object.fromEntries(this.#counts);
  }
}

/** The demo loader's view of the five gateways. */
export interface DemoContext {
  /** The operator client of a city (at that city's gateway; operators may use only their own). */
  operator(city: CityId): GatewayClient;
  /** A regulator client at a city's gateway. */
  regulator(city: CityId): GatewayClient;
  /** A client without a token (public endpoints). */
  anonymous(city: CityId): GatewayClient;
  /** Base URL of a city's gateway. */
  url(city: CityId): string;
  /**
   * A short, stable identity of a city gateway's store (from its oldest key):
   * it changes only when the store is reset, and then the demo issues its
   * documents afresh instead of naming ids the ledger already anchored with
   * the old store's documents.
   */
  storeId(city: CityId): string;
  dates: DemoDates;
  tally: Tally;
  log(line: string): void;
}

/** The default gateway URLs of the local network, `http://127.0.0.1:8101` … `8105`. */
export function defaultGatewayUrls(): Record<CityId, string> {
  return Object.fromEntries(CITIES.map((c) => [c.id, `http://127.0.0.1:${c.gatewayPort}`])) as Record<CityId, string>;
}

/** The token subject the demo loader acts under; fixed, because idempotency keys are scoped to the caller. */
export function demoSubject(city: CityId): string {
  return `demo-loader@${city}`;
}

/**
 * Builds the clients, with development tokens signed by each city's gateway
 * key (`mintDevToken`, reading `.data/gateway/<city>/keys/` unless
 * `storeDirs` names other store folders).
 */
export async function createContext(options: {
  urls: Record<CityId, string>;
  dates: DemoDates;
  log: (line: string) => void;
  storeDirs?: Partial<Record<CityId, string>>;
}): Promise<DemoContext> {
  const operators = new Map<CityId, GatewayClient>();
  const regulators = new Map<CityId, GatewayClient>();
  const anonymous = new Map<CityId, GatewayClient>();
  const storeIds = new Map<CityId, string>();
  const ttlSeconds = 2 * 3600;
  // Development only: the demo regulator is an identity registered on the ledger, signing with a local key.
  const regulatorToken = await demoIdentityToken('regulator', options.urls, {
    ttlSeconds,
    ...(options.storeDirs ? { storeDirs: options.storeDirs } : {}),
  });
  for (const city of CITIES.map((c) => c.id)) {
    const storeDir = options.storeDirs?.[city];
    const store = storeDir ? { storeDir } : {};
    storeIds.set(city, await storeIdentity(city, storeDir));
    const baseUrl = options.urls[city];
    const operatorToken = await mintDevToken({ city, role: 'operator', subject: demoSubject(city), ttlSeconds, ...store });
    operators.set(city, new GatewayClient({ baseUrl, token: operatorToken }));
    regulators.set(city, new GatewayClient({ baseUrl, token: regulatorToken }));
    anonymous.set(city, new GatewayClient({ baseUrl }));
  }
  const pick = (map: Map<CityId, GatewayClient>, city: CityId): GatewayClient => {
    const client = map.get(city);
    if (!client) throw new Error(`no client for ${city}`);
    return client;
  };
  return {
    operator: (city) => pick(operators, city),
    regulator: (city) => pick(regulators, city),
    anonymous: (city) => pick(anonymous, city),
    url: (city) => options.urls[city],
    storeId: (city) => storeIds.get(city) ?? '',
    dates: options.dates,
    tally: new Tally(),
    log: options.log,
  };
}

/** The identity of a gateway store: a hash of the kid of its oldest key, which lives as long as the store. */
async function storeIdentity(city: CityId, storeDir: string | undefined): Promise<string> {
  const dir = storeDir ?? (await loadConfig({ city })).storeDir;
  const [oldest] = (await KeyStore.open(dir, city)).all();
  if (!oldest) throw new Error(`the ${city} gateway's store ${dir} holds no key: has the gateway run?`);
  return sha256Hex(oldest.kid).slice(0, 12);
}

/** The idempotency key of one demo request: stable across runs, distinct per purpose. */
export function demoKey(...parts: string[]): string {
  return ['jcc-demo', `v${DEMO_VERSION}`, ...parts].join(':');
}
