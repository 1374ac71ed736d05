import assert from 'node:assert/strict';
import { ACCESS_LOG_SCHEME, TREE_HEAD_FORMAT } from '@jcc/domain';
import { cityEndorsementPolicy } from '../lib/endorsementPolicy.js';
import { refused, singleEvent, succeeded, noOp } from '../lib/testing/assertions.js';
import { FakeLedger } from '../lib/testing/fakeLedger.js';
import { contracts, documentKid, registerAllDocumentKeys, type Contracts } from '../lib/testing/fixtures.js';
import { grow, headInput, rootOf, signHead, testLog, type TestLog } from '../lib/testing/treeHeads.js';
import { CITIES } from '@jcc/domain';

describe('accessLog contract: anchored tree heads of the access logs', () => {
  let ledger: FakeLedger;
  let c: Contracts;
  let log: TestLog;

  beforeEach(async () => {
    ledger = new FakeLedger();
    c = contracts();
    await registerAllDocumentKeys(ledger, c);
    log = await testLog(ledger, c, 'qingdao');
  });

  it('anchors a first head and consistent later ones, each owner-protected, and answers the latest or a given size', async () => {
    grow(log, 5);
    const first = await ledger.call('qingdao', c.accessLog, 'AnchorTreeHead', headInput(log, 0));
    const record = succeeded<{ treeSize: number; rootHash: string; city: string }>(first);
    assert.deepEqual([record.city, record.treeSize, record.rootHash], ['qingdao', 5, rootOf(log)]);
    assert.equal(singleEvent(first).name, 'AccessLogHeadAnchored');
    const policy = Buffer.from(cityEndorsementPolicy(CITIES[0] as (typeof CITIES)[number])).toString('hex');
    for (const value of first.validationParameters.values()) assert.equal(Buffer.from(value).toString('hex'), policy);
    assert.equal(first.validationParameters.size, 2, 'the head and the latest pointer are both protected');
    grow(log, 8);
    succeeded(await ledger.call('qingdao', c.accessLog, 'AnchorTreeHead', headInput(log, 5)));
    const latest = succeeded<{ treeSize: number; previousTreeSize: number }>(
      await ledger.call('weihai', c.accessLog, 'GetTreeHead', { city: 'qingdao' }),
    );
    assert.deepEqual([latest.treeSize, latest.previousTreeSize], [13, 5]);
    const older = succeeded<{ treeSize: number }>(
      await ledger.call('weihai', c.accessLog, 'GetTreeHead', { city: 'qingdao', treeSize: 5 }),
    );
    assert.equal(older.treeSize, 5);
    refused(await ledger.call('weihai', c.accessLog, 'GetTreeHead', { city: 'yantai' }), 'NOT_FOUND');
  });

  it('takes the same head again as a no-op', async () => {
    grow(log, 3);
    const input = headInput(log, 0);
    succeeded(await ledger.call('qingdao', c.accessLog, 'AnchorTreeHead', input));
    noOp(await ledger.call('qingdao', c.accessLog, 'AnchorTreeHead', input));
  });

  it('refuses a shrinking log, another root at the same size, and a head whose history was rewritten', async () => {
    grow(log, 6);
    succeeded(await ledger.call('qingdao', c.accessLog, 'AnchorTreeHead', headInput(log, 0)));
    const smaller = { ...log, entries: log.entries.slice(0, 4) };
    refused(await ledger.call('qingdao', c.accessLog, 'AnchorTreeHead', headInput(smaller, 0)), 'CONFLICT', /only grows/);
    const rewritten = { ...log, entries: [...log.entries] };
    rewritten.entries[2] = Buffer.alloc(32, 9);
    refused(await ledger.call('qingdao', c.accessLog, 'AnchorTreeHead', headInput(rewritten, 0)), 'CONFLICT', /another root/);
    grow(rewritten, 4);
    refused(await ledger.call('qingdao', c.accessLog, 'AnchorTreeHead', headInput(rewritten, 6)), 'CONFLICT', /not an extension/);
  });

  it('refuses a head of another city, one signed with an unregistered key or a fake-point key, and a forged signature', async () => {
    grow(log, 2);
    // Yantai submits Qingdao's head: the payload names Qingdao, the key is Qingdao's.
    refused(await ledger.call('yantai', c.accessLog, 'AnchorTreeHead', headInput(log, 0)), 'INVALID_ARGUMENT', /payload/);
    const unregistered = { ...log, kid: 'qingdao-unknown' };
    refused(await ledger.call('qingdao', c.accessLog, 'AnchorTreeHead', headInput(unregistered, 0)), 'NOT_FOUND');
    const input = headInput(log, 0);
    const [h, p] = input.signedTreeHead.split('.');
    const forged = { ...input, signedTreeHead: `${h}.${p}.${Buffer.alloc(64, 1).toString('base64url')}` };
    refused(await ledger.call('qingdao', c.accessLog, 'AnchorTreeHead', forged), 'INVALID_ARGUMENT', /signature/);
    const payload = {
      v: TREE_HEAD_FORMAT,
      city: 'qingdao',
      treeSize: 2,
      rootHash: rootOf(log),
      timestamp: input.timestamp,
      scheme: ACCESS_LOG_SCHEME,
    };
    const otherKid = {
      ...input,
      signedTreeHead: signHead(log, payload, { alg: 'EdDSA', kid: documentKid('qingdao'), typ: 'jcc-tree-head+jws' }),
    };
    refused(await ledger.call('qingdao', c.accessLog, 'AnchorTreeHead', otherKid), 'INVALID_ARGUMENT', /signature/);
    const asDocument = { ...input, signedTreeHead: signHead(log, payload, { alg: 'EdDSA', kid: log.kid, typ: 'jcc-document+jws' }) };
    refused(await ledger.call('qingdao', c.accessLog, 'AnchorTreeHead', asDocument), 'INVALID_ARGUMENT', /header/);
    refused(
      await ledger.call('qingdao', c.accessLog, 'AnchorTreeHead', { ...input, consistencyProof: [rootOf(log)] }),
      'INVALID_ARGUMENT',
      /first head/,
    );
  });
});
