import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runtimePaths } from './paths.js';
import { spawn } from 'node:child_process';
import { adoptProcess, runningProcess, runningProcesses, startProcess, stopProcess } from './processes.js';

const name = `unit-test.sleeper-${process.pid}`;

describe('managed processes', () => {
  after(() => stopProcess(name, 1000));

  it('starts a process once, records it, recognises it, and stops it and only it', async () => {
    const spec = { name, program: '/bin/sleep', args: ['300'], env: process.env, markers: ['300'] };
    const first = await startProcess(spec);
    assert.equal(first.started, true);
    const again = await startProcess(spec);
    assert.equal(again.started, false, 'a running process is not started twice');
    assert.equal(again.record.pid, first.record.pid);
    assert.equal((await runningProcess(name))?.pid, first.record.pid);
    assert.ok((await runningProcesses('unit-test.')).some((r) => r.name === name));
    const stopped = await stopProcess(name, 2000);
    assert.equal(stopped?.pid, first.record.pid);
    assert.equal(await runningProcess(name), undefined);
    assert.equal(existsSync(join(runtimePaths.pids, `${name}.pid`)), false);
  });

  it('does not take a process whose command line does not match the record for its own', async () => {
    const { record } = await startProcess({ name, program: '/bin/sleep', args: ['301'], env: process.env, markers: ['301'] });
    const file = join(runtimePaths.pids, `${name}.pid`);
    const other = { ...JSON.parse(readFileSync(file, 'utf8')), markers: ['999'] };
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, JSON.stringify(other));
    assert.equal(await runningProcess(name), undefined, 'markers differ: not ours');
    assert.equal(await stopProcess(name), undefined, 'and not stopped');
    process.kill(record.pid, 0); // still alive
    process.kill(record.pid, 'SIGKILL');
  });

  it('adopts a process started without a pid file only when it is the program named', async () => {
    const child = spawn('/bin/sleep', ['302'], { stdio: 'ignore' });
    try {
      assert.equal(await adoptProcess(name, child.pid as number, '/bin/sleep', ['303']), undefined);
      assert.equal(await adoptProcess(name, child.pid as number, '/bin/cat'), undefined);
      const adopted = await adoptProcess(name, child.pid as number, '/bin/sleep', ['302']);
      assert.equal(adopted?.pid, child.pid);
      assert.equal((await runningProcess(name))?.pid, child.pid);
      assert.equal((await stopProcess(name, 2000))?.pid, child.pid);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
