import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { networkFilePath, runtimeDir } from '../paths.js';
import { cityConnection, NetworkFileError, parseNetworkFile, readNetworkFile, resolveNetworkPath } from './networkFile.js';

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

describe('network description (ledger client)', () => {
  it('accepts the shape written by the local network, keeping unknown members', () => {
    const parsed = parseNetworkFile({ ...sample, consensus: 'raft', extra: 1 });
    assert.equal(parsed.channel, 'jiaodong');
    assert.equal(parsed.consensus, 'raft');
    assert.equal(parsed.cities.yantai?.peer.hostAlias, 'peer0');
    assert.deepEqual(parsed.cities.qingdao?.users.app, files);
    assert.equal((parsed as Record<string, unknown>).extra, 1);
  });

  it('names what is missing or wrong', () => {
    assert.throws(() => parseNetworkFile({ ...sample, channel: '' }), /channel/);
    assert.throws(() => parseNetworkFile({ ...sample, cities: { shanghai: city('X') } }), /shanghai|cities/);
    assert.throws(() => parseNetworkFile({ ...sample, cities: { qingdao: { ...city('QingdaoMSP'), users: {} } } }), /users/);
    assert.throws(() => parseNetworkFile({ ...sample, cities: {} }), /cities.*empty/);
    assert.throws(() => parseNetworkFile([]), NetworkFileError);
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

  it('reads a file, making its paths absolute', async () => {
    const root = mkdtempSync(join(tmpdir(), 'jcc-net-'));
    mkdirSync(join(root, '.runtime'));
    const file = join(root, '.runtime', 'network.json');
    const relative = { ...city('QingdaoMSP'), peer: { endpoint: '127.0.0.1:7051', tlsRootCertPath: 'tls.pem' } };
    writeFileSync(file, JSON.stringify({ ...sample, cities: { qingdao: relative } }));
    const read = await readNetworkFile(file);
    assert.equal(read.cities.qingdao?.peer.tlsRootCertPath, join(root, '.runtime', 'tls.pem'));
    assert.equal(read.cities.qingdao?.peer.hostAlias, '');
    assert.deepEqual(cityConnection(read, 'qingdao', 'app').identity, files);
    assert.throws(() => cityConnection(read, 'yantai', 'app'), /no city yantai/);
    assert.throws(() => cityConnection(read, 'qingdao', 'operator'), /no user operator/);
  });

  it('tells a missing file from a malformed one', async () => {
    await assert.rejects(
      readNetworkFile('/nonexistent/network.json'),
      (e: unknown) => e instanceof NetworkFileError && e.reason === 'missing',
    );
    const file = join(mkdtempSync(join(tmpdir(), 'jcc-net-')), 'network.json');
    writeFileSync(file, '{"channel":');
    await assert.rejects(readNetworkFile(file), (e: unknown) => e instanceof NetworkFileError && e.reason === 'malformed');
  });

  it('finds the description in JCC_RUNTIME_DIR, unless JCC_NETWORK_FILE names it', () => {
    assert.equal(runtimeDir({}, '/repo'), '/repo/.runtime');
    assert.equal(runtimeDir({ JCC_RUNTIME_DIR: '/run/jcc' }, '/repo'), '/run/jcc');
    assert.equal(networkFilePath({ JCC_RUNTIME_DIR: '/run/jcc' }, '/repo'), '/run/jcc/network.json');
    assert.equal(networkFilePath({ JCC_RUNTIME_DIR: '/run/jcc', JCC_NETWORK_FILE: '/etc/net.json' }, '/repo'), '/etc/net.json');
  });
});
