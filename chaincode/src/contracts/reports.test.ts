import assert from 'node:assert/strict';
import type { BatchRecord, DocumentAnchorRecord, DocumentStatusRecord, DocumentView, Page } from '@jcc/domain';
import { noOp, refused, singleEvent, succeeded } from '../lib/testing/assertions.js';
import { FakeLedger } from '../lib/testing/fakeLedger.js';
import {
  anchorInput,
  batchInput,
  contracts,
  documentKid,
  ed25519Jwk,
  hashOf,
  pseudonymOf,
  sm2Jwk,
  registerAllDocumentKeys,
  registerDocumentKey,
  type Contracts,
} from '../lib/testing/fixtures.js';

describe('reports contract', () => {
  let ledger: FakeLedger;
  let c: Contracts;

  beforeEach(async () => {
    ledger = new FakeLedger();
    c = contracts();
    await registerDocumentKey(ledger, c, 'qingdao');
  });

  describe('AnchorDocument', () => {
    it('anchors a document of the submitting city, emits DocumentAnchored and indexes it by subject', async () => {
      const input = anchorInput('qingdao', 'QD-2026-0001');
      const inv = await ledger.call('qingdao', c.reports, 'AnchorDocument', input);
      const record = succeeded<DocumentAnchorRecord>(inv);
      assert.deepEqual(record, {
        ...input,
        city: 'qingdao',
        issuedAt: '2026-11-01T00:00:00.000Z',
        validUntil: '2027-11-01T00:00:00.000Z',
        status: 'active',
        anchoredAt: inv.timestamp,
        txId: inv.txId,
      });
      const event = singleEvent(inv);
      assert.equal(event.name, 'DocumentAnchored');
      assert.deepEqual(event.payload, { ...record, city: 'qingdao', txId: inv.txId });
      assert.equal(inv.writes.size, 2, 'the anchor and its subject index entry');
    });

    it('is idempotent for the same content, even given without milliseconds, and a conflict for another hash', async () => {
      const input = anchorInput('qingdao', 'QD-1');
      const first = succeeded(await ledger.call('qingdao', c.reports, 'AnchorDocument', input));
      const again = await ledger.call('qingdao', c.reports, 'AnchorDocument', { ...input, issuedAt: '2026-11-01T00:00:00.000Z' });
      noOp(again);
      assert.deepEqual(again.result, first);
      refused(
        await ledger.call('qingdao', c.reports, 'AnchorDocument', { ...input, contentHash: 'f'.repeat(64) }),
        'CONFLICT',
        /contentHash/,
      );
      refused(
        await ledger.call('qingdao', c.reports, 'AnchorDocument', { ...input, validUntil: '2028-01-01T00:00:00Z' }),
        'CONFLICT',
        /validUntil/,
      );
    });

    it('lets two cities anchor documents with the same id, each in its own namespace', async () => {
      await registerDocumentKey(ledger, c, 'yantai');
      succeeded(await ledger.call('qingdao', c.reports, 'AnchorDocument', anchorInput('qingdao', 'same-id')));
      succeeded(await ledger.call('yantai', c.reports, 'AnchorDocument', anchorInput('yantai', 'same-id')));
    });

    it('needs a document key of the submitting city valid at issuedAt', async () => {
      const input = anchorInput('qingdao', 'QD-2');
      refused(await ledger.call('qingdao', c.reports, 'AnchorDocument', { ...input, kid: 'unknown' }), 'NOT_FOUND', /key qingdao\/unknown/);
      refused(await ledger.call('yantai', c.reports, 'AnchorDocument', input), 'NOT_FOUND', /key yantai\//);
      await ledger.ok('qingdao', c.cities, 'RegisterKey', { use: 'gateway', jwk: ed25519Jwk('qd-gw'), validFrom: '2026-01-01T00:00:00Z' });
      refused(
        await ledger.call('qingdao', c.reports, 'AnchorDocument', { ...input, kid: 'qd-gw' }),
        'INVALID_ARGUMENT',
        /kid: .*gateway key/,
      );
      refused(
        await ledger.call('qingdao', c.reports, 'AnchorDocument', { ...input, issuedAt: '2025-12-31T23:59:59Z' }),
        'INVALID_STATE',
        /not valid at issuedAt/,
      );
      await ledger.ok('qingdao', c.cities, 'RevokeKey', { kid: documentKid('qingdao'), revokedAt: '2026-10-01T00:00:00Z' });
      refused(await ledger.call('qingdao', c.reports, 'AnchorDocument', input), 'INVALID_STATE', /not valid at issuedAt/);
      succeeded(await ledger.call('qingdao', c.reports, 'AnchorDocument', { ...input, issuedAt: '2026-09-30T00:00:00Z' }));
    });

    it('stores and returns an SM3 content hash beside the SHA-256 when given; a different one is a conflict', async () => {
      const input = { ...anchorInput('qingdao', 'QD-SM3'), contentHashSm3: 'c'.repeat(64) };
      const record = succeeded<DocumentAnchorRecord>(await ledger.call('qingdao', c.reports, 'AnchorDocument', input));
      assert.equal(record.contentHashSm3, input.contentHashSm3);
      const view = await ledger.ok<DocumentView>('weihai', c.reports, 'GetDocument', { city: 'qingdao', id: 'QD-SM3' });
      assert.equal(view.anchor?.contentHashSm3, input.contentHashSm3);
      noOp(await ledger.call('qingdao', c.reports, 'AnchorDocument', input));
      refused(
        await ledger.call('qingdao', c.reports, 'AnchorDocument', { ...input, contentHashSm3: 'd'.repeat(64) }),
        'CONFLICT',
        /contentHashSm3/,
      );
      refused(
        await ledger.call('qingdao', c.reports, 'AnchorDocument', { ...input, contentHashSm3: undefined }),
        'CONFLICT',
        /contentHashSm3/,
      );
      refused(
        await ledger.call('qingdao', c.reports, 'AnchorDocument', { ...anchorInput('qingdao', 'QD-SM3b'), contentHashSm3: 'XYZ' }),
        'INVALID_ARGUMENT',
        /contentHashSm3: must be an SM3 digest/,
      );
      const plain = succeeded<DocumentAnchorRecord>(
        await ledger.call('qingdao', c.reports, 'AnchorDocument', anchorInput('qingdao', 'QD-plain')),
      );
      assert.equal('contentHashSm3' in plain, false, 'a document without it keeps the record as before');
    });

    it('anchors documents signed with an SM2 document key, with the same validity rules', async () => {
      const sm2 = { ...sm2Jwk(), kid: 'qingdao.document.sm2' };
      await ledger.ok('qingdao', c.cities, 'RegisterKey', { use: 'document', jwk: sm2, validFrom: '2026-06-01T00:00:00Z' });
      const input = { ...anchorInput('qingdao', 'QD-SM2'), kid: sm2.kid };
      refused(
        await ledger.call('qingdao', c.reports, 'AnchorDocument', { ...input, issuedAt: '2026-05-01T00:00:00Z' }),
        'INVALID_STATE',
        /not valid at issuedAt/,
      );
      succeeded(await ledger.call('qingdao', c.reports, 'AnchorDocument', input));
    });

    it('refuses validUntil not after issuedAt', async () => {
      const input = anchorInput('qingdao', 'QD-3');
      refused(
        await ledger.call('qingdao', c.reports, 'AnchorDocument', { ...input, validUntil: input.issuedAt }),
        'INVALID_ARGUMENT',
        /validUntil: must be later than issuedAt/,
      );
    });
  });

  describe('AnchorBatch', () => {
    it('anchors a batch root and emits BatchAnchored; idempotent; conflict on another root', async () => {
      const input = batchInput('qingdao.batch.1');
      const inv = await ledger.call('qingdao', c.reports, 'AnchorBatch', input);
      const record = succeeded<BatchRecord>(inv);
      assert.deepEqual(record, {
        ...input,
        city: 'qingdao',
        firstIssuedAt: '2026-11-01T00:00:00.000Z',
        lastIssuedAt: '2026-11-02T00:00:00.500Z',
        anchoredAt: inv.timestamp,
        txId: inv.txId,
      });
      const event = singleEvent(inv);
      assert.equal(event.name, 'BatchAnchored');
      assert.deepEqual(event.payload, { ...record, city: 'qingdao', txId: inv.txId });
      noOp(await ledger.call('qingdao', c.reports, 'AnchorBatch', input));
      refused(await ledger.call('qingdao', c.reports, 'AnchorBatch', { ...input, root: '0'.repeat(64) }), 'CONFLICT', /root/);
      const read = await ledger.ok<BatchRecord>('weihai', c.reports, 'GetBatch', { city: 'qingdao', batchId: input.batchId });
      assert.deepEqual(read, record);
    });

    it('refuses out-of-order issue times, a leaf count out of range and another leaf scheme', async () => {
      const input = batchInput('b');
      refused(
        await ledger.call('qingdao', c.reports, 'AnchorBatch', { ...input, lastIssuedAt: '2026-10-01T00:00:00Z' }),
        'INVALID_ARGUMENT',
        /lastIssuedAt/,
      );
      refused(await ledger.call('qingdao', c.reports, 'AnchorBatch', { ...input, leafCount: 0 }), 'INVALID_ARGUMENT', /leafCount/);
      refused(await ledger.call('qingdao', c.reports, 'AnchorBatch', { ...input, leafCount: 10_000_001 }), 'INVALID_ARGUMENT', /leafCount/);
      refused(await ledger.call('qingdao', c.reports, 'AnchorBatch', { ...input, leafCount: 2.5 }), 'INVALID_ARGUMENT', /leafCount/);
      refused(await ledger.call('qingdao', c.reports, 'AnchorBatch', { ...input, leafScheme: 'sha256' }), 'INVALID_ARGUMENT', /leafScheme/);
      succeeded(await ledger.call('qingdao', c.reports, 'AnchorBatch', { ...input, lastIssuedAt: input.firstIssuedAt }));
    });

    it('stores an SM3 root with its leaf scheme beside the SHA-256 root; idempotent; conflict on another SM3 root', async () => {
      const input = { ...batchInput('qingdao.batch.sm3'), rootSm3: 'e'.repeat(64), leafSchemeSm3: 'rfc9162-sm3/v1' };
      const record = succeeded<BatchRecord>(await ledger.call('qingdao', c.reports, 'AnchorBatch', input));
      assert.equal(record.rootSm3, input.rootSm3);
      assert.equal(record.leafSchemeSm3, 'rfc9162-sm3/v1');
      assert.deepEqual(await ledger.ok<BatchRecord>('weihai', c.reports, 'GetBatch', { city: 'qingdao', batchId: input.batchId }), record);
      noOp(await ledger.call('qingdao', c.reports, 'AnchorBatch', input));
      refused(await ledger.call('qingdao', c.reports, 'AnchorBatch', { ...input, rootSm3: 'a'.repeat(64) }), 'CONFLICT', /rootSm3/);
      refused(
        await ledger.call('qingdao', c.reports, 'AnchorBatch', { ...batchInput('other'), rootSm3: 'a'.repeat(64) }),
        'INVALID_ARGUMENT',
        /leafSchemeSm3: is required/,
      );
    });

    it('GetBatch answers NOT_FOUND for an unknown batch', async () => {
      refused(await ledger.call('qingdao', c.reports, 'GetBatch', { city: 'qingdao', batchId: 'none' }), 'NOT_FOUND');
    });
  });

  describe('RevokeDocument and SupersedeDocument', () => {
    beforeEach(async () => {
      await ledger.ok('qingdao', c.reports, 'AnchorDocument', anchorInput('qingdao', 'QD-10'));
      await ledger.ok('qingdao', c.reports, 'AnchorBatch', batchInput('qingdao.batch.7'));
    });

    it('revokes a single-anchored document: a status record, the anchor marked revoked, DocumentRevoked', async () => {
      const inv = await ledger.call('qingdao', c.reports, 'RevokeDocument', { id: 'QD-10', reasonHash: hashOf('发现报告内容有误') });
      const record = succeeded<DocumentStatusRecord>(inv);
      assert.deepEqual(record, {
        city: 'qingdao',
        id: 'QD-10',
        status: 'revoked',
        reasonHash: hashOf('发现报告内容有误'),
        at: inv.timestamp,
        txId: inv.txId,
      });
      const event = singleEvent(inv);
      assert.equal(event.name, 'DocumentRevoked');
      assert.deepEqual(event.payload, { ...record, city: 'qingdao', txId: inv.txId });
      const view = await ledger.ok<DocumentView>('yantai', c.reports, 'GetDocument', { city: 'qingdao', id: 'QD-10' });
      assert.equal(view.effectiveStatus, 'revoked');
      assert.deepEqual(view.status, record);
      assert.equal(view.anchor?.status, 'revoked');
      assert.equal(view.anchor?.statusTxId, inv.txId);
    });

    it('revokes a batch-anchored document named with its batch, rewriting the batch record unchanged', async () => {
      const batchBefore = await ledger.ok<BatchRecord>('qingdao', c.reports, 'GetBatch', { city: 'qingdao', batchId: 'qingdao.batch.7' });
      const inv = await ledger.call('qingdao', c.reports, 'RevokeDocument', {
        id: 'QD-in-batch',
        reasonHash: hashOf('withdrawn'),
        batchId: 'qingdao.batch.7',
      });
      const record = succeeded<DocumentStatusRecord>(inv);
      assert.equal(record.batchId, 'qingdao.batch.7');
      assert.equal(inv.writes.size, 2, 'the status record and the batch record');
      const batchAfter = await ledger.ok<BatchRecord>('qingdao', c.reports, 'GetBatch', { city: 'qingdao', batchId: 'qingdao.batch.7' });
      assert.deepEqual(batchAfter, batchBefore);
      const view = await ledger.ok<DocumentView>('yantai', c.reports, 'GetDocument', { city: 'qingdao', id: 'QD-in-batch' });
      assert.deepEqual(view, { status: record, effectiveStatus: 'revoked' });
    });

    it('refuses a document the ledger does not know (no anchor, no batch) and an unknown batch', async () => {
      refused(
        await ledger.call('qingdao', c.reports, 'RevokeDocument', { id: 'QD-unknown', reasonHash: hashOf('x') }),
        'NOT_FOUND',
        /batchId/,
      );
      refused(
        await ledger.call('qingdao', c.reports, 'RevokeDocument', { id: 'QD-unknown', reasonHash: hashOf('x'), batchId: 'nope' }),
        'NOT_FOUND',
        /batch qingdao\/nope/,
      );
    });

    it('refuses a replacement the ledger does not hold, and accepts one named with its batch', async () => {
      const before = ledger.snapshot();
      refused(
        await ledger.call('qingdao', c.reports, 'SupersedeDocument', {
          id: 'QD-10',
          replacementId: 'QD-nowhere',
          reasonHash: hashOf('reissued'),
        }),
        'UNKNOWN_REFERENCE',
        /replacementId: document qingdao\/QD-nowhere is not on the ledger/,
      );
      refused(
        await ledger.call('qingdao', c.reports, 'SupersedeDocument', {
          id: 'QD-10',
          replacementId: 'QD-nowhere',
          replacementBatchId: 'no-batch',
          reasonHash: hashOf('reissued'),
        }),
        'UNKNOWN_REFERENCE',
        /batch qingdao\/no-batch does not exist/,
      );
      assert.deepEqual(ledger.snapshot(), before);
      await ledger.ok('qingdao', c.reports, 'AnchorBatch', batchInput('QD-B-9'));
      const inv = await ledger.call('qingdao', c.reports, 'SupersedeDocument', {
        id: 'QD-10',
        replacementId: 'QD-in-batch',
        replacementBatchId: 'QD-B-9',
        reasonHash: hashOf('reissued'),
      });
      assert.equal(inv.error, undefined);
    });

    it('supersedes a document with its replacement; any second status change is INVALID_STATE', async () => {
      await ledger.ok('qingdao', c.reports, 'AnchorDocument', anchorInput('qingdao', 'QD-11'));
      const inv = await ledger.call('qingdao', c.reports, 'SupersedeDocument', {
        id: 'QD-10',
        replacementId: 'QD-11',
        reasonHash: hashOf('reissued'),
      });
      const record = succeeded<DocumentStatusRecord>(inv);
      assert.equal(record.status, 'superseded');
      assert.equal(record.replacementId, 'QD-11');
      const event = singleEvent(inv);
      assert.equal(event.name, 'DocumentSuperseded');
      assert.deepEqual(event.payload, { ...record, city: 'qingdao', txId: inv.txId });
      refused(
        await ledger.call('qingdao', c.reports, 'RevokeDocument', { id: 'QD-10', reasonHash: hashOf('again') }),
        'INVALID_STATE',
        /already superseded/,
      );
      refused(
        await ledger.call('qingdao', c.reports, 'SupersedeDocument', { id: 'QD-10', replacementId: 'QD-12', reasonHash: hashOf('again') }),
        'INVALID_STATE',
      );
    });

    it('refuses a revocation of a revoked document and a replacement equal to the document', async () => {
      await ledger.ok('qingdao', c.reports, 'RevokeDocument', { id: 'QD-10', reasonHash: hashOf('wrong') });
      refused(
        await ledger.call('qingdao', c.reports, 'RevokeDocument', { id: 'QD-10', reasonHash: hashOf('wrong') }),
        'INVALID_STATE',
        /already revoked/,
      );
      refused(
        await ledger.call('qingdao', c.reports, 'SupersedeDocument', { id: 'QD-x', replacementId: 'QD-x', reasonHash: hashOf('r') }),
        'INVALID_ARGUMENT',
        /replacementId/,
      );
    });

    it("another city naming Qingdao's document id acts in its own namespace and finds nothing to revoke", async () => {
      await registerDocumentKey(ledger, c, 'yantai');
      refused(
        await ledger.call('yantai', c.reports, 'RevokeDocument', { id: 'QD-10', reasonHash: hashOf('not ours') }),
        'NOT_FOUND',
        /yantai\/QD-10/,
      );
      const view = await ledger.ok<DocumentView>('weihai', c.reports, 'GetDocument', { city: 'qingdao', id: 'QD-10' });
      assert.equal(view.effectiveStatus, 'active');
    });
  });

  describe('GetDocument', () => {
    it('returns the anchor with status active, and NOT_FOUND for an unknown document', async () => {
      const anchor = await ledger.ok<DocumentAnchorRecord>('qingdao', c.reports, 'AnchorDocument', anchorInput('qingdao', 'QD-20'));
      const view = await ledger.ok<DocumentView>('rizhao', c.reports, 'GetDocument', { city: 'qingdao', id: 'QD-20' });
      assert.deepEqual(view, { anchor, effectiveStatus: 'active' });
      refused(await ledger.call('rizhao', c.reports, 'GetDocument', { city: 'yantai', id: 'QD-20' }), 'NOT_FOUND');
    });
  });

  describe('ListDocumentsBySubject', () => {
    it('pages through the anchors of one subject across cities (by city, then id), not those of others', async () => {
      await registerAllDocumentKeys(ledger, c);
      const expected: string[] = [];
      for (const city of ['yantai', 'qingdao', 'rizhao'] as const) {
        for (let i = 0; i < 4; i++) {
          await ledger.ok(city, c.reports, 'AnchorDocument', anchorInput(city, `doc-${i}`, 'beta'));
          expected.push(`${city}/doc-${i}`);
        }
        await ledger.ok(city, c.reports, 'AnchorDocument', anchorInput(city, 'other-subject', 'gamma'));
      }
      const seen: string[] = [];
      const bookmarks: string[] = [];
      let bookmark = '';
      do {
        const inv = await ledger.call('weifang', c.reports, 'ListDocumentsBySubject', {
          subjectPseudonym: pseudonymOf('beta'),
          pageSize: 5,
          bookmark,
        });
        noOp(inv);
        const page = inv.result as Page<DocumentAnchorRecord>;
        assert.equal(page.fetched, page.records.length);
        assert.ok(page.records.length <= 5);
        seen.push(...page.records.map((r) => `${r.city}/${r.id}`));
        bookmark = page.bookmark;
        bookmarks.push(bookmark);
      } while (bookmark !== '');
      assert.deepEqual(seen, [...expected].sort());
      assert.equal(bookmarks.length, 3, 'pages of 5, 5 and 2');
    });

    it('answers an empty page for an unknown subject, and refuses a bookmark of another query', async () => {
      await ledger.ok('qingdao', c.reports, 'AnchorDocument', anchorInput('qingdao', 'a', 'one'));
      await ledger.ok('qingdao', c.reports, 'AnchorDocument', anchorInput('qingdao', 'b', 'one'));
      const empty = await ledger.ok<Page<unknown>>('qingdao', c.reports, 'ListDocumentsBySubject', {
        subjectPseudonym: pseudonymOf('nobody'),
      });
      assert.deepEqual(empty, { records: [], bookmark: '', fetched: 0 });
      const first = await ledger.ok<Page<unknown>>('qingdao', c.reports, 'ListDocumentsBySubject', {
        subjectPseudonym: pseudonymOf('one'),
        pageSize: 1,
      });
      assert.notEqual(first.bookmark, '');
      refused(
        await ledger.call('qingdao', c.reports, 'ListDocumentsBySubject', {
          subjectPseudonym: pseudonymOf('two'),
          bookmark: first.bookmark,
        }),
        'INVALID_ARGUMENT',
        /bookmark/,
      );
      refused(
        await ledger.call('qingdao', c.reports, 'ListDocumentsBySubject', { subjectPseudonym: pseudonymOf('one'), pageSize: 201 }),
        'INVALID_ARGUMENT',
        /pageSize/,
      );
    });
  });
});
