import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PeerGatewayError } from '../peers/peer-gateways.js';
import type { Services } from '../services.js';
import { Store } from '../store/store.js';
import { RecognitionTexts } from './texts.js';

describe('recognition texts (reasons kept off the ledger)', () => {
  let dir: string;
  let store: Store;
  /** What the fake peer gateway answers for `GET /api/v1/recognition-texts/{hash}`. */
  let peerAnswer: (city: string, hash: string) => Promise<unknown>;
  let texts: RecognitionTexts;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jcc-recognition-texts-'));
    store = await Store.open(dir);
    const peers = { recognitionText: (city: string, hash: string) => peerAnswer(city, hash) };
    texts = new RecognitionTexts({ city: 'qingdao', store, secret: 'unit-test-secret', peers } as unknown as Services);
  });

  /** Keeps a text through a write that accepts it, answering the hash the write was given. */
  const commit = (scope: string, text: string) => texts.keep({ text: [scope, text] }, async (h) => h.text);

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the text here and gives the ledger SHA-256(salt ":" text), checkable with the salt', async () => {
    const hash = await commit('qingdao|rizhao|doc-1|recognitionReason', '核验一致 tel 13800138000');
    const served = await texts.serve('qingdao', hash);
    assert.ok('text' in served && 'salt' in served);
    assert.equal(served.text, '核验一致 tel 13800138000');
    assert.match(served.salt, /^[0-9a-f]{64}$/);
    assert.equal(createHash('sha256').update(`${served.salt}:${served.text}`).digest('hex'), hash);
    assert.equal(
      await commit('qingdao|rizhao|doc-1|recognitionReason', '核验一致 tel 13800138000'),
      hash,
      'a retry commits to the same hash',
    );
    assert.notEqual(
      await commit('qingdao|rizhao|doc-2|recognitionReason', '核验一致 tel 13800138000'),
      hash,
      'another record, another salt',
    );
  });

  it("reads another city's text from its gateway, only when it matches the ledger's hash", async () => {
    const salt = 'a'.repeat(64);
    const hash = createHash('sha256').update(`${salt}:不予互认`).digest('hex');
    peerAnswer = async () => ({ text: '另一段文字', salt });
    const forged = await texts.serve('weihai', hash);
    assert.deepEqual(Object.keys(forged).sort(), ['detail', 'heldBy']);
    assert.match((forged as { detail: string }).detail, /does not match/);
    // a refused answer is not kept: the next read asks again, and gets the genuine text
    let asked = 0;
    peerAnswer = async (city, askedFor) => {
      asked++;
      assert.equal(city, 'weihai');
      assert.equal(askedFor, hash);
      return { text: '不予互认', salt };
    };
    assert.deepEqual(await texts.serve('weihai', hash), { text: '不予互认', salt });
    // a checked text is kept: reading it again (a list page naming it twice) asks nobody
    assert.deepEqual(await texts.serve('weihai', hash), { text: '不予互认', salt });
    assert.equal(asked, 1);
  });

  it('says which city holds the text when its gateway cannot be reached', async () => {
    peerAnswer = async () => {
      throw new PeerGatewayError('the gateway of Weihai at http://127.0.0.1:1 did not answer: connect ECONNREFUSED');
    };
    const held = await texts.serve('weihai', 'b'.repeat(64));
    assert.equal((held as { heldBy: string }).heldBy, 'weihai');
    assert.match((held as { detail: string }).detail, /did not answer/);
  });
});
