/**
 * A verification worker thread (see {@link VerifyWorkers}): runs the
 * verification core over its copy of the index's tables in memory, kept
 * current by the changes the gateway's main thread sends, in order, before
 * each request. What the copy cannot answer (a record it lacks, an index
 * behind the ledger, a proof to fetch from another gateway, the reason of an own
 * document's revocation kept in the store) is handed back to
 * the main thread, which verifies that request itself with the peer as fallback.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { verifyDocument } from '@jcc/domain';
import { IndexView } from './index-view.js';
import type { LedgerView } from './ledger-view.js';
import { MemoryTables, type VerifyMaps } from './memory-tables.js';
import type { WorkerMessage, WorkerReply } from './worker-protocol.js';

/** Thrown by the hand-back view: the main thread must answer this request. */
class HandBack extends Error {
  override readonly name = 'HandBack';
}

const handBack = (): never => {
  throw new HandBack('the index copy cannot answer');
};

/** The fallback of the worker's view: everything the memory cannot answer goes back to the main thread. */
const mainThread: LedgerView = {
  source: 'index',
  height: handBack,
  key: handBack,
  document: handBack,
  batch: handBack,
  recognition: handBack,
  gatewayUrl: handBack,
};

const port = parentPort;
if (!port) throw new Error('verify-worker runs as a worker thread');
const memory = new MemoryTables((workerData as { maps: VerifyMaps }).maps);

port.on('message', (message: WorkerMessage) => {
  switch (message.type) {
    case 'changes':
      memory.apply(message.changes);
      return;
    case 'clear':
      memory.clear();
      return;
    case 'stop':
      port.close();
      return;
    case 'verify':
      void answer(message);
      return;
  }
});

port.postMessage({ ready: true });

async function answer(request: Extract<WorkerMessage, { type: 'verify' }>): Promise<void> {
  const lookups: string[] = [];
  const state = { caughtUp: request.caughtUp, height: request.height };
  const view = new IndexView(memory, state, mainThread, { onLookup: (source, kind) => lookups.push(`${source}:${kind}`) });
  let wantsProof = false;
  let wantsReason = false;
  let reply: WorkerReply;
  try {
    const verdict = await verifyDocument(request.bundle, view, {
      verifyingCity: request.verifyingCity,
      now: new Date(request.nowMs),
      ...(request.skewMs !== undefined ? { skewMs: request.skewMs } : {}),
      findProof: async () => {
        wantsProof = true;
        return undefined;
      },
      // The reason of an own document's status change is in the gateway's store, which the main thread reads.
      findStatusReason: async (status) => {
        if (status.city === request.verifyingCity) wantsReason = true;
        return undefined;
      },
    });
    reply =
      wantsProof || wantsReason
        ? { id: request.id, handBack: true, lookups }
        : { id: request.id, verdictJson: JSON.stringify(verdict), valid: verdict.valid, lookups };
  } catch (err) {
    reply =
      err instanceof HandBack
        ? { id: request.id, handBack: true, lookups }
        : { id: request.id, error: (err as Error).message ?? String(err), lookups };
  }
  port!.postMessage(reply);
}
