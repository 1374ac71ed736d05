import assert from 'node:assert/strict';
import { LedgerRefusedError, LedgerUnavailableError } from '../fabric/errors.js';
import { tempStore } from '../lib/testing.js';
import { FreeTexts, textCommitment, textOf } from './free-text.js';

describe('free text kept off the ledger (FreeTexts)', () => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  let texts: FreeTexts;

  beforeEach(async () => {
    env = await tempStore();
    texts = new FreeTexts(env.store, 'unit-test-secret');
  });
  afterEach(() => env.cleanup());

  it('keeps the texts of a write the ledger accepts, and gives the write their salted hashes', async () => {
    const written = await texts.keep(
      { basis: ['qingdao|e-1|legalBasis', '依据第十条'], measures: ['qingdao|e-1|measures', ['限制招投标']] },
      async (h) => h,
    );
    const basis = await texts.reveal(written.basis);
    assert.ok(basis && 'text' in basis);
    assert.equal(textCommitment(basis.salt, basis.text), written.basis);
    assert.equal(textOf(basis), '依据第十条');
    assert.deepEqual(await texts.reveal(written.measures), { items: ['限制招投标'], salt: (await texts.reveal(written.measures))!.salt });
  });

  it('removes the texts it added when the ledger refuses the write: refused input leaves nothing behind', async () => {
    let hash = '';
    await assert.rejects(
      texts.keep({ note: ['qingdao|e-2|removal', '张三 手机 13800138000'] }, async (h) => {
        hash = h.note;
        assert.ok(await texts.reveal(h.note), 'kept while the write runs');
        throw new LedgerRefusedError('listEntries:RemoveEntry', 'NOT_FOUND', 'entry qingdao/e-2 does not exist');
      }),
      LedgerRefusedError,
    );
    assert.equal(await texts.reveal(hash), undefined);
  });

  it('keeps a text an earlier accepted write named, when a retry of it is refused', async () => {
    const first = await texts.keep({ note: ['qingdao|e-3|removal', 'credit repaired'] }, async (h) => h.note);
    await assert.rejects(
      texts.keep({ note: ['qingdao|e-3|removal', 'credit repaired'] }, async () => {
        throw new LedgerRefusedError('listEntries:RemoveEntry', 'INVALID_STATE', 'entry qingdao/e-3 is removed already');
      }),
    );
    assert.equal(textOf(await texts.reveal(first)), 'credit repaired');
  });

  it('keeps the texts when the outcome of the write is unknown (the ledger unreachable), for the retry', async () => {
    let hash = '';
    await assert.rejects(
      texts.keep({ note: ['qingdao|e-4|removal', 'court decision'] }, async (h) => {
        hash = h.note;
        throw new LedgerUnavailableError('listEntries:RemoveEntry', 'peer unreachable');
      }),
    );
    assert.equal(textOf(await texts.reveal(hash)), 'court decision');
  });
});
