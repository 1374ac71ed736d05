import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FabricInstall } from './fabricBin.js';
import { runTool } from './exec.js';
import { pathExists, runtimePaths } from './paths.js';
import { activeHostsLayout, type HostsLayout } from './hostsLayout.js';
import { allCityNodes, CHANNEL, type CityNodes, type Consensus } from './topology.js';

const signature = (rule: string) => ({ Type: 'Signature', Rule: rule });
const implicit = (rule: string) => ({ Type: 'ImplicitMeta', Rule: rule });

/** One city's organisation as written in configtx: its MSP, policies, ordering endpoint and anchor peer. */
function organisation(n: CityNodes): object {
  const msp = n.city.mspId;
  return {
    Name: msp,
    ID: msp,
    MSPDir: join(n.orgDir, 'msp'),
    // The ordering node reads and signs blocks (BlockValidation is ANY Writers): an identity of type
    // orderer, as a city's own CA enrols it (cryptogen, which knows only peers in a peer organisation, gives it type peer).
    Policies: {
      Readers: signature(`OR('${msp}.admin', '${msp}.peer', '${msp}.client', '${msp}.orderer')`),
      Writers: signature(`OR('${msp}.admin', '${msp}.client', '${msp}.peer', '${msp}.orderer')`),
      Admins: signature(`OR('${msp}.admin')`),
      Endorsement: signature(`OR('${msp}.peer')`),
    },
    OrdererEndpoints: [`${n.host}:${n.ports.orderer}`],
    AnchorPeers: [{ Host: n.host, Port: n.ports.peer }],
  };
}

function ordererTls(n: CityNodes): string {
  return join(n.ordererDir, 'tls', 'server.crt');
}

/**
 * The configtx of channel `jiaodong`: the five cities are both the
 * application organisations and the organisations of the ordering service,
 * each contributing one ordering node, with Raft or SmartBFT consensus. Endpoints are at
 * the cities' addresses of `hosts` (default: the network in the runtime folder).
 */
export function channelProfile(consensus: Consensus, hosts: HostsLayout | null = activeHostsLayout()): object {
  const nodes = allCityNodes(hosts);
  const orgs = nodes.map(organisation);
  const ordererBase = {
    BatchTimeout: '250ms',
    BatchSize: { MaxMessageCount: 500, AbsoluteMaxBytes: '10 MB', PreferredMaxBytes: '4 MB' },
    Organizations: orgs,
    Policies: {
      Readers: implicit('ANY Readers'),
      Writers: implicit('ANY Writers'),
      Admins: implicit('MAJORITY Admins'),
      BlockValidation: implicit('ANY Writers'),
    },
    Capabilities: { V2_0: true },
  };
  const orderer =
    consensus === 'raft'
      ? {
          ...ordererBase,
          OrdererType: 'etcdraft',
          EtcdRaft: {
            Consenters: nodes.map((n) => ({
              Host: n.host,
              Port: n.ports.orderer,
              ClientTLSCert: ordererTls(n),
              ServerTLSCert: ordererTls(n),
            })),
            Options: { TickInterval: '500ms', ElectionTick: 10, HeartbeatTick: 1, MaxInflightBlocks: 5, SnapshotIntervalSize: '16 MB' },
          },
        }
      : {
          ...ordererBase,
          OrdererType: 'BFT',
          ConsenterMapping: nodes.map((n, i) => ({
            ID: i + 1,
            Host: n.host,
            Port: n.ports.orderer,
            MSPID: n.city.mspId,
            Identity: join(n.ordererDir, 'msp', 'signcerts', `${n.ordererHost}-cert.pem`),
            ClientTLSCert: ordererTls(n),
            ServerTLSCert: ordererTls(n),
          })),
          SmartBFT: {
            RequestBatchMaxCount: 500,
            RequestBatchMaxInterval: '250ms',
            RequestForwardTimeout: '2s',
            RequestComplainTimeout: '20s',
            RequestAutoRemoveTimeout: '3m0s',
            ViewChangeResendInterval: '5s',
            ViewChangeTimeout: '20s',
            LeaderHeartbeatTimeout: '1m0s',
            LeaderHeartbeatCount: 10,
            CollectTimeout: '1s',
            IncomingMessageBufferSize: 200,
            RequestPoolSize: 100000,
          },
        };
  return {
    Profiles: {
      Jiaodong: {
        Policies: { Readers: implicit('ANY Readers'), Writers: implicit('ANY Writers'), Admins: implicit('MAJORITY Admins') },
        Capabilities: { V3_0: true },
        Orderer: orderer,
        Application: {
          Organizations: orgs,
          Policies: {
            LifecycleEndorsement: implicit('MAJORITY Endorsement'),
            Endorsement: implicit('MAJORITY Endorsement'),
            Readers: implicit('ANY Readers'),
            Writers: implicit('ANY Writers'),
            Admins: implicit('MAJORITY Admins'),
          },
          Capabilities: { V2_5: true },
        },
      },
    },
  };
}

/** Path of the channel's genesis block. */
export const genesisBlockPath = (): string => join(runtimePaths.channel, `${CHANNEL}.block`);

/** Writes configtx.yaml and creates the genesis block of channel `jiaodong`, unless it exists. */
export async function ensureGenesisBlock(fabric: FabricInstall, consensus: Consensus): Promise<'created' | 'kept'> {
  if (await pathExists(genesisBlockPath())) return 'kept';
  await mkdir(runtimePaths.channel, { recursive: true });
  // JSON is valid YAML; configtxgen reads it as such.
  await writeFile(join(runtimePaths.channel, 'configtx.yaml'), JSON.stringify(channelProfile(consensus), null, 2));
  await runTool(join(fabric.binDir, 'configtxgen'), [
    '-profile',
    'Jiaodong',
    '-channelID',
    CHANNEL,
    '-outputBlock',
    genesisBlockPath(),
    '-configPath',
    runtimePaths.channel,
  ]);
  return 'created';
}
