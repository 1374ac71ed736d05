import assert from 'node:assert/strict';
import { CodedError } from '@jcc/domain';
import { fakeContext } from './testing/fakeContext.js';
import { FakeChaincodeStub } from './testing/fakeStub.js';
import { FakeWorldState } from './testing/fakeWorldState.js';
import { OBJECT_TYPES } from './keys.js';
import { readAllKeys, readKeyPage, readPage } from './pagination.js';

/** A context over a world holding `count` evaluation keys of qingdao and a few of other types. */
function contextWith(count: number) {
  const world = new FakeWorldState();
  const setup = new FakeChaincodeStub(world, { txId: 'setup', timestampMillis: 0, mspId: 'QingdaoMSP', channelId: 'jiaodong' });
  for (let i = 0; i < count; i++) {
    world.values.set(
      setup.createCompositeKey(OBJECT_TYPES.evaluation, ['qingdao', `E-${String(i).padStart(3, '0')}`]),
      Buffer.from(String(i)),
    );
  }
  world.values.set(setup.createCompositeKey(OBJECT_TYPES.evaluation, ['yantai', 'E-000']), Buffer.from('y'));
  world.values.set(setup.createCompositeKey(OBJECT_TYPES.evaluationBySubject, ['ps1-x', 'qingdao', 'E-000']), Buffer.from('i'));
  const fresh = () =>
    fakeContext(new FakeChaincodeStub(world, { txId: 't', timestampMillis: 0, mspId: 'YantaiMSP', channelId: 'jiaodong' }), 'YantaiMSP');
  return { world, fresh };
}

describe('pagination over composite keys', () => {
  it('reads a range page by page, with attributes split, until the bookmark is empty', async () => {
    const { fresh } = contextWith(7);
    const ids: string[] = [];
    let bookmark = '';
    let pages = 0;
    do {
      const page = await readKeyPage(fresh(), OBJECT_TYPES.evaluation, ['qingdao'], { pageSize: 3, bookmark });
      assert.equal(page.fetched, page.entries.length);
      ids.push(...page.entries.map((e) => `${e.attributes[0]}/${e.attributes[1]}`));
      bookmark = page.bookmark;
      pages++;
    } while (bookmark !== '');
    assert.equal(pages, 3);
    assert.deepEqual(
      ids,
      ['E-000', 'E-001', 'E-002', 'E-003', 'E-004', 'E-005', 'E-006'].map((id) => `qingdao/${id}`),
    );
  });

  it('refuses a bookmark that does not belong to the range queried', async () => {
    const { fresh } = contextWith(3);
    const page = await readKeyPage(fresh(), OBJECT_TYPES.evaluation, [], { pageSize: 1, bookmark: '' });
    await assert.rejects(
      readKeyPage(fresh(), OBJECT_TYPES.evaluation, ['yantai'], { pageSize: 1, bookmark: page.bookmark }),
      (err: unknown) => {
        assert.ok(err instanceof CodedError);
        assert.equal(err.code, 'INVALID_ARGUMENT');
        assert.match(err.message, /bookmark/);
        return true;
      },
    );
    await assert.rejects(readKeyPage(fresh(), OBJECT_TYPES.evaluation, ['qingdao'], { pageSize: 1, bookmark: 'not-a-key' }), /bookmark/);
  });

  it('maps a page to records, skipping keys whose record is gone', async () => {
    const { fresh } = contextWith(4);
    const page = await readPage(fresh(), OBJECT_TYPES.evaluation, ['qingdao'], { pageSize: 4, bookmark: '' }, async (entry) =>
      entry.attributes[1] === 'E-002' ? undefined : Buffer.from(entry.value).toString(),
    );
    assert.deepEqual(page, { records: ['0', '1', '3'], bookmark: '', fetched: 4 });
  });

  it('reads a whole bounded range across pages of 200, and stops at the limit', async () => {
    const { fresh } = contextWith(450);
    assert.equal((await readAllKeys(fresh(), OBJECT_TYPES.evaluation, ['qingdao'])).length, 450);
    assert.equal((await readAllKeys(fresh(), OBJECT_TYPES.evaluation, ['qingdao'], 250)).length, 250);
    assert.equal((await readAllKeys(fresh(), OBJECT_TYPES.evaluation, ['rizhao'])).length, 0);
  });
});
