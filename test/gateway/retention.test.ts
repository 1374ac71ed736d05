/**
 * Retention (数据留存), on the real network: a Qingdao gateway of its own,
 * configured to keep document bodies for two seconds after issue
 * (`JCC_RETENTION_BODY_DAYS`), removes the signed body and keeps the hashes,
 * the proof and the status; the document still verifies, at that gateway and
 * at Yantai's, when its holder presents it.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../gateway/src/config/config.js';
import { startGateway, type RunningGateway } from '../../gateway/src/gateway.js';
import { mintToken } from '../../gateway/src/auth/tokens.js';
import { REDACTED_PATHS } from '../../gateway/src/http/logging.js';
import { call, callAt, dataDir, gateways, runTag, testEnv, testUscc, until, waitReady } from './harness.js';

const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString();

describe('retention: document bodies removed past the configured period, verification unaffected', function () {
  this.timeout(180_000);
  let gw: RunningGateway;
  const port = Number(process.env.JCC_TEST_GATEWAY_PORT_BASE ?? 18100) + 91;
  const url = `http://127.0.0.1:${port}`;
  const uscc = testUscc(`RT${runTag}`);

  before(async function () {
    await gateways();
    const store = join(dataDir, 'qingdao-retention');
    const config = await loadConfig({
      city: 'qingdao',
      env: { ...process.env, ...testEnv('qingdao', store), JCC_RETENTION_BODY_DAYS: String(2 / 86_400), JCC_RETENTION_SWEEP_MS: '300' },
      overrides: { port },
    });
    assert.equal(config.retention.documentBodyDays, 2 / 86_400);
    const log = pino(
      { level: 'info', base: { city: 'qingdao' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
      pino.destination({ dest: join(dataDir, 'logs', 'qingdao-retention.log'), sync: true }),
    );
    gw = await startGateway(config, { log });
    await waitReady(url, 180_000);
  });

  after(async function () {
    await gw?.stop();
  });

  for (const anchor of ['single', 'batch'] as const) {
    it(`removes the body of a ${anchor}-anchored document, keeps its hashes and proof, and still verifies it`, async function () {
      const op = await mintToken({ key: gw.services.keys.current('gateway'), city: 'qingdao', role: 'operator', ttlSeconds: 600 });
      const issued = await callAt<{ id: string; jws: string }>(url, 'POST', '/api/v1/reports', {
        token: op,
        body: {
          subject: { kind: 'enterprise', uscc },
          reportType: 'noViolationCertificate',
          content: { bid: 'retention test' },
          validUntil: inAYear(),
          anchor,
        },
      });
      assert.equal(issued.status, 202);
      const doc = issued.body;
      const state = async () => (await callAt(url, 'GET', `/api/v1/reports/${doc.id}`, { token: op })).body;
      const anchored = await until(state, (s) => s.state === 'anchored', 60_000, 'anchored');
      const bundle = { jws: doc.jws, ...(anchored.proof ? { proof: anchored.proof } : {}) };
      const removed = await until(state, (s) => s.bodyRemovedAt !== undefined, 30_000, 'body removed');
      assert.equal(removed.jws, undefined, 'the body is gone');
      assert.equal(removed.contentHash, anchored.contentHash, 'the hash is kept');
      assert.deepEqual(removed.proof, anchored.proof, 'the proof is kept');
      const stored = await gw.services.tables.documents.get(doc.id);
      assert.ok(stored && !JSON.stringify(stored).includes(uscc), 'no identifier left in the stored record');
      assert.equal(stored.requestHash, undefined);

      // The holder presents the document: at the issuing gateway (bare JWS: its own proof is found), and at Yantai.
      const here = (await callAt(url, 'POST', '/api/v1/verify', { token: op, body: { jws: doc.jws } })).body;
      assert.equal(here.valid, true, JSON.stringify(here.checks));
      const yantai = await call('yantai', 'POST', '/api/v1/verify', { body: bundle });
      assert.equal(yantai.body.valid, true, JSON.stringify(yantai.body.checks));
      // The same document with one signature byte changed still fails. (Rewriting the last
      // base64url characters could reproduce the original signature, once in 256 runs.)
      const [h, p, sig] = doc.jws.split('.') as [string, string, string];
      const bytes = Buffer.from(sig, 'base64url');
      bytes[0] = bytes[0]! ^ 0x01;
      const forged = `${h}.${p}.${bytes.toString('base64url')}`;
      const bad = await call('yantai', 'POST', '/api/v1/verify', { body: { ...bundle, jws: forged } });
      assert.equal(bad.body.valid, false);
    });
  }
});
