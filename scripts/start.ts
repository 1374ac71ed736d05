/**
 * `npm start` (through `scripts/start.sh`, which runs `npm ci` first when
 * node_modules is missing): builds, brings the five-city Fabric network up,
 * starts the five city gateways, loads the demo data through the gateways'
 * REST API, prints where to look, and stays in the foreground.
 *
 * Ctrl-C (SIGINT), SIGTERM, SIGHUP or `npm stop` from another terminal stop what this
 * run started — the gateways it started, then the network if it brought it
 * up — and nothing that was already running before. What it started is kept
 * in `.runtime/start.json` (see `scripts/demo/session.ts`).
 *
 * Options: `--no-demo` skips the demo data.
 */
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { CityId } from '@jcc/domain';
import type { DemoResult } from './demo/index.js';
import {
  REPO_ROOT,
  clearSession,
  gatewayPid,
  isStartRunning,
  readSession,
  startProcessRecord,
  runCommand,
  runGatewaysScript,
  writeSession,
  type ChildRun,
  type StartSession,
} from './demo/session.js';
import { waitForGatewayReady } from '../network/src/polling.js';

/** The line tests wait for. */
const READY_LINE = 'Jiaodong Credit Chain ready';

const { values: options } = parseArgs({ options: { 'no-demo': { type: 'boolean', default: false } } });

const t0 = Date.now();
const session: StartSession = {
  pid: process.pid,
  process: await startProcessRecord(),
  startedAt: new Date().toISOString(),
  startedNetwork: false,
  startedGateways: {},
  phase: 'starting',
};
let current: ChildRun | undefined;
let stopping = false;
let networkUpInFlight = false;
/** Gateways being started right now, with the pid each had before (so an interrupted start still knows what it started). */
let gatewaysStarting: Record<string, number | undefined> = {};

const say = (line = ''): void => void process.stdout.write(line + '\n');
const elapsed = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** Runs one numbered step with its duration. */
async function step<T>(n: number, name: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  say(`[start ${n}/5] ${name} ...`);
  const result = await work();
  if (!stopping) say(`[start ${n}/5] ${name}: done in ${elapsed(started)}`);
  return result;
}

/** Stops what this run started: its gateways, then the network if it brought it up. Never throws. */
async function shutdown(reason: string, exitCode: number): Promise<never> {
  stopping = true;
  session.phase = 'stopping';
  await writeSession(session).catch(() => undefined);
  say('');
  say(`[stop] ${reason}: stopping what npm start started`);
  current?.kill();
  for (const [city, before] of Object.entries(gatewaysStarting)) {
    const pid = await gatewayPid(city);
    if (pid !== undefined && pid !== before) session.startedGateways[city] = pid;
  }
  const ours: string[] = [];
  for (const [city, pid] of Object.entries(session.startedGateways)) if ((await gatewayPid(city)) === pid) ours.push(city);
  if (ours.length > 0) {
    say(`[stop] gateways: ${ours.join(', ')}`);
    await runGatewaysScript('stop', ours).done.catch(() => 1);
  }
  const notOurs = (await listRunningGateways()).filter((city) => !ours.includes(city));
  if (notOurs.length > 0) say(`[stop] left running (not started by npm start): gateways ${notOurs.join(', ')}`);
  if (session.startedNetwork || networkUpInFlight) {
    say('[stop] network: stopping the Fabric nodes');
    try {
      const { networkDown } = await import('@jcc/network');
      await networkDown({ log: (line) => say(`    ${line}`) });
    } catch (err) {
      say(`[stop] network:down failed: ${(err as Error).message}`);
      exitCode = exitCode || 1;
    }
  } else {
    say('[stop] left running (not started by npm start): the Fabric network — `npm run network:down` stops it');
  }
  await clearSession().catch(() => undefined);
  say('[stop] stopped');
  process.exit(exitCode);
}

async function listRunningGateways(): Promise<string[]> {
  const { CITY_IDS } = await import('@jcc/domain').catch(() => ({ CITY_IDS: [] as readonly string[] }));
  const running: string[] = [];
  for (const city of CITY_IDS) if ((await gatewayPid(city)) !== undefined) running.push(city);
  return running;
}

function onSignal(signal: NodeJS.Signals): void {
  if (stopping) {
    say(`[stop] ${signal} again: exiting at once (processes may be left running; \`npm stop\` stops them)`);
    process.exit(130);
  }
  void shutdown(`${signal} received`, 0);
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.on('SIGHUP', onSignal);

/** Runs a child command as the current interruptible child; throws when it fails. */
async function run(child: ChildRun, what: string): Promise<void> {
  current = child;
  const code = await child.done;
  current = undefined;
  if (stopping) await new Promise(() => undefined); // shutdown() ends the process
  if (code !== 0) throw new Error(`${what} failed (exit ${code})`);
}

/** Answers `/healthz` on the city's port? */
async function healthy(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1500) });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Takes over what an earlier `npm start` that did not stop cleanly (killed)
 * started and left running, so that this run's Ctrl-C stops it too.
 */
