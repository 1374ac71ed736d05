import { LEDGER_EVENTS } from '@jcc/domain';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { AccessLog } from './access-log/log.js';
import { RetentionSweeper } from './retention/sweeper.js';
import { BatchAnchorer } from './anchor/batch-anchorer.js';
import { SingleAnchorer } from './anchor/single-anchorer.js';
import { TokenVerifier } from './auth/tokens.js';
import { IdentityCache, ledgerIdentity } from './auth/identities.js';
import type { GatewayConfig } from './config/config.js';
import { cityConnection, readNetworkFile } from './config/network-file.js';
import { loadConsortiumSecret } from './config/secret.js';
import { connectToPeer, type FabricConnection } from './fabric/connection.js';
import { FabricLedger, type Ledger } from './fabric/ledger.js';
import type { CityView } from './fabric/records.js';
import { IDEMPOTENCY_RETENTION_MS, createApp } from './http/app.js';
import { IdempotencyCache } from './http/idempotency.js';
import { createLogger } from './http/logging.js';
import { DEFAULT_SERVER_LIMITS, createGatewayServer, type ServerLimits } from './http/server.js';
import { GatewayMetrics } from './http/metrics.js';
import { EventIndex } from './index/event-index.js';
import { WorkerSigner } from './issue/batch-signer.js';
import { DocumentService, statusReasonText } from './issue/document-service.js';
import { Issuer } from './issue/issuer.js';
import { FreeTexts } from './list-entries/free-text.js';
import { KeyStore } from './keys/keystore.js';
import { Notifications } from './notifications/notifications.js';
import { registerKeys } from './keys/registration.js';
import { backoffDelay } from './lib/backoff.js';
import { sleep, systemClock } from './lib/time.js';
import { PeerGateways } from './peers/peer-gateways.js';
import type { Readiness, Services } from './services.js';
import { documentTables } from './store/documents.js';
import { GATEWAY_UMASK, Store } from './store/store.js';
import { proofFinder } from './verify/find-proof.js';
import { IndexView, indexState } from './verify/index-view.js';
import { MemoryTables } from './verify/memory-tables.js';
import { VerifyWorkers } from './verify/verify-workers.js';
import { intervalWorker, loopWorker, named, Workers } from './lib/workers.js';
import { PeerView } from './verify/peer-view.js';
import { Verifier } from './verify/verifier.js';
import { EvaluationImports } from './evaluations/import.js';

/** Longest wait, per chunk, for the index to apply an evaluation import's chunks before the job is done (ms). */
const IMPORT_INDEX_WAIT_MS = 60_000;

/** Events after which identities read earlier may be stale. */
const IDENTITY_EVENTS: ReadonlySet<string> = new Set([
  LEDGER_EVENTS.identityProposed,
  LEDGER_EVENTS.identityApproved,
  LEDGER_EVENTS.identityRevoked,
]);

/** A running gateway. */
export interface RunningGateway {
  /** The base URL it listens at. */
  readonly url: string;
  readonly port: number;
  readonly services: Services;
  /** Stops serving, lets in-flight anchoring finish (bounded), closes the ledger connection and the store. */
  stop(): Promise<void>;
}

/** Options of {@link startGateway}. */
export interface StartOptions {
  /** Logger to use (default: JSON on stdout at the configured level). */
  log?: Logger;
  /** Ledger to use instead of connecting per the network description (tests of the wiring only). */
  ledger?: Ledger;
  /** HTTP time and connection limits (default {@link DEFAULT_SERVER_LIMITS}). */
  http?: Partial<ServerLimits>;
}

/**
 * Starts one city's gateway: opens its store and keys, connects to the
 * city's peer as the city's application identity, starts the event index,
 * registers its keys on the ledger (then starts anchoring), and serves HTTP.
 * The HTTP server answers at once; `/readyz` says when the gateway is ready.
 */
