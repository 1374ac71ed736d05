import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../exit.js';
import { cityOrder, loadNetworkDescription, parseNetworkDescription, resolveNetworkPath } from './network.js';

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

describe('network description', () => {
  it('accepts the shape written by the local network', () => {
    const parsed = parseNetworkDescription(sample);
    assert.equal(parsed.channel, 'jiaodong');
    assert.equal(parsed.cities.yantai?.peer.hostAlias, 'peer0');
    assert.deepEqual(parsed.cities.qingdao?.users.app, files);
  });

  it('names what is missing', () => {
    assert.throws(() => parseNetworkDescription({ ...sample, channel: '' }), /channel/);
    assert.throws(() => parseNetworkDescription({ ...sample, cities: { shanghai: city('X') } }), /shanghai/);
    assert.throws(() => parseNetworkDescription({ ...sample, cities: { qingdao: { ...city('QingdaoMSP'), users: {} } } }), /users/);
  });

  it('tries the preferred city first, then the others', () => {
    const parsed = parseNetworkDescription(sample);
    assert.deepEqual(cityOrder(parsed, 'weihai'), ['weihai', 'qingdao', 'yantai']);
    assert.deepEqual(cityOrder(parsed), ['qingdao', 'yantai', 'weihai']);
    assert.throws(() => cityOrder(parsed, 'rizhao'), CliError);
    assert.throws(() => cityOrder(parsed, 'beijing'), /unknown city/);
  });

  it('resolves relative paths against the file, then the folder above it', () => {
    const root = mkdtempSync(join(tmpdir(), 'jcc-net-'));
    mkdirSync(join(root, '.runtime'));
    mkdirSync(join(root, 'crypto'));
    writeFileSync(join(root, 'crypto', 'ca.pem'), 'x');
    const file = join(root, '.runtime', 'network.json');
    assert.equal(resolveNetworkPath(file, 'crypto/ca.pem'), join(root, 'crypto', 'ca.pem'));
    assert.equal(resolveNetworkPath(file, '/abs/ca.pem'), '/abs/ca.pem');
  });

  it('reports a missing file as the network not running (exit 3)', async () => {
    await assert.rejects(
      loadNetworkDescription('/nonexistent/network.json'),
      (err: unknown) => err instanceof CliError && err.exitCode === 3 && /network running/.test(err.message),
    );
  });
});
