/**
 * End to end: the demo data of `npm start`, loaded twice through the running
 * city gateways (ports 8101-8105, as `npm run gateways` starts them). The
 * second load must write nothing, hand out the same sample documents and
 * leave no duplicate evaluation, list entry or document behind; the three
 * samples must verify as valid, revoked and tampered at another city's
 * gateway than the issuer's.
 *
 * Each load writes its marker and samples to a temporary folder: the first
 * starts without a marker, so reusing the data rests on the ledger and the
 * gateways, not on the marker.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGatewayClient, type RequestBody } from '@jcc/client';
import { CITIES, type CityId } from '@jcc/domain';
import { defaultGatewayUrls } from '../../scripts/demo/context.js';
import { demoIdentityToken } from '../../scripts/demo/identities.js';
import {
  ENTERPRISES,
  GatewayClient,
  LIST_ENTRIES,
  evaluationId,
  loadDemo,
  type DemoEnterprise,
  type DemoResult,
  type Sample,
} from '../../scripts/demo/index.js';

const url = (city: CityId): string => `http://127.0.0.1:${CITIES.find((c) => c.id === city)!.gatewayPort}`;

interface Verdict {
  valid: boolean;
  checks: Array<{ check: string; ok: boolean; detail: string }>;
  document: { id: string };
  verifiedBy: string;
}

interface Lookup {
  evaluations: Array<{ city: string; id: string }>;
  listEntries: Array<{ city: string; id: string }>;
  documents: Array<{ city: string; id: string }> | null;
}

/** What a regulator sees for each demo enterprise across the five cities. */
async function lookUpAll(regulator: GatewayClient): Promise<Map<string, Lookup>> {
  const out = new Map<string, Lookup>();
  for (const e of ENTERPRISES) {
    const answer = await regulator.post<Lookup>('/api/v1/subjects/lookup', { subject: { kind: 'enterprise', uscc: e.uscc } });
    out.set(e.key, answer.body);
  }
  return out;
}

const ids = (records: Array<{ city: string; id: string }> | null): string[] => (records ?? []).map((r) => `${r.city}/${r.id}`).sort();

async function verifyAt(city: CityId, sample: Sample): Promise<Verdict> {
  const body = JSON.parse(await readFile(sample.jsonFile, 'utf8')) as RequestBody<'verifyDocument'>;
  const { data, response } = await createGatewayClient({ baseUrl: url(city), errors: 'return' }).POST('/api/v1/verify', { body });
  assert.equal(response.status, 200, `POST /api/v1/verify at ${city} answered ${response.status}`);
  return data as unknown as Verdict;
}

const check = (verdict: Verdict, name: string) => {
  const found = verdict.checks.find((c) => c.check === name);
  assert.ok(found, `the verdict has no ${name} check`);
  return found;
};

