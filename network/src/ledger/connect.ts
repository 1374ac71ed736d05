import { createPrivateKey } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { connect as connectGateway, type Gateway } from '@hyperledger/fabric-gateway';
import type { CityConnection, IdentityFiles } from './networkFile.js';
import { p256Signing } from './signer.js';

/** Deadlines of the Fabric Gateway calls (ms). */
export interface CallDeadlines {
  evaluateMs: number;
  endorseMs: number;
  submitMs: number;
  commitStatusMs: number;
}

/** Default deadlines: short for queries, generous for commits. */
export const DEFAULT_DEADLINES: CallDeadlines = { evaluateMs: 15_000, endorseMs: 30_000, submitMs: 30_000, commitStatusMs: 120_000 };

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** Call deadlines; missing members keep {@link DEFAULT_DEADLINES}. */
  deadlines?: Partial<CallDeadlines>;
  /**
   * When set, waits up to this long for the gRPC channel to be ready and
   * fails (closing it) otherwise; by default the channel connects lazily on the first call.
   */
  readyTimeoutMs?: number;
}

/** An open connection to a city's peer: the gRPC channel and the Fabric Gateway on top. */
export interface LedgerConnection {
  /** The MSP the connection signs as. */
  readonly mspId: string;
  readonly gateway: Gateway;
  readonly client: grpc.Client;
  /** Closes the gateway and the gRPC channel. */
  close(): void;
}

/** Reads a PEM file, or the single file in a folder (a Fabric MSP `keystore/` or `signcerts/`). */
export async function readPemFile(path: string): Promise<Buffer> {
  if ((await stat(path)).isDirectory()) {
    const first = (await readdir(path)).filter((f) => !f.startsWith('.')).sort()[0];
    if (!first) throw new Error(`${path} is an empty folder`);
    return readFile(join(path, first));
  }
  return readFile(path);
}

function waitForReady(client: grpc.Client, ms: number): Promise<void> {
  return new Promise((resolve, reject) => client.waitForReady(Date.now() + ms, (err) => (err ? reject(err) : resolve())));
}

/**
 * Connects to a city's peer over TLS (the peer's TLS root certificate, with
 * the host alias as the expected server name) as the identity whose
 * certificate and P-256 key files are given, signing with node:crypto
 * ({@link p256Signing}). The one way every part of the project reaches the ledger.
 */
export async function connect(city: CityConnection, identity: IdentityFiles, options: ConnectOptions = {}): Promise<LedgerConnection> {
  const deadlines = { ...DEFAULT_DEADLINES, ...options.deadlines };
  const [tlsRoot, certificate, keyPem] = await Promise.all([
    readPemFile(city.peer.tlsRootCertPath),
    readPemFile(identity.certPath),
    readPemFile(identity.keyPath),
  ]);
  const { hash, signer } = p256Signing(createPrivateKey(keyPem));
  const client = new grpc.Client(city.peer.endpoint, grpc.credentials.createSsl(tlsRoot), {
    ...(city.peer.hostAlias ? { 'grpc.ssl_target_name_override': city.peer.hostAlias, 'grpc.default_authority': city.peer.hostAlias } : {}),
    'grpc.max_receive_message_length': 64 * 1024 * 1024,
    'grpc.max_send_message_length': 64 * 1024 * 1024,
    'grpc.keepalive_time_ms': 30_000,
    'grpc.keepalive_timeout_ms': 10_000,
  });
  if (options.readyTimeoutMs !== undefined) {
    try {
      await waitForReady(client, options.readyTimeoutMs);
    } catch (err) {
      client.close();
      throw err;
    }
  }
  const gateway = connectGateway({
    client,
    identity: { mspId: city.mspId, credentials: certificate },
    signer,
    hash,
    evaluateOptions: () => ({ deadline: Date.now() + deadlines.evaluateMs }),
    endorseOptions: () => ({ deadline: Date.now() + deadlines.endorseMs }),
    submitOptions: () => ({ deadline: Date.now() + deadlines.submitMs }),
    commitStatusOptions: () => ({ deadline: Date.now() + deadlines.commitStatusMs }),
  });
  return {
    mspId: city.mspId,
    gateway,
    client,
    close() {
      gateway.close();
      client.close();
    },
  };
}
