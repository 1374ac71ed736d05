import assert from 'node:assert/strict';
import { jobProgressLine } from '../commands/evaluations.js';
import { progressBar } from './progress.js';

describe('progress', () => {
  it('draws a bar for a fraction, clamped', () => {
    assert.equal(progressBar(0.5, 10), '[#####-----]  50%');
    assert.equal(progressBar(2, 4), '[####] 100%');
    assert.equal(progressBar(Number.NaN, 4), '[----]   0%');
  });

  it('shows a job: committed, rejected, rate and ETA', () => {
    const job = {
      status: 'running',
      linesRead: 1000,
      rejected: 2,
      duplicates: 0,
      alreadyRecorded: 0,
      committed: 500,
      ratePerSecond: 100,
      etaSeconds: 5,
    } as const;
    assert.equal(jobProgressLine(job, 10), '[#####-----]  50% 500 committed of 1,000 read, 2 rejected, 100/s, ETA 5 s');
  });
});
