import assert from 'node:assert/strict';
import { ChaincodeStub as ShimStub } from 'fabric-shim';
import { FakeChaincodeStub } from './fakeStub.js';
import { compareKeys, FakeWorldState } from './fakeWorldState.js';

const realStub = ShimStub.prototype as unknown as {
  createCompositeKey(objectType: string, attributes: string[]): string;
  splitCompositeKey(key: string): { objectType: string; attributes: string[] };
};

function stubOver(world: FakeWorldState, timestampMillis = Date.UTC(2026, 10, 26, 8, 30, 15, 123)): FakeChaincodeStub {
  return new FakeChaincodeStub(world, { txId: 'tx1', timestampMillis, mspId: 'QingdaoMSP', channelId: 'jiaodong' });
}

/** A world state holding `keys` (values are the keys' own UTF-8 bytes). */
function worldWith(keys: string[]): FakeWorldState {
  const world = new FakeWorldState();
  for (const key of keys) world.values.set(key, Buffer.from(key));
  return world;
}

describe('FakeChaincodeStub', () => {
  it('builds and splits composite keys exactly as fabric-shim does', () => {
    const stub = stubOver(new FakeWorldState());
    for (const [type, attributes] of [
      ['document', ['qingdao', 'QD-1']],
      ['document~subject', [`ps1-${'a'.repeat(64)}`, 'yantai', 'x.y:z']],
      ['agency', []],
      ['城市', ['青岛', '😀']],
    ] as [string, string[]][]) {
      const key = stub.createCompositeKey(type, attributes);
      assert.equal(key, realStub.createCompositeKey.call(realStub, type, attributes));
      assert.deepEqual(stub.splitCompositeKey(key), realStub.splitCompositeKey.call(realStub, key));
      assert.deepEqual(stub.splitCompositeKey(key), { objectType: type, attributes });
    }
    assert.throws(() => stub.createCompositeKey('t', ['a\u0000b']));
    assert.throws(() => stub.createCompositeKey('t', ['']));
  });

  it('orders keys by their UTF-8 bytes, as the state database does', () => {
    // U+FF61 is one UTF-16 unit above the surrogates of U+1F600, but below it in UTF-8.
    assert.ok('\u{1F600}' < '\uFF61', 'UTF-16 order');
    assert.ok(compareKeys('\uFF61', '\u{1F600}') < 0, 'UTF-8 order');
    assert.deepEqual(worldWith(['\u{1F600}', '\uFF61', 'a']).sortedKeys(), ['a', '\uFF61', '\u{1F600}']);
  });

  it('gives the transaction timestamp with nanoseconds and the transaction id', () => {
    const stub = stubOver(new FakeWorldState());
    const ts = stub.getTxTimestamp();
    assert.equal(ts.seconds.toNumber(), Math.floor(Date.UTC(2026, 10, 26, 8, 30, 15) / 1000));
    assert.equal(ts.nanos, 123_000_000);
    assert.equal(stub.getTxID(), 'tx1');
    assert.equal(stub.getDateTimestamp().toISOString(), '2026-11-26T08:30:15.123Z');
  });

  it('reads the committed state only, never the transaction’s own writes', async () => {
    const world = worldWith(['k']);
    const stub = stubOver(world);
    await stub.putState('k', Buffer.from('new'));
    await stub.putState('n', Buffer.from('created'));
    assert.equal(Buffer.from(await stub.getState('k')).toString(), 'k');
    assert.equal((await stub.getState('n')).length, 0);
    world.apply(stub.writes, stub.validationParameterWrites);
    assert.equal(Buffer.from(world.values.get('k') as Uint8Array).toString(), 'new');
  });

  it('pages through a partial composite key range with inclusive bookmarks, empty after the last page', async () => {
    const stub0 = stubOver(new FakeWorldState());
    const keys = ['a', 'b', 'c', 'd', 'e'].map((x) => stub0.createCompositeKey('t', ['p', x]));
    const world = worldWith([...keys, stub0.createCompositeKey('t', ['q', 'a']), stub0.createCompositeKey('u', ['p', 'a'])]);
    const pages: string[][] = [];
    let bookmark = '';
    do {
      const stub = stubOver(world);
      const { iterator, metadata } = await stub.getStateByPartialCompositeKeyWithPagination('t', ['p'], 2, bookmark);
      const page: string[] = [];
      for (let next = await iterator.next(); !next.done; next = await iterator.next())
        page.push(stub.splitCompositeKey(next.value.key).attributes[1] as string);
      assert.equal(metadata.fetchedRecordsCount, page.length);
      pages.push(page);
      bookmark = metadata.bookmark;
      if (bookmark !== '') assert.equal(bookmark, keys[pages.flat().length], 'the bookmark is the next key');
    } while (bookmark !== '');
    assert.deepEqual(pages, [['a', 'b'], ['c', 'd'], ['e']]);
    const exact = await stubOver(world).getStateByPartialCompositeKeyWithPagination('t', ['p'], 5, '');
    assert.equal(exact.metadata.bookmark, '', 'a page ending exactly at the last key has no bookmark');
  });

  it('refuses a paginated query after a write, and a write after a paginated query, as Fabric does', async () => {
    const world = worldWith([]);
    const writer = stubOver(world);
    await writer.putState('k', Buffer.from('v'));
    assert.throws(() => writer.getStateByPartialCompositeKeyWithPagination('t', [], 1, ''), /not allowed/);
    const reader = stubOver(world);
    await reader.getStateByPartialCompositeKeyWithPagination('t', [], 1, '');
    await assert.rejects(reader.putState('k', Buffer.from('v')), /not allowed/);
    await assert.rejects(reader.setStateValidationParameter('k', Buffer.from('p')), /not allowed/);
  });

  it('refuses unpaginated range queries, so no code can scan the state unbounded', () => {
    const stub = stubOver(new FakeWorldState());
    assert.throws(() => stub.getStateByPartialCompositeKey(), /not supported/);
    assert.throws(() => stub.getStateByRange(), /not supported/);
    assert.throws(() => stub.getQueryResult(), /not supported/);
  });

  it('captures every event and every key-level policy; an empty value deletes the key and its policy', async () => {
    const world = worldWith(['old']);
    world.validationParameters.set('old', Buffer.from('policy'));
    const stub = stubOver(world);
    stub.setEvent('A', Buffer.from('1'));
    stub.setEvent('B', Buffer.from('2'));
    assert.deepEqual(
      stub.events.map((e) => e.name),
      ['A', 'B'],
    );
    await stub.putState('new', Buffer.from('v'));
    await stub.setStateValidationParameter('new', Buffer.from('p'));
    await stub.putState('old', new Uint8Array(0));
    world.apply(stub.writes, stub.validationParameterWrites);
    assert.deepEqual(world.sortedKeys(), ['new']);
    assert.equal(Buffer.from(await stubOver(world).getStateValidationParameter('new')).toString(), 'p');
    assert.equal(world.validationParameters.has('old'), false);
  });
});
