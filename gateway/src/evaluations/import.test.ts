import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { usccCheckCharacter } from '@jcc/domain';
import { evaluationChunkTables } from '../index/evaluation-chunks.js';
import { ScriptedLedger, silentLog, tempStore } from '../lib/testing.js';
import { EvaluationImports } from './import.js';

/** A validUntil a year ahead: evaluations already expired are refused. */
const inAYear = new Date(Date.now() + 365 * 86_400_000).toISOString();
const USCC = ['91370200MA0001X9K', '91370200MA0002X9K', '91370200MA0003X9K'].map((b) => b + usccCheckCharacter(b));
const line = (i: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    subject: { kind: 'enterprise', uscc: USCC[i % USCC.length] },
    scheme: 'qd-2026',
    grade: 'A',
    periodStart: '2026-01-01',
    periodEnd: '2026-06-30',
    validUntil: inAYear,
    id: `qingdao-ev-${i}`,
    ...extra,
  });
const body = (lines: string[]) => Readable.from([Buffer.from(lines.join('\n') + '\n')]);

describe('evaluation imports', () => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    env = await tempStore();
  });
  afterEach(() => env.cleanup());

  const imports = (ledger: ScriptedLedger, chunkSize = 2) =>
    new EvaluationImports({
      city: 'qingdao',
      secret: 's'.repeat(32),
      ledger,
      store: env.store,
      index: evaluationChunkTables(env.store),
      spoolDir: join(env.dir, 'jobs'),
      chunkSize,
      inFlight: 2,
      log: silentLog,
    });

  it('records valid lines in chunks and lists the rejected ones by line number, without any identifier on the ledger', async () => {
    const ledger = new ScriptedLedger().script('evaluations:RecordEvaluationChunk', () => ({}));
    const jobs = imports(ledger);
    const texts = [line(1), line(2), 'not json', line(3), line(4, { grade: 'a' }), line(5), line(2)];
    const created = await jobs.create('ndjson', body(texts));
    await jobs.settled(created.id);
    const job = await jobs.get(created.id);
    assert.equal(job.status, 'done');
    assert.equal(job.linesRead, 7);
    assert.equal(job.committed, 4);
    assert.equal(job.duplicates, 1);
    assert.deepEqual(
      job.errors.map((e) => e.line),
      [3, 5],
    );
    assert.equal(ledger.calls.length, 2);
    assert.doesNotMatch(JSON.stringify(ledger.calls), new RegExp(USCC[0]!));
  });

  it('reads CSV with a header line', async () => {
    const ledger = new ScriptedLedger().script('evaluations:RecordEvaluationChunk', () => ({}));
    const jobs = imports(ledger, 10);
    const csv = [
      'id,subject.kind,subject.uscc,scheme,grade,periodStart,periodEnd,validUntil',
      `QD-1,enterprise,${USCC[0]},qd-2026,A,2026-01-01,2026-06-30,${inAYear}`,
      `QD-2,enterprise,${USCC[1]},qd-2026,B,2026-01-01,2026-06-30,${inAYear}`,
      `QD-3,enterprise,bad,qd-2026,B,2026-01-01,2026-06-30,${inAYear}`,
    ];
    const created = await jobs.create('csv', body(csv));
    await jobs.settled(created.id);
    const job = await jobs.get(created.id);
    assert.equal(job.committed, 2);
    assert.deepEqual(
      job.errors.map((e) => e.line),
      [4],
    );
    const rows = ledger.calls[0]?.input.rows as string[][];
    assert.deepEqual(
      rows.map((r) => [r[0], r[2]]),
      [
        ['QD-1', 'A'],
        ['QD-2', 'B'],
      ],
    );
  });

  it('resumes an interrupted job without submitting a committed chunk again', async () => {
    let calls = 0;
    const ledger = new ScriptedLedger().script('evaluations:RecordEvaluationChunk', () => {
      calls++;
      return {};
    });
    const first = imports(ledger, 2);
    const texts = [1, 2, 3, 4, 5, 6].map((i) => line(i));
    const created = await first.create('ndjson', body(texts));
    await first.settled(created.id);
    // Pretend the gateway was stopped after the first chunk: the job is 'running' with one chunk noted.
    const stored = await env.store.table<Record<string, unknown>>('jobs').get(created.id);
    await env.store.table('jobs').put(created.id, { ...stored, status: 'running', finishedAt: undefined });
    const chunks = env.store.table<number>('jobs.chunks');
    for await (const key of chunks.keys()) if (!key.endsWith('00000000')) await chunks.del(key);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(env.dir, 'jobs', `${created.id}.ndjson`), texts.join('\n') + '\n');
    calls = 0;
    const second = imports(ledger, 2);
    assert.equal(await second.resume(), 1);
    await second.settled(created.id);
    const job = await second.get(created.id);
    assert.equal(job.status, 'done');
    assert.equal(job.committed, 6);
    assert.equal(job.resumed, 1);
    assert.equal(calls, 2, 'only the two chunks not noted are submitted');
  });
});
