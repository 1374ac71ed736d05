/**
 * The network namespaces of the `--hosts` mode ({@link HostsLayout}): created and removed
 * with iproute2, every link and address inside namespaces of the run (`ip -n <ns> …`), so
 * nothing is added to the namespace the command runs in. Needs root (CAP_NET_ADMIN and
 * CAP_SYS_ADMIN for `ip netns`).
 * @packageDocumentation
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import type { CityId } from '@jcc/domain';
import { runTool } from './exec.js';
import type { HostsLayout } from './hostsLayout.js';
import { IP_PROGRAM } from './processes.js';

/** Namespaces cannot be created here (not root, or `ip` failed). */
export class NamespaceError extends Error {
  override readonly name = 'NamespaceError';
}

const ip = (args: string[]): Promise<string> => runTool(IP_PROGRAM, args);
const netnsPath = (name: string) => `/run/netns/${name}`;

/** True when the named network namespace exists. */
export function namespaceExists(name: string): boolean {
  return existsSync(netnsPath(name));
}

/** Every namespace of the layout: the hub first, then the five cities. */
export function layoutNamespaces(layout: HostsLayout): string[] {
  return [layout.hub.netns, ...Object.values(layout.cities).map((c) => c.netns)];
}

/** Throws unless this process may create network namespaces. */
export function assertCanCreateNamespaces(): void {
  if (process.getuid?.() !== 0)
    throw new NamespaceError('the --hosts mode creates network namespaces and needs root (run it as root, e.g. in a root container)');
}

async function linkExists(netns: string, link: string): Promise<boolean> {
  try {
    await ip(['-n', netns, 'link', 'show', link]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates what is missing of the layout: the hub namespace with the bridge (and the hub's
 * address on it), each city's namespace with loopback up and a veth pair, the city's end
 * (`eth0`, the city's address) in its namespace and the other end on the bridge in the hub.
 * Returns what it did, one line per change.
 */
export async function ensureNamespaces(layout: HostsLayout): Promise<string[]> {
  assertCanCreateNamespaces();
  const done: string[] = [];
  const hub = layout.hub.netns;
  for (const ns of layoutNamespaces(layout)) {
    if (namespaceExists(ns)) continue;
    await ip(['netns', 'add', ns]);
    await ip(['-n', ns, 'link', 'set', 'lo', 'up']);
    done.push(`namespace ${ns}`);
  }
  if (!(await linkExists(hub, layout.hub.bridge))) {
    await ip(['-n', hub, 'link', 'add', layout.hub.bridge, 'type', 'bridge']);
    await ip(['-n', hub, 'addr', 'add', `${layout.hub.address}/24`, 'dev', layout.hub.bridge]);
    done.push(`bridge ${layout.hub.bridge} ${layout.hub.address}/24 in ${hub}`);
  }
  await ip(['-n', hub, 'link', 'set', layout.hub.bridge, 'up']);
  for (const c of Object.values(layout.cities)) {
    if (!(await linkExists(hub, c.link))) {
      await ip(['-n', hub, 'link', 'add', c.link, 'type', 'veth', 'peer', 'name', c.interface, 'netns', c.netns]);
      await ip(['-n', hub, 'link', 'set', c.link, 'master', layout.hub.bridge]);
      await ip(['-n', c.netns, 'addr', 'add', `${c.address}/24`, 'dev', c.interface]);
      done.push(`${c.netns}: ${c.interface} ${c.address}/24, linked to the bridge by ${c.link}`);
    }
    await ip(['-n', hub, 'link', 'set', c.link, 'up']);
    await ip(['-n', c.netns, 'link', 'set', c.interface, 'up']);
  }
  return done;
}

/** Deletes the layout's namespaces (their links go with them); returns the ones deleted. */
export async function removeNamespaces(layout: HostsLayout): Promise<string[]> {
  const removed: string[] = [];
  for (const ns of layoutNamespaces(layout).reverse()) {
    if (!namespaceExists(ns)) continue;
    await ip(['netns', 'del', ns]);
    removed.push(ns);
  }
  return removed;
}

/** Cuts a city off (`down`: its link to the bridge goes down) or connects it again (`up`). */
export async function setCityLink(layout: HostsLayout, city: CityId, state: 'up' | 'down'): Promise<void> {
  await ip(['-n', layout.hub.netns, 'link', 'set', layout.cities[city].link, state]);
}

/** True when this process runs in the named network namespace. */
export function inNamespace(name: string): boolean {
  try {
    const mine = statSync('/proc/self/ns/net');
    const theirs = statSync(netnsPath(name));
    return mine.ino === theirs.ino && mine.dev === theirs.dev;
  } catch {
    return false;
  }
}

/**
 * Runs this same command again inside namespace `name` (same program, Node options and
 * arguments, inherited output) and resolves with its exit code. The `--hosts` mode runs
 * its clients (set-up, status, gateway readiness) from the hub, which reaches every city.
 */
export function rerunInNamespace(name: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(IP_PROGRAM, ['netns', 'exec', name, process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env,
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
