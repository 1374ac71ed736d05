import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../exit.js';
import { parseNetworkFile } from '@jcc/network/ledger';
import { cityOrder, defaultNetworkPath, loadNetworkDescription } from './network.js';

const files = { certPath: '/c.pem', keyPath: '/k.pem' };
const city = (mspId: string) => ({
  mspId,
  peer: { endpoint: '127.0.0.1:7051', hostAlias: 'peer0', tlsRootCertPath: '/tls.pem' },
  users: { app: files, admin: files },
});
const sample = {
  channel: 'jiaodong',
  chaincode: 'creditchain',
  cities: { qingdao: city('QingdaoMSP'), yantai: city('YantaiMSP'), weihai: city('WeihaiMSP') },
};

describe('network description (CLI)', () => {
  it('tries the preferred city first, then the others', () => {
    const parsed = parseNetworkFile(sample);
    assert.deepEqual(cityOrder(parsed, 'weihai'), ['weihai', 'qingdao', 'yantai']);
    assert.deepEqual(cityOrder(parsed), ['qingdao', 'yantai', 'weihai']);
    assert.throws(() => cityOrder(parsed, 'rizhao'), CliError);
    assert.throws(() => cityOrder(parsed, 'beijing'), /unknown city/);
  });

  it('reports a missing file as the network not running (exit 3)', async () => {
    await assert.rejects(
      loadNetworkDescription('/nonexistent/network.json'),
      (err: unknown) => err instanceof CliError && err.exitCode === 3 && /network running/.test(err.message),
    );
  });

  it('reports a malformed file as unavailable (exit 3), naming the field', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'jcc-net-')), 'network.json');
    writeFileSync(file, JSON.stringify({ ...sample, chaincode: '' }));
    await assert.rejects(
      loadNetworkDescription(file),
      (err: unknown) => err instanceof CliError && err.exitCode === 3 && /chaincode/.test(err.message),
    );
  });

  it('looks in JCC_RUNTIME_DIR by default', () => {
    assert.equal(defaultNetworkPath({ JCC_RUNTIME_DIR: '/run/jcc' }), '/run/jcc/network.json');
    assert.equal(defaultNetworkPath({ JCC_NETWORK_FILE: '/x/n.json', JCC_RUNTIME_DIR: '/run/jcc' }), '/x/n.json');
  });
});
