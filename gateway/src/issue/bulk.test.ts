import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJsonBytes, sha256Hex } from '@jcc/domain';
import { CompactSign } from 'jose';
import { KeyStore } from '../keys/keystore.js';
import { splitLineChunks } from '../lib/lines.js';
import { tempStore } from '../lib/testing.js';
import { documentTables, type DocumentTables } from '../store/documents.js';
import { WorkerSigner } from './batch-signer.js';
import { issueBulk, type BulkSummary } from './bulk.js';
import { decodeDocumentJws, signDocumentBytes } from './document-jws.js';
import { Issuer } from './issuer.js';
import { issueReportBody } from './request-schema.js';

const line = (n: number, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    subject: { kind: 'enterprise', uscc: '91350100M000100Y43' },
    reportType: 'publicCreditReport',
    content: { n },
    validUntil: '2099-01-01T00:00:00.000Z',
    anchor: 'batch',
    ...extra,
  });

async function* chunks(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('bulk issue', () => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  let keysDir: string;
  let keys: KeyStore;
  let tables: DocumentTables;
  let queued: number;
  let signer: WorkerSigner;

  const issuer = (withSigner: boolean): Issuer =>
    new Issuer({
      city: 'qingdao',
      secret: 'k'.repeat(32),
      keys,
      store: env.store,
      tables,
      clock: Date.now,
      ...(withSigner ? { signer } : {}),
      onQueued: (_mode, count) => (queued += count),
    });

  const run = async (i: Issuer, text: string, idempotency?: { scope: string; key: string }) => {
    let out = '';
    const summary = await issueBulk(splitLineChunks(chunks(text, 700), 64 * 1024), {
      issuer: i,
      schema: issueReportBody,
      issuedBy: 'op',
      ...(idempotency ? { idempotency } : {}),
      write: async (t) => void (out += t),
      maxBatch: 7,
    });
    return {
      summary,
      answers: out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    };
  };

  before(async () => {
    signer = new WorkerSigner(2);
  });
  after(() => signer.close());
  beforeEach(async () => {
    env = await tempStore();
    tables = documentTables(env.store);
    keysDir = await mkdtemp(join(tmpdir(), 'jcc-keys-'));
    keys = await KeyStore.open(keysDir, 'qingdao');
    queued = 0;
  });
  afterEach(async () => {
    await env.cleanup();
    await rm(keysDir, { recursive: true, force: true });
  });

  it('answers every line in order: stored documents, and each refused line with its own problem', async () => {
    const lines = [line(1), '{not json', line(3, { validUntil: '2020-01-01T00:00:00.000Z' }), line(4, { extra: 1 }), ''];
    for (let n = 6; n <= 40; n++) lines.push(line(n));
    const { summary, answers } = await run(issuer(true), lines.join('\n'));
    const last = answers.pop() as { summary: BulkSummary };
    assert.deepEqual(last.summary, { lines: 39, issued: 36, replayed: 0, refused: 3, complete: false });
    assert.deepEqual(summary, last.summary);
    assert.deepEqual(
      answers.map((a) => a.line),
      [1, 2, 3, 4, ...Array.from({ length: 35 }, (_, i) => i + 6)],
    );
    assert.equal((answers[1]?.problem as { status: number }).status, 400);
    assert.match((answers[2]?.problem as { detail: string }).detail, /validUntil/);
    assert.match((answers[3]?.problem as { detail: string }).detail, /extra/);
    assert.equal(queued, 36);
    for (const a of answers.filter((x) => 'id' in x)) {
      const stored = await tables.documents.get(a.id as string);
      assert.equal(stored?.jws, a.jws);
      assert.equal(stored?.contentHash, sha256Hex(a.jws as string));
      assert.equal(decodeDocumentJws(a.jws as string).document.content.n, JSON.parse(lines[(a.line as number) - 1] as string).content.n);
    }
    assert.equal(await tables.outbox.batch.count(), 36);
  });

  it('with an idempotency key, a re-sent upload answers the lines issued before with the same documents and issues none twice', async () => {
    const text = Array.from({ length: 20 }, (_, i) => line(i)).join('\n');
    const key = { scope: 'qingdao|op', key: 'upload-1' };
    const first = await run(issuer(false), text.split('\n').slice(0, 12).join('\n'), key);
    assert.equal(first.summary.issued, 12);
    const again = await run(issuer(true), text, key);
    assert.deepEqual(again.summary, { lines: 20, issued: 8, replayed: 12, refused: 0, complete: true });
    for (let i = 0; i < 12; i++) {
      assert.equal(again.answers[i]?.id, first.answers[i]?.id);
      assert.equal(again.answers[i]?.replayed, true);
    }
    assert.equal(await tables.outbox.batch.count(), 20);
    assert.equal(queued, 20);
    // A line changed under the same key is refused, not issued again.
    const changed = await run(issuer(true), [line(0, { content: { n: 'other' } })].join('\n'), key);
    assert.equal((changed.answers[0]?.problem as { status: number }).status, 422);
  });

  it('signs on worker threads exactly what node:crypto and jose give on the main thread', async () => {
    const key = keys.current('document');
    const payloads = Array.from({ length: 150 }, (_, i) => canonicalJsonBytes({ n: i, text: '胶东 '.repeat(i) }));
    const threaded = await signer.signMany(payloads, key);
    for (let i = 0; i < payloads.length; i += 37) {
      assert.equal(threaded[i], signDocumentBytes(payloads[i] as Uint8Array, key));
      const jose = await new CompactSign(payloads[i] as Uint8Array)
        .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'jcc-document+jws' })
        .sign(key.privateKey);
      assert.equal(threaded[i], jose);
    }
  });
});
