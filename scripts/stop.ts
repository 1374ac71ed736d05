/**
 * `npm stop`: stops what `npm start` started, from another terminal.
 *
 * - While `npm start` runs, it is sent SIGTERM and does what Ctrl-C does:
 *   it stops the gateways it started, then the network if it brought it up,
 *   and leaves running what was running before it. `npm stop` waits for it.
 * - When no `npm start` runs (it was killed, or never ran), the five gateways
 *   and the Fabric network are stopped.
 *
 * Exit code 0 when everything asked to stop has stopped.
 */
import { isRunning } from '../network/src/processes.js';
import { PollTimeoutError, until } from '../network/src/polling.js';
import { clearSession, gatewayPid, isStartRunning, readSession, runGatewaysScript, type StartSession } from './demo/session.js';

const say = (line: string): void => void process.stdout.write(line + '\n');

/** Asks the running `npm start` to stop and waits until it has exited. */
async function stopStartProcess(session: StartSession, timeoutMs = 180_000): Promise<boolean> {
  const pid = session.pid;
  say(`npm stop: asking npm start (pid ${pid}) to stop what it started`);
  process.kill(pid, 'SIGTERM');
  try {
    await until(
      () => isRunning(session.process),
      (running) => !running,
      { timeoutMs, what: 'npm start exiting' },
    );
  } catch (err) {
    if (!(err instanceof PollTimeoutError)) throw err;
    say(`npm stop: npm start (pid ${pid}) did not exit within ${timeoutMs / 1000} s`);
    return false;
  }
  say('npm stop: npm start has stopped');
  return true;
}

/** Stops the five gateways and the network (no `npm start` is running). */
async function stopEverything(): Promise<boolean> {
  const { CITY_IDS } = await import('@jcc/domain');
  const running: string[] = [];
  for (const city of CITY_IDS) if ((await gatewayPid(city)) !== undefined) running.push(city);
  say(running.length > 0 ? `npm stop: stopping gateways ${running.join(', ')}` : 'npm stop: no gateway running');
  const code = running.length > 0 ? await runGatewaysScript('stop', running).done : 0;
  say('npm stop: stopping the Fabric network');
  const { networkDown } = await import('@jcc/network');
  await networkDown({ log: (line) => say(`    ${line}`) });
  await clearSession();
  say('npm stop: stopped');
  return code === 0;
}

const session = await readSession();
let ok: boolean;
if (session && (await isStartRunning(session))) ok = await stopStartProcess(session);
else {
  if (session) say(`npm stop: npm start (pid ${session.pid}) is no longer running`);
  ok = await stopEverything();
}
process.exit(ok ? 0 : 1);
