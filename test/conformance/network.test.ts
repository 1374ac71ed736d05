/**
 * The conformance vectors on the real network: their ledger facts are written
 * through the chaincode (the TEST-ONLY keys registered for Rizhao, the anchors,
 * batches and status changes submitted as Rizhao, the recognition decisions as
 * Weihai), then every door verifies each vector's bundle as Weihai: the
 * gateway's index path (POST /api/v1/verify on a gateway with verify source
 * `index`), its peer path (a gateway started with JCC_VERIFY_SOURCE=peer) and
 * `jcc verify --offline --as weihai`. All must give the vector's verdict,
 * check by check (the same the core gives, see core.test.ts).
 * Runs in the gateway suite (test/mocharc.gateway.json).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex, verdictSchema, type CityId, type DocumentView, type Verdict } from '@jcc/domain';
import { loadConfig } from '../../gateway/src/config/config.js';
import { startGateway, type RunningGateway } from '../../gateway/src/gateway.js';
import { call, callAt, dataDir, gateways, root, testEnv, testPort, until, waitReady } from '../gateway/harness.js';
import { loadVectors, verdictOutline, type ConformanceVector, type VectorLedger } from './vector.js';

const VERIFIER: CityId = 'weihai';
const PEER_PORT = testPort(VERIFIER) + 50;
const PEER_URL = `http://127.0.0.1:${PEER_PORT}`;

/** Every vector's facts, each once. */
function unionOf(vectors: ConformanceVector[]): VectorLedger {
  const out: VectorLedger = { keys: [], anchors: [], batches: [], statuses: [], recognitions: [] };
  for (const part of Object.keys(out) as (keyof VectorLedger)[]) {
    const seen = new Set<string>();
    for (const v of vectors)
      for (const fact of v.ledger[part] as object[]) {
        const id = JSON.stringify(fact);
        if (seen.has(id)) continue;
        seen.add(id);
        (out[part] as object[]).push(fact);
      }
  }
  return out;
}

/** Writes the facts through the cities' gateways' ledger connections; returns the highest block written. */
async function writeFacts(gws: Record<CityId, RunningGateway>, facts: VectorLedger): Promise<bigint> {
  let last = 0n;
  const submit = async (city: CityId, tx: Parameters<RunningGateway['services']['ledger']['submit']>[0], input: object) => {
    const committed = await gws[city].services.ledger.submit(tx, input);
    if (committed.blockNumber > last) last = committed.blockNumber;
  };
  for (const { city, use, jwk, validFrom, validTo } of facts.keys)
    await submit(city, 'cities:RegisterKey', { use, jwk, validFrom, ...(validTo ? { validTo } : {}) });
  for (const { city, ...anchor } of facts.anchors) await submit(city, 'reports:AnchorDocument', anchor);
  for (const { city, ...batch } of facts.batches) await submit(city, 'reports:AnchorBatch', batch);
  for (const { city, id, status, reasonHash, replacementId } of facts.statuses) {
    const view = await gws[city].services.ledger.evaluate<DocumentView>('reports:GetDocument', { city, id });
    if (view.status) continue; // written by an earlier run on this ledger
    if (status === 'revoked') await submit(city, 'reports:RevokeDocument', { id, reasonHash });
    else await submit(city, 'reports:SupersedeDocument', { id, reasonHash, replacementId });
  }
  // The ledger holds a reason's salted hash, never its text (here salted with a fixed prefix).
  for (const { recognisingCity, reason, ...decision } of facts.recognitions)
    await submit(recognisingCity, 'recognition:RecordRecognition', { ...decision, reasonHash: sha256Hex(`conformance:${reason}`) });
  return last;
}

/** Runs `jcc verify <bundle> --offline --as weihai --json`. */
function offline(file: string): Promise<{ code: number; verdict: Verdict; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(root, 'cli', 'bin', 'jcc.js'), 'verify', file, '--offline', '--as', VERIFIER, '--json'],
      { cwd: root, env: { ...process.env, NO_COLOR: '1' }, timeout: 110_000, maxBuffer: 8 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        try {
          resolve({ code, verdict: JSON.parse(stdout) as Verdict, stderr });
        } catch {
          reject(new Error(`jcc exited ${code} without a JSON verdict: ${stdout}\n${stderr}`));
        }
      },
    );
  });
}

describe('conformance vectors on the network: gateway index path, gateway peer path, jcc verify --offline', function () {
  this.timeout(600_000);
  const vectors = loadVectors();
  let peerGateway: RunningGateway | undefined;
  let work: string;

  before(async () => {
    const gws = await gateways();
    const config = await loadConfig({
      city: VERIFIER,
      env: { ...process.env, ...testEnv(VERIFIER, join(dataDir, `${VERIFIER}-peer-source`)), JCC_VERIFY_SOURCE: 'peer' },
      overrides: { port: PEER_PORT },
    });
    assert.equal(config.verify.source, 'peer');
    peerGateway = await startGateway(config, { log: (await import('pino')).default({ level: 'silent' }) });
    await waitReady(PEER_URL, 240_000);
    const last = await writeFacts(gws, unionOf(vectors));
    // the verifying city's peer holds every fact, and its gateway's index has applied them
    const index = gws[VERIFIER].services.index;
    await until(
      async () => ({ height: await gws[VERIFIER].services.ledger.chainHeight(), seen: index.progress.seenBlock, caughtUp: index.caughtUp }),
      (s) => s.height > last && s.seen !== undefined && s.seen >= last && s.caughtUp,
      60_000,
      `Weihai's peer and index at block ${last}`,
    );
    work = mkdtempSync(join(tmpdir(), 'jcc-conformance-'));
  });

  after(async () => {
    await peerGateway?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  for (const vector of vectors) {
    it(`${vector.name}: every door gives the vector's verdict, check by check`, async () => {
      const [index, peer] = await Promise.all([
        call<Verdict>(VERIFIER, 'POST', '/api/v1/verify', { body: vector.bundle }),
        callAt<Verdict>(PEER_URL, 'POST', '/api/v1/verify', { body: vector.bundle }),
      ]);
      const file = join(work, `${vector.name}.json`);
      writeFileSync(file, JSON.stringify(vector.bundle));
      const cli = await offline(file);

      assert.equal(index.status, 200, JSON.stringify(index.body));
      assert.equal(peer.status, 200, JSON.stringify(peer.body));
      for (const verdict of [index.body, peer.body, cli.verdict]) verdictSchema.parse(verdict);
      assert.equal(index.body.source, 'index');
      assert.equal(peer.body.source, 'peer');
      const detail = (v: Verdict) => JSON.stringify(v.checks, null, 1);
      assert.deepEqual(verdictOutline(index.body, vector), vector.expected, `index path: ${detail(index.body)}`);
      assert.deepEqual(verdictOutline(peer.body, vector), vector.expected, `peer path: ${detail(peer.body)}`);
      assert.deepEqual(verdictOutline(cli.verdict, vector), vector.expected, `jcc --offline: ${detail(cli.verdict)}`);
      assert.equal(cli.code, vector.expected.valid ? 0 : 1, `jcc exit code: ${cli.stderr}`);
      // the same ledger facts behind every door
      assert.deepEqual(peer.body.anchor, index.body.anchor);
      assert.deepEqual(cli.verdict.anchor, index.body.anchor);
    });
  }
});
