import { createGatewayClient, GatewayProblemError, GatewayUnreachableError, ok, type GatewayClient } from '@jcc/client';
import { cityById, type CityId } from '@jcc/domain';
import { mintToken } from '../auth/tokens.js';
import type { KeyStore } from '../keys/keystore.js';
import type { ProofBundle } from '../verify/proof-schema.js';

/** A peer city's gateway could not give what was asked. */
export class PeerGatewayError extends Error {
  override readonly name = 'PeerGatewayError';
  /** HTTP status of the peer's answer, when it answered. */
  readonly status: number | undefined;

  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

/** What a peer gateway returns for one of its documents. */
export interface PeerDocument {
  jws: string;
  proof?: ProofBundle;
}

/**
 * The issuing gateway removed the document's body under its retention
 * setting: it still sends the content hash and the proof bundle, which is
 * all a verifier needs when the holder presents the document.
 */
export class BodyRemovedError extends PeerGatewayError {
  constructor(
    message: string,
    readonly contentHash: string,
    readonly proof: ProofBundle,
  ) {
    super(message, 200);
  }
}

/** What {@link PeerGateways} needs. */
export interface PeerGatewaysOptions {
  city: CityId;
  keys: KeyStore;
  /** URLs configured for peer gateways; win over the ledger. */
  overrides: Partial<Record<CityId, string>>;
  /** The URL a city recorded on the ledger. */
  ledgerUrl(city: CityId): Promise<string | undefined>;
  timeoutMs: number;
  tokenTtlSeconds: number;
}

/**
 * Calls other cities' gateways, authenticating with a `gateway` token signed
 * by this city's gateway key (which the ledger vouches for). A gateway is
 * found at its configured URL, else the URL its city recorded on the ledger,
 * else the local-network default port.
 */
export class PeerGateways {
  readonly #o: PeerGatewaysOptions;

  constructor(options: PeerGatewaysOptions) {
    this.#o = options;
  }

  /** The base URL of a city's gateway. */
  async url(city: CityId): Promise<string> {
    const configured = this.#o.overrides[city];
    if (configured) return configured.replace(/\/$/, '');
    const recorded = await this.#o.ledgerUrl(city).catch(() => undefined);
    if (recorded) return recorded.replace(/\/$/, '');
    return `http://127.0.0.1:${cityById(city).gatewayPort}`;
  }

  /** A fresh gateway token for calling `city`. */
  token(city: CityId): Promise<string> {
    return mintToken({
      key: this.#o.keys.current('gateway'),
      city: this.#o.city,
      role: 'gateway',
      audience: [city],
      subject: `gateway@${this.#o.city}`,
      ttlSeconds: this.#o.tokenTtlSeconds,
    });
  }

  /**
   * The client of `city`'s gateway, under a fresh gateway token (`@jcc/client`); `timeoutMs` defaults to the peer timeout.
   *
   * @throws PeerGatewayError when `city` is this gateway's own.
   */
  async client(city: CityId, timeoutMs = this.#o.timeoutMs): Promise<GatewayClient> {
    if (city === this.#o.city) throw new PeerGatewayError('a gateway does not call itself');
    return createGatewayClient({ baseUrl: await this.url(city), token: await this.token(city), timeoutMs });
  }

  /** Fetches one of `city`'s documents from its gateway (`GET /api/v1/documents/{id}`). */
  async fetchDocument(city: CityId, id: string): Promise<PeerDocument> {
    const client = await this.client(city);
    const body = await peerCall(city, ok(client.GET('/api/v1/documents/{id}', { params: { path: { id } } })));
    if (typeof body.jws !== 'string') {
      // Past the issuing city's retention only the hashes and the proof are left.
      if (body.bodyRemovedAt && body.proof)
        throw new BodyRemovedError(
          `the gateway of ${cityById(city).name} removed the body of ${id} (retention)`,
          body.contentHash,
          body.proof as ProofBundle,
        );
      throw new PeerGatewayError(`the gateway of ${cityById(city).name} sent no document`);
    }
    return body.proof ? { jws: body.jws, proof: body.proof as ProofBundle } : { jws: body.jws };
  }

  /** A free text `city`'s gateway keeps for a recognition, with its salt (`GET /api/v1/recognition-texts/{hash}`); unchecked. */
  async recognitionText(city: CityId, hash: string): Promise<unknown> {
    const client = await this.client(city);
    return peerCall(city, ok(client.GET('/api/v1/recognition-texts/{hash}', { params: { path: { hash } } })));
  }
}

/**
 * The answer of a call to `city`'s gateway; a failure becomes a
 * {@link PeerGatewayError} (with the status when the gateway answered).
 */
export async function peerCall<T>(city: CityId, pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (err) {
    if (err instanceof GatewayUnreachableError)
      throw new PeerGatewayError(`the gateway of ${cityById(city).name} at ${err.url} did not answer: ${err.reason}`);
    if (err instanceof GatewayProblemError) {
      const detail = err.problem?.detail ?? err.problem?.title ?? '';
      throw new PeerGatewayError(`the gateway of ${cityById(city).name} answered ${err.status}${detail ? `: ${detail}` : ''}`, err.status);
    }
    throw err;
  }
}
