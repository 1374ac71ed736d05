import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as grpc from '@grpc/grpc-js';
import { connect, hash, signers, type Gateway } from '@hyperledger/fabric-gateway';
import type { CityConnection } from '../config/network-file.js';

/** Deadlines of the Fabric Gateway calls (ms). */
export interface CallDeadlines {
  evaluateMs: number;
  endorseMs: number;
  submitMs: number;
  commitStatusMs: number;
}

/** Default deadlines: short for queries, generous for commits. */
export const DEFAULT_DEADLINES: CallDeadlines = { evaluateMs: 15_000, endorseMs: 30_000, submitMs: 30_000, commitStatusMs: 120_000 };

/** An open connection to a city's peer: the gRPC client and the Fabric Gateway on top. */
export interface FabricConnection {
  readonly gateway: Gateway;
  readonly client: grpc.Client;
  /** Closes the gateway and the gRPC channel. */
  close(): void;
}

/**
 * Connects to the city's peer over TLS (the peer's TLS root certificate, with
 * the host alias as the expected server name) as the identity whose
 * certificate and key files are given.
 */
export async function connectToPeer(
  connection: CityConnection,
  identityFiles: { certPath: string; keyPath: string },
  deadlines: CallDeadlines = DEFAULT_DEADLINES,
): Promise<FabricConnection> {
  const [tlsRoot, certificate, keyPem] = await Promise.all([
    readFile(connection.peer.tlsRootCertPath),
    readFile(identityFiles.certPath),
    readFile(identityFiles.keyPath),
  ]);
  const client = new grpc.Client(connection.peer.endpoint, grpc.credentials.createSsl(tlsRoot), {
    'grpc.ssl_target_name_override': connection.peer.hostAlias,
    'grpc.default_authority': connection.peer.hostAlias,
    'grpc.max_receive_message_length': 64 * 1024 * 1024,
    'grpc.max_send_message_length': 64 * 1024 * 1024,
    'grpc.keepalive_time_ms': 30_000,
    'grpc.keepalive_timeout_ms': 10_000,
  });
  const gateway = connect({
    client,
    identity: { mspId: connection.mspId, credentials: certificate },
    signer: signers.newPrivateKeySigner(createPrivateKey(keyPem)),
    hash: hash.sha256,
    evaluateOptions: () => ({ deadline: Date.now() + deadlines.evaluateMs }),
    endorseOptions: () => ({ deadline: Date.now() + deadlines.endorseMs }),
    submitOptions: () => ({ deadline: Date.now() + deadlines.submitMs }),
    commitStatusOptions: () => ({ deadline: Date.now() + deadlines.commitStatusMs }),
  });
  return {
    gateway,
    client,
    close() {
      gateway.close();
      client.close();
    },
  };
}