export async function startGateway(initial: GatewayConfig, options: StartOptions = {}): Promise<RunningGateway> {
  const config: GatewayConfig = structuredClone(initial);
  // Whatever the gateway writes (store, keys, secret) is for its own user only.
  process.umask(process.umask(GATEWAY_UMASK) | GATEWAY_UMASK);
  const city = config.city;
  const log = options.log ?? createLogger(city, config.logLevel);
  const secret = await loadConsortiumSecret(config.consortiumSecret, config.consortiumSecretFile);
  const store = await Store.open(config.storeDir);
  let connection: FabricConnection | undefined;
  let workersStarted: VerifyWorkers | undefined;
  try {
    const keys = await KeyStore.open(config.storeDir, city, undefined, { sm2: config.signatureSuite !== 'ed25519' });
    const metrics = new GatewayMetrics(city);
    let ledger = options.ledger;
    let networkFileStamp = 0;
    if (!ledger) {
      networkFileStamp = (await stat(config.networkFile).catch(() => undefined))?.mtimeMs ?? 0;
      const network = await readNetworkFile(config.networkFile);
      const { connection: cityConn, identity } = cityConnection(network, city, config.fabricUser);
      connection = await connectToPeer(cityConn, identity);
      ledger = new FabricLedger(
        connection.gateway.getNetwork(network.channel),
        network.chaincode,
        (call) => metrics.ledgerDuration.observe({ transaction: call.transaction, kind: call.kind, outcome: call.outcome }, call.seconds),
        {
          catchUp: { timeoutMs: config.catchUpTimeoutMs },
          onResend: (transaction) => {
            metrics.commitResends.inc({ transaction });
            log.warn({ transaction }, 'no commit status yet: the transaction was sent to the ordering service again');
          },
        },
      );
    }
    let onLedgerReset = (): void => undefined;
    let wakeNotifications = (): void => undefined;
    const identities = new IdentityCache((id) => ledgerIdentity(ledger, id));
    const fromIndex = config.verify.source === 'index';
    // Verification reads the index's tables from memory; the index keeps them (and the workers' copies) current.
    let memory: MemoryTables | undefined;
    let workers: VerifyWorkers | undefined;
    const index = await EventIndex.open(store, ledger, log.child({ part: 'index' }), {
      onEvent: (name) => {
        metrics.indexEvents.inc({ event: name });
        if (IDENTITY_EVENTS.has(name)) identities.clear();
        wakeNotifications();
      },
      onApplied: (ops) => {
        if (!memory) return;
        const changes = MemoryTables.changesOf(index.tables, ops);
        memory.apply(changes);
        workers?.apply(changes);
      },
      onLedgerReset: () => {
        identities.clear(); // identities read from the old ledger are not the new one's
        memory?.clear();
        workers?.clear();
        onLedgerReset();
      },
    });
    // Read once the index is open (opening may rebuild it); it applies no event before it is started.
    if (fromIndex) {
      memory = await MemoryTables.load(index.tables);
      log.info({ records: memory.sizes(), workers: config.verify.workers }, 'verification reads the index from memory');
    }
    const peerView = new PeerView(ledger);
    const onLookup = (source: 'index' | 'peer', kind: string): void => metrics.lookups.inc({ source, kind });
    const state = indexState(index);
    const view = memory ? new IndexView(memory, state, peerView, { onLookup }) : peerView;
    if (memory && config.verify.workers > 0) {
      workers = new VerifyWorkers(config.verify.workers, memory, log.child({ part: 'verify' }), (n) => metrics.verifyWorkersReady.set(n));
      workersStarted = workers;
    }
    const peers = new PeerGateways({
      city,
      keys,
      overrides: config.peers,
      ledgerUrl: (c) => view.gatewayUrl(c),
      timeoutMs: config.verify.peerTimeoutMs,
      tokenTtlSeconds: config.tokens.gatewayTtlSeconds,
    });
    const tables = documentTables(store);
    const texts = new FreeTexts(store, secret);
    const verifier = new Verifier({
      city,
      view,
      clock: systemClock,
      findProof: proofFinder(city, tables, peers, log),
      findStatusReason: (status) => statusReasonText(city, texts, status),
      ...(workers
        ? {
            workers: {
              pool: workers,
              state,
              onLookups: (lookups: string[]) => {
                for (const l of lookups) {
                  const [source, kind] = l.split(':') as ['index' | 'peer', string];
                  onLookup(source, kind);
                }
              },
            },
          }
        : {}),
    });
    const anchorObserver = {
      onAnchored: (mode: 'single' | 'batch', documents: number) => metrics.anchored.inc({ mode }, documents),
      onFailure: (mode: 'single' | 'batch') => metrics.anchorFailures.inc({ mode }),
    };
    const single = new SingleAnchorer(
      store,
      tables,
      ledger,
      log,
      { concurrency: config.anchor.singleConcurrency, pollMs: config.anchor.pollMs },
      anchorObserver,
    );
    const batch = new BatchAnchorer(
      store,
      tables,
      ledger,
      log,
      {
        city,
        maxSize: config.anchor.batchMaxSize,
        maxAgeMs: config.anchor.batchMaxAgeMs,
        concurrency: config.anchor.batchConcurrency,
        pollMs: config.anchor.pollMs,
      },
      anchorObserver,
    );
    await batch.init();
    const signer = config.signingThreads > 0 && config.signatureSuite === 'ed25519' ? new WorkerSigner(config.signingThreads) : undefined;
    const issuer = new Issuer({
      city,
      secret,
      keys,
      store,
      tables,
      clock: systemClock,
      suite: config.signatureSuite,
      sm2Id: config.sm2Id,
      ...(signer ? { signer } : {}),
      onQueued: (mode, count) => (mode === 'batch' ? batch.queued(count) : single.wake()),
    });
    const documents = new DocumentService({ city, issuer, tables, ledger, index, texts, clock: systemClock, log });
    const notifications = await Notifications.open({
      city,
      config,
      store,
      index: index.tables,
      log: log.child({ part: 'notifications' }),
      clock: systemClock,
      registry: metrics.registry,
    });
    wakeNotifications = () => notifications.wake();
    const imports = new EvaluationImports({
      city,
      secret,
      ledger,
      store,
      index: index.tables,
      spoolDir: join(config.storeDir, 'jobs'),
      chunkSize: config.bulk.chunkSize,
      inFlight: config.bulk.inFlight,
      log: log.child({ part: 'imports' }),
      onCommitted: (records) => metrics.bulkRecords.inc({ outcome: 'recorded' }, records),
      indexed: (transactionId) => index.waitForTransaction(transactionId, IMPORT_INDEX_WAIT_MS),
    });
    const accessLog = await AccessLog.open(
      city,
      store,
      { ledger, keys, clock: systemClock, log: log.child({ part: 'access-log' }) },
      config.accessLog.logId ?? city,
    );
    const retention = new RetentionSweeper({ store, tables, clock: systemClock, log, settings: config.retention });
    const ready: Omit<Readiness, 'accessLogContinuous'> = { peerReachable: false, keysRegistered: false, indexCaughtUp: false };
    const services: Services = {
      config,
      city,
      log,
      clock: systemClock,
      secret,
      store,
      tables,
      keys,
      ledger,
      index,
      view,
      verifier,
      documents,
      single,
      batch,
      peers,
      notifications,
      metrics,
      imports,
      accessLog,
      retention,
      readiness: () => ({ ...ready, indexCaughtUp: index.caughtUp, accessLogContinuous: accessLog.state.state === 'continuous' }),
    };
    const tokens = new TokenVerifier(city, {
      own: (kid) => keys.find(kid),
      registered: (c, kid) => view.key(c, kid),
      identity: (id) => identities.get(id),
    });
    const idempotency = new IdempotencyCache(store);
    const app = createApp(services, tokens, idempotency);

    const server = createGatewayServer(app, { ...DEFAULT_SERVER_LIMITS, ...options.http });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    if (initial.port === 0) config.publicUrl = config.publicUrl.replace(/:0(?=\/|$)/, `:${port}`);
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    log.info({ url, verifySource: config.verify.source, storeDir: config.storeDir }, 'gateway listening');

    const stopping = new AbortController();
    /** The gateway's background workers, started below and stopped at `stop()`. */
    const background = new Workers(log);
    const ledgerOf: Ledger = ledger;
    /** Registers the keys (retrying until the ledger takes them). */
    const registerAll = async (): Promise<void> => {
      ready.keysRegistered = false;
      for (let attempt = 1; !stopping.signal.aborted; attempt++) {
        try {
          const outcome = await registerKeys(ledgerOf, keys);
          ready.keysRegistered = true;
          for (const k of outcome.filter((o) => o.outcome === 'registered'))
            log.info({ kid: k.kid, use: k.use }, 'key registered on the ledger');
          return;
        } catch (err) {
          log.warn({ attempt, err: (err as Error).message }, 'key registration failed; retrying');
          await sleep(backoffDelay(attempt, { initialMs: 1000, maxMs: 30_000 }), stopping.signal).catch(() => undefined);
        }
      }
    };
    /** Compares the access log with its anchored head (retrying while the peer does not answer); a diverged log is logged once. */
    const checkAccessLog = async (): Promise<void> => {
      for (let attempt = 1; !stopping.signal.aborted; attempt++) {
        try {
          await accessLog.check();
          return;
        } catch (err) {
          log.warn({ attempt, err: (err as Error).message }, 'access log: cannot read its anchored head yet; retrying');
          await sleep(backoffDelay(attempt, { initialMs: 1000, maxMs: 30_000 }), stopping.signal).catch(() => undefined);
        }
      }
    };
    // A re-created network has none of our keys: register them again.
    onLedgerReset = () => void registerAll();
    background.start(named('index', index));
    background.start(named('notifications', notifications));
    background.start({
      name: 'evaluation-imports',
      start: () =>
        void imports.resume().catch((err: unknown) => log.error({ err: (err as Error).message }, 'evaluation imports: cannot resume')),
      stop: () => imports.stop(),
    });
    // Answers kept for idempotent retries are forgotten after a week.
    background.start(
      intervalWorker('idempotency-pruning', 3600_000, () =>
        idempotency
          .prune(Date.now() - IDEMPOTENCY_RETENTION_MS)
          .catch((err: unknown) => log.warn({ err: (err as Error).message }, 'idempotency pruning failed')),
      ),
    );
    // Peer reachability, for /readyz; and a new connection when the local network was re-created.
    background.start(
      loopWorker('peer-watch', async (signal) => {
        while (!signal.aborted) {
          try {
            await ledger.chainHeight();
            ready.peerReachable = true;
          } catch {
            ready.peerReachable = false;
            if (ledger instanceof FabricLedger) {
              const stamp = (await stat(config.networkFile).catch(() => undefined))?.mtimeMs ?? 0;
              if (stamp !== 0 && stamp !== networkFileStamp) {
                try {
                  const network = await readNetworkFile(config.networkFile);
                  const { connection: cityConn, identity } = cityConnection(network, city, config.fabricUser);
                  const fresh = await connectToPeer(cityConn, identity);
                  const old = connection;
                  connection = fresh;
                  ledger.useNetwork(fresh.gateway.getNetwork(network.channel), network.chaincode);
                  networkFileStamp = stamp;
                  log.warn('the network description changed: reconnected to the peer');
                  setTimeout(() => old?.close(), 30_000).unref();
                } catch (err) {
                  log.warn({ err: (err as Error).message }, 'cannot reconnect with the new network description yet');
                }
              }
            }
          }
          await sleep(ready.peerReachable ? 5000 : 2000, signal).catch(() => undefined);
        }
      }),
    );
    // Key registration, then the workers that need the keys on the ledger (anchoring, the access log), and the gateway URL on the ledger.
    background.start(
      loopWorker('registration', async (signal) => {
        await registerAll();
        if (signal.aborted) return;
        background.start(named('single-anchorer', single));
        background.start(named('batch-anchorer', batch));
        await checkAccessLog();
        if (signal.aborted) return;
        background.start({
          name: 'access-log-anchoring',
          start: () => accessLog.start(config.accessLog.anchorIntervalMs),
          stop: () => accessLog.stop(),
        });
        background.start(named('retention', retention));
        if (config.registerGatewayUrl) {
          try {
            const current = await ledger.evaluate<CityView>('cities:GetCity', { city });
            if (current.gatewayUrl !== config.publicUrl) {
              await ledger.submit('cities:SetGatewayUrl', { url: config.publicUrl });
              log.info({ url: config.publicUrl }, 'gateway URL recorded on the ledger');
            }
          } catch (err) {
            log.warn({ err: (err as Error).message }, 'could not record the gateway URL on the ledger');
          }
        }
      }),
    );

    let stopped: Promise<void> | undefined;
    return {
      url,
      port,
      services,
      stop() {
        stopped ??= (async () => {
          stopping.abort(new Error('stopping'));
          // Event streams end first, so that closing the server does not wait for them.
          const streamsEnded = services.notifications.stop();
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            setTimeout(() => server.closeAllConnections(), 2000).unref();
          });
          await streamsEnded;
          await background.stop();
          await signer?.close();
          await workers?.stop();
          connection?.close();
          await store.close();
          log.info('gateway stopped');
        })();
        return stopped;
      },
    };
  } catch (err) {
    await workersStarted?.stop();
    connection?.close();
    await store.close();
    throw err;
  }
}