describe('npm start demo data, loaded twice through the running gateways', function () {
  let outDir: string;
  let first: DemoResult;
  let second: DemoResult;
  let afterFirst: Map<string, Lookup>;
  let afterSecond: Map<string, Lookup>;
  let regulator: GatewayClient;

  before(async function () {
    for (const c of CITIES) {
      try {
        await fetch(`${url(c.id)}/healthz`, { signal: AbortSignal.timeout(3000) });
      } catch {
        throw new Error(`the ${c.id} gateway does not answer on ${url(c.id)}: start the gateways with \`npm run gateways\``);
      }
    }
    outDir = await mkdtemp(join(tmpdir(), 'jcc-e2e-demo-'));
    regulator = new GatewayClient({ baseUrl: url('weihai'), token: await demoIdentityToken('regulator', defaultGatewayUrls()) });
    first = await loadDemo({ outDir });
    afterFirst = await lookUpAll(regulator);
    second = await loadDemo({ outDir });
    afterSecond = await lookUpAll(regulator);
  });

  after(async function () {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('writes nothing the second time', function () {
    assert.equal(second.created, 0, `the second load wrote: ${JSON.stringify(second.tally)}`);
    assert.ok(second.reused >= 40, `the second load found only ${second.reused} records present`);
    assert.equal(second.epoch, first.epoch);
  });

  it('hands out the same sample documents and document ids', function () {
    for (const kind of ['valid', 'revoked', 'tampered'] as const) {
      assert.equal(second.samples[kind].documentId, first.samples[kind].documentId, `${kind} sample id`);
      assert.equal(second.samples[kind].jws, first.samples[kind].jws, `${kind} sample JWS`);
    }
    assert.deepEqual(
      second.documents.map((d) => d.id),
      first.documents.map((d) => d.id),
    );
    assert.equal(new Set(first.documents.map((d) => d.id)).size, first.documents.length, 'document ids are distinct');
  });

  it('leaves no duplicate evaluation, list entry or document for the demo enterprises', function () {
    const plannedEntries = (e: DemoEnterprise) => LIST_ENTRIES.filter((l) => l.enterprise === e.key).map((l) => `${e.city}/${l.id}`);
    for (const e of ENTERPRISES) {
      const a = afterFirst.get(e.key)!;
      const b = afterSecond.get(e.key)!;
      assert.deepEqual(ids(b.evaluations), ids(a.evaluations), `${e.key}: evaluations changed on the second load`);
      assert.deepEqual(ids(b.listEntries), ids(a.listEntries), `${e.key}: list entries changed on the second load`);
      assert.deepEqual(ids(b.documents), ids(a.documents), `${e.key}: anchored documents changed on the second load`);
      assert.deepEqual(
        ids(b.evaluations).filter((id) => id.includes('-ev-demo-')),
        [`${e.city}/${evaluationId(e)}`],
        `${e.key}: exactly one demo evaluation`,
      );
      assert.deepEqual(
        ids(b.listEntries).filter((id) => id.includes('-le-demo-')),
        plannedEntries(e).sort(),
        `${e.key}: the planned list entries, once each`,
      );
    }
  });

  it('writes each sample as {jws, proof?} JSON and as a bare .jws file', async function () {
    for (const kind of ['valid', 'revoked', 'tampered'] as const) {
      const sample = second.samples[kind];
      assert.ok(sample.jsonFile.startsWith(outDir) && existsSync(sample.jsonFile), `${kind}.json written`);
      const json = JSON.parse(await readFile(sample.jsonFile, 'utf8')) as { jws: string; proof?: unknown };
      assert.deepEqual(Object.keys(json).sort(), kind === 'valid' ? ['jws', 'proof'] : ['jws']);
      assert.equal((await readFile(sample.jwsFile, 'utf8')).trim(), json.jws);
      assert.equal(json.jws, sample.jws);
    }
    assert.equal(second.samples.valid.anchorMode, 'batch', 'the valid sample is batch-anchored (it carries a proof)');
    const marker = JSON.parse(await readFile(second.markerFile, 'utf8')) as { epoch: string; samples: Record<string, string> };
    assert.equal(marker.epoch, second.epoch);
    assert.equal(marker.samples.valid, second.samples.valid.documentId);
  });

  it('the valid sample verifies as valid at another city (Yantai)', async function () {
    const sample = second.samples.valid;
    assert.equal(sample.issuerCity, 'qingdao');
    const verdict = await verifyAt('yantai', sample);
    assert.equal(verdict.valid, true, JSON.stringify(verdict.checks));
    assert.equal(verdict.document.id, sample.documentId);
    assert.equal(verdict.verifiedBy, 'yantai');
    for (const name of ['signature', 'issuerKey', 'anchored', 'status', 'notExpired']) assert.equal(check(verdict, name).ok, true, name);
  });

  it('the revoked sample fails the status check, naming the revocation, at another city (Weihai)', async function () {
    const verdict = await verifyAt('weihai', second.samples.revoked);
    assert.equal(verdict.valid, false);
    assert.equal(check(verdict, 'signature').ok, true, 'the signature itself is fine');
    assert.equal(check(verdict, 'anchored').ok, true, 'it was anchored');
    const status = check(verdict, 'status');
    assert.equal(status.ok, false);
    assert.match(status.detail, /revoked/i);
  });

  it('the tampered sample fails the signature check at another city (Rizhao)', async function () {
    const verdict = await verifyAt('rizhao', second.samples.tampered);
    assert.equal(verdict.valid, false);
    assert.equal(check(verdict, 'signature').ok, false, JSON.stringify(verdict.checks));
  });
});
