import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConsortiumSecret } from './secret.js';

describe('consortium secret (development default)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jcc-secret-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('gives every one of many gateways starting at once the same whole secret', async () => {
    const file = join(dir, 'consortium-secret');
    const secrets = await Promise.all(Array.from({ length: 50 }, () => loadConsortiumSecret(undefined, file)));
    assert.equal(new Set(secrets).size, 1);
    assert.ok(secrets[0]!.length >= 32);
    assert.deepEqual(await readdir(dir), ['consortium-secret'], 'no temporary files left behind');
  });
});
