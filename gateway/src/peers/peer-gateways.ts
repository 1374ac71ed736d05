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
   * `GET path` at `city`'s gateway with a gateway token: the parsed JSON answer.
   *
   * @throws PeerGatewayError when the gateway does not answer, or answers with an error (its status kept).
   */
  async getJson<T>(city: CityId, path: string): Promise<T> {
    if (city === this.#o.city) throw new PeerGatewayError('a gateway does not call itself');
    const base = await this.url(city);
    let response: globalThis.Response;
    try {
      response = await fetch(`${base}${path}`, {
        headers: { authorization: `Bearer ${await this.token(city)}`, accept: 'application/json' },
        signal: AbortSignal.timeout(this.#o.timeoutMs),
      });
    } catch (err) {
      throw new PeerGatewayError(`the gateway of ${cityById(city).name} at ${base} did not answer: ${(err as Error).message}`);
    }
    if (!response.ok) {
      let detail = '';
      try {
        const problem = (await response.json()) as { detail?: string; title?: string };
        detail = problem.detail ?? problem.title ?? '';
      } catch {
        // not a problem document
      }
      throw new PeerGatewayError(
        `the gateway of ${cityById(city).name} answered ${response.status}${detail ? `: ${detail}` : ''}`,
        response.status,
      );
    }
    try {
      return (await response.json()) as T;
    } catch {
      throw new PeerGatewayError(`the gateway of ${cityById(city).name} sent no JSON`);
    }
  }

  /** Fetches one of `city`'s documents from its gateway (`GET /api/v1/documents/{id}`). */
  async fetchDocument(city: CityId, id: string): Promise<PeerDocument> {
    const body = await this.getJson<Partial<PeerDocument> & { contentHash?: string; bodyRemovedAt?: string }>(
      city,
      `/api/v1/documents/${encodeURIComponent(id)}`,
    );
    if (typeof body.jws !== 'string') {
      // Past the issuing city's retention only the hashes and the proof are left.
      if (body.bodyRemovedAt && typeof body.contentHash === 'string' && body.proof)
        throw new BodyRemovedError(
          `the gateway of ${cityById(city).name} removed the body of ${id} (retention)`,
          body.contentHash,
          body.proof,
        );
      throw new PeerGatewayError(`the gateway of ${cityById(city).name} sent no document`);
    }
    return body.proof ? { jws: body.jws, proof: body.proof } : { jws: body.jws };
  }
}
