import type { EvaluationImports } from './evaluations/import.js';
import type { Logger } from 'pino';
import type { AccessLog } from './access-log/log.js';
import type { RetentionSweeper } from './retention/sweeper.js';
import type { CityId } from '@jcc/domain';
import type { BatchAnchorer } from './anchor/batch-anchorer.js';
import type { SingleAnchorer } from './anchor/single-anchorer.js';
import type { GatewayConfig } from './config/config.js';
import type { Ledger } from './fabric/ledger.js';
import type { EventIndex } from './index/event-index.js';
import type { Issuer } from './issue/issuer.js';
import type { Notifications } from './notifications/notifications.js';
import type { KeyStore } from './keys/keystore.js';
import type { GatewayMetrics } from './http/metrics.js';
import type { Clock } from './lib/time.js';
import type { PeerGateways } from './peers/peer-gateways.js';
import type { DocumentTables } from './store/documents.js';
import type { Store } from './store/store.js';
import type { LedgerView } from './verify/ledger-view.js';
import type { Verifier } from './verify/verifier.js';

/** Readiness facts shown by `/readyz`. */
export interface Readiness {
  peerReachable: boolean;
  keysRegistered: boolean;
  indexCaughtUp: boolean;
}

/** Everything the routes use: one gateway's parts, wired together by `startGateway`. */
export interface Services {
  config: GatewayConfig;
  city: CityId;
  log: Logger;
  clock: Clock;
  secret: string;
  store: Store;
  tables: DocumentTables;
  keys: KeyStore;
  ledger: Ledger;
  index: EventIndex;
  /** The view verification and token checks read (index or peer, per configuration). */
  view: LedgerView;
  verifier: Verifier;
  issuer: Issuer;
  single: SingleAnchorer;
  batch: BatchAnchorer;
  peers: PeerGateways;
  /** Subscriptions, webhook deliveries and the event stream (docs/notifications.md). */
  notifications: Notifications;
  metrics: GatewayMetrics;
  /** Evaluation imports (bulk upload jobs). */
  imports: EvaluationImports;
  /** The access log (访问日志) of subject look-ups, document fetches and recognitions. */
  accessLog: AccessLog;
  /** Removes document bodies past the configured retention. */
  retention: RetentionSweeper;
  readiness(): Readiness;
}
