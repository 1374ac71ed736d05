import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { EMPTY_TREE_ROOT, type TreeHeadRecord } from '@jcc/domain';
import { KeyStore } from '../keys/keystore.js';
import { ScriptedLedger, eventually, refusal, silentLog, tempStore } from '../lib/testing.js';
import { AccessLog, AccessLogDivergedError, type AccessEvent } from './log.js';

const lookup: AccessEvent = { action: 'subject-lookup', subjectPseudonym: 'ps1-test', principal: undefined };

/** A head record as the ledger would hold it. */
function head(log: string, treeSize: number, rootHash: string): TreeHeadRecord {
  return {
    city: 'qingdao',
    ...(log === 'qingdao' ? {} : { log }),
    treeSize,
    rootHash,
    timestamp: '2026-12-01T00:00:00Z',
    signedTreeHead: 'a.b.c',
    anchoredAt: '2026-12-01T00:00:01Z',
    txId: 'tx0',
  };
}

describe('access log: one writer per log (the store against the anchored head)', () => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  let keysDir: string;
  let keys: KeyStore;
  let ledger: ScriptedLedger;
  /** The head the ledger holds for the log (null: none). */
  let anchored: TreeHeadRecord | null;
  let lines: string[];

  const open = (logId: string) => {
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    return AccessLog.open('qingdao', env.store, { ledger, keys, clock: Date.now, log }, logId);
  };

  beforeEach(async () => {
    env = await tempStore();
    keysDir = await mkdtemp(join(tmpdir(), 'jcc-keys-'));
    keys = await KeyStore.open(keysDir, 'qingdao');
    anchored = null;
    lines = [];
    ledger = new ScriptedLedger()
      .script('accessLog:GetTreeHead', () => anchored ?? refusal('accessLog:GetTreeHead', 'NOT_FOUND', 'no head'))
      .script('accessLog:AnchorTreeHead', (input) => {
        anchored = head('qingdao-a', input.treeSize as number, input.rootHash as string);
        return anchored;
      });
  });
  afterEach(async () => {
    await env.cleanup();
    await rm(keysDir, { recursive: true, force: true });
  });

  it('checks a store that extends the anchored head as continuous and anchors heads naming its log', async () => {
    const log = await open('qingdao-a');
    for (let i = 0; i < 3; i++) await log.record(lookup);
    assert.deepEqual(await log.check(), { state: 'continuous' });
    const record = await log.anchor();
    assert.equal(record?.treeSize, 3);
    const submitted = ledger.calls.find((c) => c.transaction === 'accessLog:AnchorTreeHead');
    const payload = JSON.parse(Buffer.from(String(submitted?.input.signedTreeHead).split('.')[1] as string, 'base64url').toString('utf8'));
    assert.equal(payload.log, 'qingdao-a');
    assert.ok(ledger.calls.filter((c) => c.transaction === 'accessLog:GetTreeHead').every((c) => c.input.log === 'qingdao-a'));
    assert.equal((await log.entry(0))?.log, 'qingdao-a');
    await log.record(lookup);
    assert.equal((await log.anchor())?.treeSize, 4);
    assert.equal(log.state.state, 'continuous');
  });

  it('finds a wiped store diverged: the ledger holds more than the store, nothing is written or anchored', async () => {
    anchored = head('qingdao-a', 5, 'ab'.repeat(32));
    const log = await open('qingdao-a');
    const state = await log.check();
    assert.equal(state.state, 'diverged');
    assert.match(state.state === 'diverged' ? state.reason : '', /head of size 5 of the log qingdao-a, this store only 0 entries/);
    await assert.rejects(log.record(lookup), AccessLogDivergedError);
    await assert.rejects(log.anchor(), AccessLogDivergedError);
    assert.equal(log.size, 0);
    assert.equal(ledger.calls.filter((c) => c.transaction === 'accessLog:AnchorTreeHead').length, 0);
    assert.equal(lines.filter((l) => /access log diverged/.test(l)).length, 1, 'logged once');
  });

  it('finds a second writer diverged: its first entries do not give the anchored root', async () => {
    const log = await open('qingdao-a');
    for (let i = 0; i < 3; i++) await log.record(lookup);
    anchored = head('qingdao-a', 2, EMPTY_TREE_ROOT);
    const state = await log.check();
    assert.match(state.state === 'diverged' ? state.reason : '', /another gateway writes this log/);
  });

  it('takes a CONFLICT when anchoring as diverged, logs it once and never tries again', async () => {
    ledger.script('accessLog:AnchorTreeHead', () =>
      refusal('accessLog:AnchorTreeHead', 'CONFLICT', 'consistencyProof: the head is not an extension of the anchored head of size 23'),
    );
    const log = await open('qingdao-a');
    assert.equal((await log.check()).state, 'continuous');
    await log.record(lookup);
    await assert.rejects(log.anchor(), (err: unknown) => err instanceof AccessLogDivergedError && /size 23/.test(err.message));
    assert.equal(log.state.state, 'diverged');
    log.start(5);
    await new Promise((r) => setTimeout(r, 100));
    await log.stop();
    assert.equal(ledger.calls.filter((c) => c.transaction === 'accessLog:AnchorTreeHead').length, 1, 'not retried');
    assert.equal(lines.filter((l) => /access log diverged/.test(l)).length, 1);
    assert.ok(!lines.some((l) => /retrying/.test(l)));
  });

  it('finds a store that holds another log than the one it is set to write diverged at open', async () => {
    const first = await AccessLog.open('qingdao', env.store, { ledger, keys, clock: Date.now, log: silentLog }, 'qingdao');
    await first.record(lookup);
    const reopened = await open('qingdao-b');
    await eventually(() => reopened.state.state === 'diverged');
    assert.match(reopened.state.state === 'diverged' ? reopened.state.reason : '', /entries of the log qingdao, but .* the log qingdao-b/);
  });
});
