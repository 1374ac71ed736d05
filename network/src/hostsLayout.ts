/**
 * The `--hosts` layout (一城一主机): each city in a network namespace of its own, with
 * its own address on a bridge that only the run's namespaces share. The bridge lives
 * in a hub namespace of the run, from which clients (the network's own set-up, the
 * tests) reach every city; nothing is placed in the machine's root namespace.
 *
 * The layout is a function of two settings, the namespace name prefix and a /24
 * subnet; `network:up -- --hosts` records it in `hosts.json` of the runtime folder,
 * and from then on every part of the project that asks the topology for a city's
 * address gets the one of this layout.
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CITIES, type CityId } from '@jcc/domain';
import { runtimeDir } from './paths.js';

/** Default prefix of the namespace names (`jcc-hub`, `jcc-qingdao`, …); env `JCC_NETNS_PREFIX`. */
export const DEFAULT_NETNS_PREFIX = 'jcc-';
/** Default subnet of the bridge (a /24); env `JCC_HOSTS_SUBNET`. */
export const DEFAULT_HOSTS_SUBNET = '10.251.0.0/24';

/** One city's host in the layout. */
export interface CityHost {
  /** Its network namespace, e.g. `jcc-qingdao`. */
  netns: string;
  /** Its address on the bridge, e.g. `10.251.0.11`: all its nodes listen there. */
  address: string;
  /** The hub-side end of its link (a veth in the hub namespace); `ip link set … down` cuts the city off. */
  link: string;
  /** Its side of the link, inside its namespace. */
  interface: string;
}

/** The whole layout: hub (bridge and clients) and the five cities. */
export interface HostsLayout {
  prefix: string;
  subnet: string;
  hub: { netns: string; bridge: string; address: string };
  cities: Record<CityId, CityHost>;
}

/** A prefix or subnet that cannot be used. */
export class HostsLayoutError extends Error {
  override readonly name = 'HostsLayoutError';
}

/**
 * The layout for a namespace prefix and a /24 subnet: the hub's bridge gets `.1`, the
 * city at position i (0 Qingdao … 4 Rizhao) gets `.11 + i`.
 */
export function hostsLayout(prefix: string = DEFAULT_NETNS_PREFIX, subnet: string = DEFAULT_HOSTS_SUBNET): HostsLayout {
  if (!/^[a-z][a-z0-9-]{0,11}$/.test(prefix))
    throw new HostsLayoutError(`namespace prefix "${prefix}": 1-12 characters, lower-case letters, digits and "-", starting with a letter`);
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.0\/24$/.exec(subnet);
  if (!m || m.slice(1).some((o) => Number(o) > 255))
    throw new HostsLayoutError(`subnet "${subnet}": give a /24 such as ${DEFAULT_HOSTS_SUBNET}`);
  if (m[1] === '127') throw new HostsLayoutError(`subnet "${subnet}" is loopback; Fabric peers need an address outside 127/8`);
  const net = `${m[1]}.${m[2]}.${m[3]}`;
  const cities = {} as Record<CityId, CityHost>;
  CITIES.forEach((c, i) => {
    cities[c.id] = { netns: `${prefix}${c.id}`, address: `${net}.${11 + i}`, link: `veth-${c.id}`, interface: 'eth0' };
  });
  return { prefix, subnet, hub: { netns: `${prefix}hub`, bridge: 'br-jcc', address: `${net}.1` }, cities };
}

/** The layout the environment asks for (`JCC_NETNS_PREFIX`, `JCC_HOSTS_SUBNET`), defaults otherwise. */
export function hostsLayoutFromEnv(env: NodeJS.ProcessEnv = process.env): HostsLayout {
  return hostsLayout(env.JCC_NETNS_PREFIX || DEFAULT_NETNS_PREFIX, env.JCC_HOSTS_SUBNET || DEFAULT_HOSTS_SUBNET);
}

/** Where a `--hosts` network records its layout: `hosts.json` in the runtime folder. */
export function hostsFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(runtimeDir(env), 'hosts.json');
}

let active: { path: string; layout: HostsLayout | null } | undefined;

/**
 * The layout of the network in the runtime folder, when it was brought up with
 * `--hosts`; `null` for the single-host network (every node on 127.0.0.1).
 */
export function activeHostsLayout(): HostsLayout | null {
  const path = hostsFilePath();
  if (active?.path === path) return active.layout;
  let layout: HostsLayout | null = null;
  try {
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { prefix: string; subnet: string };
    layout = hostsLayout(saved.prefix, saved.subnet);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  active = { path, layout };
  return layout;
}

/** Records the layout in the runtime folder (what {@link activeHostsLayout} reads). */
export async function writeHostsFile(layout: HostsLayout): Promise<void> {
  const path = hostsFilePath();
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify({ prefix: layout.prefix, subnet: layout.subnet }, null, 2) + '\n');
  active = { path, layout };
}

/** Forgets the recorded layout (the runtime folder is single-host again). */
export async function removeHostsFile(): Promise<void> {
  await rm(hostsFilePath(), { force: true });
  active = undefined;
}
