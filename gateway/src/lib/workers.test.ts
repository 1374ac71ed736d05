import assert from 'node:assert/strict';
import pino from 'pino';
import { intervalWorker, loopWorker, named, Workers, type BackgroundWorker } from './workers.js';

/** A worker recording its start and stop in `events`. */
function recording(name: string, events: string[], failStop = false): BackgroundWorker {
  return named(name, {
    start: () => events.push(`start ${name}`),
    stop: async () => {
      events.push(`stop ${name}`);
      if (failStop) throw new Error(`${name} would not stop`);
    },
  });
}

describe('background workers', () => {
  const log = pino({ level: 'silent' });

  it('starts in order and stops latest first, each stop awaited, one failing stop not keeping the others running', async () => {
    const events: string[] = [];
    const workers = new Workers(log);
    workers.start(recording('index', events));
    workers.start(recording('imports', events, true));
    workers.start(recording('anchorer', events));
    assert.deepEqual(workers.names, ['index', 'imports', 'anchorer']);
    await workers.stop();
    assert.deepEqual(events, ['start index', 'start imports', 'start anchorer', 'stop anchorer', 'stop imports', 'stop index']);
    assert.deepEqual(workers.names, []);
  });

  it('starts nothing once stopping began (a worker that starts others late cannot outlive the gateway)', async () => {
    const events: string[] = [];
    const workers = new Workers(log);
    await workers.stop();
    workers.start(recording('late', events));
    assert.deepEqual(events, []);
    assert.equal(workers.stopping, true);
  });

  it('ends a loop through its signal and waits for it', async () => {
    let rounds = 0;
    let ended = false;
    const loop = loopWorker('peer-watch', async (signal) => {
      while (!signal.aborted) {
        rounds++;
        await new Promise((r) => setTimeout(r, 5));
      }
      ended = true;
    });
    loop.start();
    await new Promise((r) => setTimeout(r, 30));
    await loop.stop();
    assert.ok(rounds > 1);
    assert.equal(ended, true);
  });

  it('ticks on its interval until stopped', async () => {
    let ticks = 0;
    const worker = intervalWorker('pruning', 10, () => ticks++);
    worker.start();
    await new Promise((r) => setTimeout(r, 55));
    await worker.stop();
    const seen = ticks;
    assert.ok(seen >= 3, `${seen} ticks`);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(ticks, seen);
  });
});
