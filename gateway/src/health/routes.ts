import type { Router } from 'express';
import express from 'express';
import type { Services } from '../services.js';

/** `/healthz` (alive), `/readyz` (peer reachable, keys registered, index caught up, access log continuous) and `/metrics`. */
export function healthRouter(s: Services): Router {
  const router = express.Router();
  router.use((req, _res, next) => {
    req.routePath = req.path;
    next();
  });
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', city: s.city, accessLog: s.accessLog.state.state });
  });
  router.get('/readyz', (_req, res) => {
    const r = s.readiness();
    const ready = r.peerReachable && r.keysRegistered && r.indexCaughtUp && r.accessLogContinuous;
    const cp = s.index.checkpoint;
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not ready',
      city: s.city,
      ...r,
      index: {
        connected: s.index.connected,
        lagBlocks: s.index.progress.lagBlocks,
        checkpoint: cp ? { blockNumber: Number(cp.blockNumber), seq: cp.seq } : null,
      },
      outbox: { single: s.single.inFlight, batchWaiting: s.batch.waiting },
      accessLog: { log: s.accessLog.logId, size: s.accessLog.size, ...s.accessLog.state },
      verifySource: s.config.verify.source,
    });
  });
  router.get('/metrics', async (_req, res) => {
    s.metrics.indexLag.set(s.index.progress.lagBlocks);
    s.metrics.outbox.set({ mode: 'batch' }, s.batch.waiting);
    s.metrics.accessLogDiverged.set({ log: s.accessLog.logId }, s.accessLog.state.state === 'diverged' ? 1 : 0);
    res.setHeader('Content-Type', s.metrics.registry.contentType);
    res.send(await s.metrics.registry.metrics());
  });
  return router;
}
