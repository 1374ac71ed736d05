import assert from 'node:assert/strict';
import { ReceiverGuard, ReceiverRefusedError } from './receiver-guard.js';

describe('ReceiverGuard (SSRF guard of webhook receivers)', () => {
  const production = new ReceiverGuard({ allowLoopback: false, allowedNetworks: [] });
  const development = new ReceiverGuard({ allowLoopback: true, allowedNetworks: [] });
  const intranet = new ReceiverGuard({ allowLoopback: false, allowedNetworks: ['10.20.0.0/16'] });

  it('accepts https to a public address', () => {
    assert.equal(production.parse('https://93.184.216.34/hooks').hostname, '93.184.216.34');
    assert.equal(production.refusal('2606:4700::1111'), undefined);
  });

  it('refuses plain http, credentials, fragments and non-URLs', () => {
    for (const url of [
      'http://93.184.216.34/',
      'ftp://example.com/',
      'https://u:p@93.184.216.34/',
      'https://93.184.216.34/#x',
      '/relative',
      'not a url',
    ])
      assert.throws(() => production.parse(url), ReceiverRefusedError, url);
  });

  it('refuses loopback, private, link-local (cloud metadata) and other special addresses, in every spelling', () => {
    for (const url of [
      'https://127.0.0.1/',
      'https://[::1]/',
      'https://10.1.2.3/',
      'https://172.16.0.1/',
      'https://192.168.1.1/',
      'https://169.254.169.254/latest/meta-data/',
      'https://100.64.0.1/',
      'https://0.0.0.0/',
      'https://[fd00::1]/',
      'https://[fe80::1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://2130706433/',
      'https://0x7f.1/',
    ])
      assert.throws(() => production.parse(url), ReceiverRefusedError, url);
  });

  it('allows loopback, and plain http to it only, in development configuration', () => {
    assert.equal(development.parse('http://127.0.0.1:8080/hook').port, '8080');
    assert.ok(development.parse('http://localhost:8080/hook'));
    assert.ok(development.parse('https://[::1]:8443/hook'));
    assert.throws(() => development.parse('http://93.184.216.34/'), ReceiverRefusedError);
    assert.throws(() => development.parse('https://10.0.0.1/'), ReceiverRefusedError);
  });

  it('admits the configured networks of a city intranet, and nothing next to them', () => {
    assert.ok(intranet.parse('https://10.20.3.4/hook'));
    assert.throws(() => intranet.parse('https://10.21.0.1/hook'), ReceiverRefusedError);
    assert.throws(() => new ReceiverGuard({ allowLoopback: false, allowedNetworks: ['10.0.0.0'] }), /CIDR/);
  });

  it('refuses a name that resolves to a refused address, when subscribing and when connecting', async () => {
    await assert.rejects(production.check('https://localhost/hook'), ReceiverRefusedError);
    const error = await new Promise<Error | null>((resolve) => production.lookup('localhost', {}, (err) => resolve(err)));
    assert.match(String(error?.message), /receiver refused/);
    assert.ok(await development.check('http://localhost:1/hook'));
  });
});