async function adopt(previous: StartSession): Promise<void> {
  const gateways: [string, number][] = [];
  for (const [city, pid] of Object.entries(previous.startedGateways)) if ((await gatewayPid(city)) === pid) gateways.push([city, pid]);
  for (const [city, pid] of gateways) session.startedGateways[city] = pid;
  session.startedNetwork = previous.startedNetwork;
  const what = [gateways.length > 0 ? `gateways ${gateways.map(([c]) => c).join(', ')}` : '', previous.startedNetwork ? 'the network' : '']
    .filter(Boolean)
    .join(' and ');
  if (what) say(`[start] an earlier npm start (pid ${previous.pid}) ended without stopping ${what}; this run will stop them on exit`);
}

async function main(): Promise<void> {
  const other = await readSession();
  if (other && other.pid !== process.pid && (await isStartRunning(other))) {
    process.stderr.write(`[start] npm start is already running (pid ${other.pid}); stop it with Ctrl-C there or \`npm stop\`\n`);
    process.exit(1);
  }
  if (other) await adopt(other);
  await writeSession(session);

  await step(1, 'build (npm run build)', () => run(runCommand('npm', ['run', '--silent', 'build']), 'npm run build'));

  // Built: the workspace packages can be loaded now.
  const network = await import('@jcc/network');
  const domain = await import('@jcc/domain');

  await step(2, 'five-city Fabric network', async () => {
    const before = await network.networkStatus();
    const down = before.filter((n) => n.state !== 'up');
    if (down.length === 0) {
      say(
        `    already running (all 15 nodes up); ${session.startedNetwork ? 'started by an earlier npm start: stopped on exit' : 'left running on exit'}`,
      );
      return;
    }
    say(`    ${down.length} of ${before.length} nodes not up: network:up`);
    session.startedNetwork = true;
    networkUpInFlight = true;
    await writeSession(session);
    await network.networkUp();
    networkUpInFlight = false;
  });

  await step(3, 'five city gateways', async () => {
    const missing: CityId[] = [];
    for (const city of domain.CITIES) {
      if (await healthy(city.gatewayPort)) {
        const adopted = session.startedGateways[city.id] !== undefined;
        say(`    ${city.id.padEnd(8)} already running on :${city.gatewayPort}; ${adopted ? 'stopped' : 'left running'} on exit`);
      } else missing.push(city.id);
    }
    gatewaysStarting = {};
    for (const c of missing) gatewaysStarting[c] = await gatewayPid(c);
    if (missing.length > 0) {
      current = runGatewaysScript('start', missing);
      const code = await current.done;
      current = undefined;
      // Whatever got a new pid file was started by this run, even if the start then failed.
      for (const [city, before] of Object.entries(gatewaysStarting)) {
        const pid = await gatewayPid(city);
        if (pid !== undefined && pid !== before) session.startedGateways[city] = pid;
      }
      gatewaysStarting = {};
      await writeSession(session);
      if (stopping) await new Promise(() => undefined);
      if (code !== 0) throw new Error('the gateways did not start (see logs/gateway.<city>.log in the runtime folder)');
    }
    // Gateways that were already running may still be starting up.
    await Promise.all(
      domain.CITIES.map((c) => waitForGatewayReady(`http://127.0.0.1:${c.gatewayPort}`, { timeoutMs: 180_000, intervalMs: 1000 })),
    );
  });

  let demo: DemoResult | undefined;
  if (options['no-demo']) say('[start 4/5] demo data: skipped (--no-demo)');
  else {
    const { loadDemo } = await import('./demo/index.js');
    demo = await step(4, 'demo data (through the gateways’ REST API)', () => loadDemo({ log: (line) => say(`    ${line}`) }));
  }

  const tokens = await step(5, 'sample tokens', async () => {
    const { mintDevToken } = await import('../gateway/src/token.js');
    const { demoIdentityToken } = await import('./demo/identities.js');
    const { defaultGatewayUrls } = await import('./demo/context.js');
    return {
      operator: await mintDevToken({ city: 'qingdao', role: 'operator' }),
      regulator: await demoIdentityToken('regulator', defaultGatewayUrls()),
      alliance: await demoIdentityToken('alliance', defaultGatewayUrls()),
    };
  });

  session.phase = 'ready';
  await writeSession(session);
  printReady(domain.CITIES, tokens, demo);
  keepWatching(domain.CITIES);
}

