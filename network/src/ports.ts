import { readFile, readdir, readlink } from 'node:fs/promises';
import { nodeNames } from './nodeEnv.js';
import { runningProcess } from './processes.js';
import { allCityNodes, type CityNodes } from './topology.js';

/** A TCP port the topology needs, and which of this checkout's processes should hold it. */
export interface NeededPort {
  port: number;
  /** What listens there, e.g. `orderer.qingdao admin`. */
  use: string;
  /** The managed process (pid-file name) that owns it. */
  owner: string;
}

/** A needed port held by a process that is not this checkout's own. */
export interface PortConflict extends NeededPort {
  /** The holder, when /proc tells (another user's processes may be hidden). */
  holder?: { pid: number; command: string; cwd?: string };
}

/** Every port the five cities' nodes listen on, with its owner. */
export function neededPorts(nodes: CityNodes[] = allCityNodes()): NeededPort[] {
  return nodes.flatMap((n) => {
    const names = nodeNames(n);
    return [
      { port: n.ports.orderer, use: `${names.orderer} (cluster and broadcast)`, owner: names.orderer },
      { port: n.ports.ordererAdmin, use: `${names.orderer} (channel participation admin)`, owner: names.orderer },
      { port: n.ports.ordererOperations, use: `${names.orderer} (operations)`, owner: names.orderer },
      { port: n.ports.peer, use: `${names.peer} (gateway and gossip)`, owner: names.peer },
      { port: n.ports.peerChaincode, use: `${names.peer} (chaincode listener)`, owner: names.peer },
      { port: n.ports.peerOperations, use: `${names.peer} (operations)`, owner: names.peer },
      { port: n.ports.chaincodeServer, use: `${names.chaincode} (chaincode as a service)`, owner: names.chaincode },
    ];
  });
}

/** Socket inodes of TCP sockets listening on each port (IPv4 and IPv6), read from /proc/net. */
async function listeningInodes(): Promise<Map<number, string[]>> {
  const byPort = new Map<number, string[]>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A') continue; // 0A = LISTEN
      const port = parseInt(cols[1]!.split(':').pop()!, 16);
      const list = byPort.get(port) ?? [];
      list.push(cols[9]!);
      byPort.set(port, list);
    }
  }
  return byPort;
}

/** True when process `pid` has one of the socket inodes open. */
async function holdsAny(pid: number, inodes: string[]): Promise<boolean> {
  const wanted = new Set(inodes.map((i) => `socket:[${i}]`));
  let fds: string[];
  try {
    fds = await readdir(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  for (const fd of fds) if (wanted.has(await readlink(`/proc/${pid}/fd/${fd}`).catch(() => ''))) return true;
  return false;
}

/** The process holding a socket inode, by scanning /proc/<pid>/fd. */
async function holderOf(inodes: string[]): Promise<PortConflict['holder']> {
  const wanted = new Set(inodes.map((i) => `socket:[${i}]`));
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = await readdir(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (!wanted.has(await readlink(`/proc/${entry}/fd/${fd}`))) continue;
      } catch {
        continue;
      }
      const pid = Number(entry);
      const command = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0').filter(Boolean).join(' ');
      const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => undefined);
      return { pid, command, ...(cwd ? { cwd } : {}) };
    }
  }
  return undefined;
}

/**
 * The needed ports that something other than this checkout's own running node holds.
 * A port held by the managed process that owns it (pid file and program checked) is fine.
 */
export async function findPortConflicts(ports: NeededPort[] = neededPorts()): Promise<PortConflict[]> {
  const listening = await listeningInodes();
  const conflicts: PortConflict[] = [];
  for (const needed of ports) {
    const inodes = listening.get(needed.port);
    if (!inodes?.length) continue;
    // Our own node holding its port is the common case: look at its descriptors only, and
    // scan every process's (slow on a busy machine) only for a port held by someone else.
    const ours = await runningProcess(needed.owner);
    if (ours && (await holdsAny(ours.pid, inodes))) continue;
    const holder = await holderOf(inodes);
    conflicts.push({ ...needed, ...(holder ? { holder } : {}) });
  }
  return conflicts;
}

/** Ports the topology needs are held by processes that are not this checkout's. */
export class PortsInUseError extends Error {
  readonly conflicts: readonly PortConflict[];
  constructor(conflicts: PortConflict[]) {
    const lines = conflicts.map((c) => {
      const who = c.holder
        ? `held by pid ${c.holder.pid} (${c.holder.command.slice(0, 120)}${c.holder.cwd ? `, working directory ${c.holder.cwd}` : ''})`
        : 'held by a process this user cannot see';
      return `  port ${c.port} for ${c.use}: ${who}`;
    });
    const hints = new Set<string>();
    for (const c of conflicts) {
      if (c.holder?.cwd)
        hints.add(`  another checkout's network: run \`npm run network:down\` in the checkout that started it (see the working directory)`);
      if (c.holder) hints.add(`  any other program: stop it yourself once you know it is yours, e.g. \`kill ${c.holder.pid}\``);
    }
    super(
      [`${conflicts.length} port(s) the five-city network needs are taken by other processes:`, ...lines, 'To free them:', ...hints].join(
        '\n',
      ),
    );
    this.name = 'PortsInUseError';
    this.conflicts = conflicts;
  }
}

/** Throws {@link PortsInUseError} when any port the topology needs is held by another process. */
export async function assertPortsFree(ports?: NeededPort[]): Promise<void> {
  const conflicts = await findPortConflicts(ports);
  if (conflicts.length) throw new PortsInUseError(conflicts);
}
