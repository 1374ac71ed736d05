import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, parsePeers } from './config.js';

describe('gateway configuration', () => {
  it('has working defaults for the local network', async () => {
    const config = await loadConfig({ city: 'weihai', env: { JCC_ROOT: '/repo' } });
    assert.equal(config.port, 8103);
    assert.equal(config.publicUrl, 'http://127.0.0.1:8103');
    assert.equal(config.storeDir, '/repo/.data/gateway/weihai');
    assert.equal(config.networkFile, '/repo/.runtime/network.json');
    assert.equal(config.consortiumSecretFile, '/repo/.runtime/consortium-secret');
    assert.equal(config.verify.source, 'index');
    assert.equal(config.fabricUser, 'app');
  });

  it('looks for the network description and the consortium secret in JCC_RUNTIME_DIR when set', async () => {
    const config = await loadConfig({ city: 'weihai', env: { JCC_ROOT: '/repo', JCC_RUNTIME_DIR: '/var/run/jcc' } });
    assert.equal(config.networkFile, '/var/run/jcc/network.json');
    assert.equal(config.consortiumSecretFile, '/var/run/jcc/consortium-secret');
  });

  it('layers file, environment and overrides, resolving file paths against the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jcc-config-'));
    try {
      const file = join(dir, 'gw.json');
      await writeFile(file, JSON.stringify({ storeDir: 'store', anchor: { batchMaxSize: 10 }, verify: { rateLimitPerMinute: 5 } }));
      const config = await loadConfig({
        city: 'rizhao',
        file,
        env: {
          JCC_ROOT: '/repo',
          JCC_VERIFY_SOURCE: 'peer',
          JCC_BATCH_MAX_AGE_MS: '500',
          JCC_NETWORK_FILE: '/x/network.json',
          JCC_PEER_GATEWAYS: 'yantai=http://h:1',
        },
        overrides: { port: 9000 },
      });
      assert.equal(config.storeDir, join(dir, 'store'));
      assert.deepEqual(config.anchor, { batchMaxSize: 10, batchMaxAgeMs: 500, batchConcurrency: 2, singleConcurrency: 32, pollMs: 1000 });
      assert.equal(config.verify.source, 'peer');
      assert.equal(config.verify.rateLimitPerMinute, 5);
      assert.equal(config.networkFile, '/x/network.json');
      assert.equal(config.port, 9000);
      assert.equal(config.publicUrl, 'http://127.0.0.1:9000');
      assert.deepEqual(config.peers, { yantai: 'http://h:1' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names every invalid setting', async () => {
    await assert.rejects(loadConfig({ city: 'shanghai', env: {} }), /unknown or missing city/);
    await assert.rejects(loadConfig({ city: 'qingdao', env: { JCC_GATEWAY_PORT: 'eighty' } }), /JCC_GATEWAY_PORT must be an integer/);
    await assert.rejects(
      loadConfig({ city: 'qingdao', env: { JCC_VERIFY_SOURCE: 'cache', JCC_BULK_CHUNK_SIZE: '9000' } }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /verify\.source/);
        assert.match(err.message, /bulk\.chunkSize/);
        return true;
      },
    );
  });

  it('reads peer gateway URLs as JSON or a list', () => {
    assert.deepEqual(parsePeers('{"weihai":"http://a"}'), { weihai: 'http://a' });
    assert.deepEqual(parsePeers('weihai=http://a, rizhao=http://b'), { weihai: 'http://a', rizhao: 'http://b' });
    assert.throws(() => parsePeers('weihai'), ConfigError);
  });
});
