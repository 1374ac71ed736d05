import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { networkFilePath, networkSettings, runtimeDir } from './settings.js';

describe('network settings (the environment, read in one place)', () => {
  it('uses the documented defaults in an empty environment', () => {
    const s = networkSettings({});
    assert.equal(s.fabricBin, undefined);
    assert.equal(s.fabricSource, undefined);
    assert.equal(s.cacheHome, join(homedir(), '.cache'));
    assert.equal(s.cgoEnabled, '1');
    assert.equal(s.fabricLogging, 'INFO');
    assert.equal(s.chaincodeLogging, 'warning');
    assert.equal(s.fabricProfile, false);
    assert.equal(networkSettings({ JCC_FABRIC_PROFILE: '1' }).fabricProfile, true);
    assert.equal(runtimeDir({}, '/repo'), '/repo/.runtime');
    assert.equal(networkFilePath({}, '/repo'), '/repo/.runtime/network.json');
  });

  it('resolves folders to absolute paths and treats empty values as unset', () => {
    const s = networkSettings({ FABRIC_BIN: 'bin', FABRIC_CA_BIN: '', XDG_CACHE_HOME: '', JCC_FABRIC_LOGGING: 'DEBUG' });
    assert.equal(s.fabricBin, resolve('bin'));
    assert.equal(s.fabricCaBin, undefined);
    assert.equal(s.cacheHome, join(homedir(), '.cache'));
    assert.equal(s.fabricLogging, 'DEBUG');
    assert.equal(networkFilePath({ JCC_RUNTIME_DIR: '/run/jcc' }, '/repo'), '/run/jcc/network.json');
    assert.equal(networkFilePath({ JCC_NETWORK_FILE: '/x/n.json', JCC_RUNTIME_DIR: '/run/jcc' }, '/repo'), '/x/n.json');
  });
});
