import { join } from 'node:path';
import type { FabricInstall } from './fabricBin.js';
import { runTool } from './exec.js';
import { genesisBlockPath } from './channelConfig.js';
import { peerCli } from './chaincodeDeploy.js';
import { CHANNEL, type CityNodes } from './topology.js';

function osnadminArgs(n: CityNodes): string[] {
  const adminTls = join(n.orgDir, 'users', `Admin@${n.orgDomain}`, 'tls');
  return [
    '-o',
    `${n.host}:${n.ports.ordererAdmin}`,
    '--ca-file',
    n.tlsCaCert,
    '--client-cert',
    join(adminTls, 'client.crt'),
    '--client-key',
    join(adminTls, 'client.key'),
  ];
}

/** Joins a city's ordering node to channel `jiaodong` through the channel participation API, unless it is a member already. */
export async function joinOrderer(fabric: FabricInstall, n: CityNodes): Promise<'joined' | 'kept'> {
  const osnadmin = join(fabric.binDir, 'osnadmin');
  const listed = await runTool(osnadmin, ['channel', 'list', ...osnadminArgs(n)]);
  if (listed.includes(`"${CHANNEL}"`)) return 'kept';
  await runTool(osnadmin, ['channel', 'join', '--channelID', CHANNEL, '--config-block', genesisBlockPath(), ...osnadminArgs(n)]);
  return 'joined';
}

/** Joins a city's peer to channel `jiaodong`, unless it has joined already. */
export async function joinPeer(fabric: FabricInstall, n: CityNodes): Promise<'joined' | 'kept'> {
  const listed = await peerCli(fabric, n, ['channel', 'list']);
  if (listed.split('\n').some((line) => line.trim() === CHANNEL)) return 'kept';
  await peerCli(fabric, n, ['channel', 'join', '-b', genesisBlockPath()]);
  return 'joined';
}