function printReady(
  cities: ReadonlyArray<{ id: string; name: string; nameZh: string; gatewayPort: number }>,
  tokens: { operator: string; regulator: string; alliance: string },
  demo: DemoResult | undefined,
): void {
  const rule = '─'.repeat(78);
  const url = (port: number): string => `http://127.0.0.1:${port}`;
  const first = cities[0]!;
  say('');
  say(rule);
  say(READY_LINE);
  say(rule);
  say(`ready in ${elapsed(t0)}`);
  say('');
  say('Gateways (REST API under /api/v1, OpenAPI 3.1 at /api/v1/openapi.json):');
  for (const c of cities) {
    const how = session.startedGateways[c.id] !== undefined ? `started, pid ${session.startedGateways[c.id]}` : 'was already running';
    say(`  ${c.name.padEnd(8)} ${c.nameZh}  ${url(c.gatewayPort)}   (${how})`);
  }
  say('');
  say(`Verification page (served by every gateway): ${url(first.gatewayPort)}/`);
  say('  paste or drop a sample document below; the second tab looks an agency up by USCC');
  say('');
  say('Sample tokens for Qingdao (8 h; more: npm run --silent token -- --city <city> --role <role>):');
  say(`  operator  (Qingdao's gateway only):`);
  say(`    ${tokens.operator}`);
  say(`  regulator (all five gateways):`);
  say(`    ${tokens.regulator}`);
  say(`  alliance  (all five gateways):`);
  say(`    ${tokens.alliance}`);
  say(`  e.g. curl -s -H "Authorization: Bearer <regulator token>" ${url(first.gatewayPort)}/api/v1/agencies`);
  if (demo) {
    const port = (city: string): number => cities.find((c) => c.id === city)?.gatewayPort ?? first.gatewayPort;
    say('');
    say(
      `Demo data (${demo.reused === 0 ? 'loaded' : demo.created === 0 ? 'already loaded, reused' : 'completed'} in ${demo.seconds.toFixed(1)} s): ${demo.description}`,
    );
    say('');
    say(`Sample documents (${relative(REPO_ROOT, demo.samplesDir)}/), each as {jws, proof?} JSON and as a bare .jws:`);
    for (const s of [demo.samples.valid, demo.samples.revoked, demo.samples.tampered]) {
      const json = relative(REPO_ROOT, s.jsonFile);
      say(`  ${s.kind.padEnd(8)} ${s.documentId}  ${s.description}`);
      say(`           curl -s -X POST ${url(port(s.verifyAt))}/api/v1/verify -H 'Content-Type: application/json' --data @${json}`);
      say(`           npx jcc verify ${json} --gateway ${url(port(s.verifyAt))}`);
    }
  }
  if (demo) {
    const suspended = demo.agencies.find((a) => a.status === 'suspended');
    const member = demo.agencies.find((a) => a.allianceMember);
    const subject = demo.enterprises.find((e) => e.key === 'rz-steel') ?? demo.enterprises[0];
    say('');
    say('Try:');
    if (suspended) say(`  agency tab of the page, or npx jcc agency ${suspended.uscc}   (${suspended.name}, suspended)`);
    if (member) say(`  npx jcc agency ${member.uscc}   (${member.name}, alliance member)`);
    if (subject) {
      say(
        `  a subject across the five cities (${subject.name}: black list, objection answered, grade D), with TOKEN=<the regulator token above>:`,
      );
      say(
        `    curl -s -X POST ${url(first.gatewayPort)}/api/v1/subjects/lookup -H "Authorization: Bearer $TOKEN" ` +
          `-H 'Content-Type: application/json' -d '{"subject":{"kind":"enterprise","uscc":"${subject.uscc}"}}'`,
      );
    }
    say(`  demo record: ${relative(REPO_ROOT, demo.markerFile)}`);
  }
  say('');
  const gw = Object.keys(session.startedGateways);
  say(
    `Ctrl-C or \`npm stop\` stops what this started: ${gw.length > 0 ? `gateways ${gw.join(', ')}` : 'no gateway'}, ` +
      `${session.startedNetwork ? 'the network' : 'not the network (it was already running)'}.`,
  );
  say(rule);
}

/** Stays in the foreground; says so when a gateway stops answering or comes back. */
function keepWatching(cities: ReadonlyArray<{ id: string; gatewayPort: number }>): void {
  const down = new Set<string>();
  setInterval(() => {
    void (async () => {
      for (const c of cities) {
        const ok = await healthy(c.gatewayPort);
        if (stopping) return;
        if (!ok && !down.has(c.id)) {
          down.add(c.id);
          say(`[watch] gateway ${c.id} does not answer on :${c.gatewayPort} (log: logs/gateway.${c.id}.log in the runtime folder)`);
        } else if (ok && down.delete(c.id)) say(`[watch] gateway ${c.id} answers again`);
      }
    })();
  }, 15_000);
}

try {
  await main();
} catch (err) {
  if (!stopping) {
    process.stderr.write(`\n[start] failed: ${err instanceof Error ? err.message : String(err)}\n`);
    await shutdown('start failed', 1);
  }
}
