import { join } from 'node:path';
import type { FabricInstall } from './fabricBin.js';
import type { ProcessSpec } from './processes.js';
import { CCAAS_BUILDER_DIR, REPO_ROOT, runtimePaths } from './paths.js';
import { networkSettings } from './settings.js';
import { allCityNodes, type CityNodes } from './topology.js';

/** The process names of one city's three nodes. */
export const nodeNames = (n: CityNodes) => ({
  orderer: `orderer.${n.city.id}`,
  peer: `peer.${n.city.id}`,
  chaincode: `ccaas.${n.city.id}`,
});

const list = (paths: string[]) => `[${paths.join(',')}]`;

/** The environment of a city's ordering node: Fabric's default orderer.yaml overridden by variables. */
export function ordererEnv(fabric: FabricInstall, n: CityNodes): NodeJS.ProcessEnv {
  const dir = n.ordererDir;
  const data = join(runtimePaths.nodes, nodeNames(n).orderer);
  const tlsCas = allCityNodes().map((c) => c.tlsCaCert);
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    FABRIC_CFG_PATH: fabric.configDir,
    FABRIC_LOGGING_SPEC: networkSettings().fabricLogging,
    ORDERER_GENERAL_LISTENADDRESS: n.host,
    ORDERER_GENERAL_LISTENPORT: String(n.ports.orderer),
    ORDERER_GENERAL_LOCALMSPID: n.city.mspId,
    ORDERER_GENERAL_LOCALMSPDIR: join(dir, 'msp'),
    ORDERER_GENERAL_TLS_ENABLED: 'true',
    ORDERER_GENERAL_TLS_PRIVATEKEY: join(dir, 'tls', 'server.key'),
    ORDERER_GENERAL_TLS_CERTIFICATE: join(dir, 'tls', 'server.crt'),
    ORDERER_GENERAL_TLS_ROOTCAS: list([join(dir, 'tls', 'ca.crt')]),
    ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE: join(dir, 'tls', 'server.crt'),
    ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY: join(dir, 'tls', 'server.key'),
    ORDERER_GENERAL_CLUSTER_ROOTCAS: list(tlsCas),
    ORDERER_GENERAL_BOOTSTRAPMETHOD: 'none',
    ORDERER_CHANNELPARTICIPATION_ENABLED: 'true',
    ORDERER_ADMIN_LISTENADDRESS: `${n.host}:${n.ports.ordererAdmin}`,
    ORDERER_ADMIN_TLS_ENABLED: 'true',
    ORDERER_ADMIN_TLS_CERTIFICATE: join(dir, 'tls', 'server.crt'),
    ORDERER_ADMIN_TLS_PRIVATEKEY: join(dir, 'tls', 'server.key'),
    ORDERER_ADMIN_TLS_ROOTCAS: list([join(dir, 'tls', 'ca.crt')]),
    ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED: 'true',
    ORDERER_ADMIN_TLS_CLIENTROOTCAS: list([n.tlsCaCert]),
    ORDERER_FILELEDGER_LOCATION: join(data, 'ledger'),
    ORDERER_CONSENSUS_WALDIR: join(data, 'consensus', 'wal'),
    ORDERER_CONSENSUS_SNAPDIR: join(data, 'consensus', 'snapshot'),
    ORDERER_OPERATIONS_LISTENADDRESS: `${n.host}:${n.ports.ordererOperations}`,
    ORDERER_METRICS_PROVIDER: 'prometheus',
  };
}

/** Variables the external chaincode-as-a-service builder receives from the peer. */
const CCAAS_VARS = ['JCC_CCAAS_ADDRESS', 'JCC_CCAAS_ROOT_CERT', 'JCC_CCAAS_CLIENT_CERT', 'JCC_CCAAS_CLIENT_KEY'];

/** The environment of a city's peer: Fabric's default core.yaml overridden by variables. */
export function peerEnv(fabric: FabricInstall, n: CityNodes): NodeJS.ProcessEnv {
  const dir = n.peerDir;
  const data = join(runtimePaths.nodes, nodeNames(n).peer);
  const address = `${n.host}:${n.ports.peer}`;
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    FABRIC_CFG_PATH: fabric.configDir,
    FABRIC_LOGGING_SPEC: networkSettings().fabricLogging,
    CORE_PEER_ID: n.peerHost,
    CORE_PEER_ADDRESS: address,
    CORE_PEER_LISTENADDRESS: address,
    CORE_PEER_CHAINCODEADDRESS: `${n.host}:${n.ports.peerChaincode}`,
    CORE_PEER_CHAINCODELISTENADDRESS: `${n.host}:${n.ports.peerChaincode}`,
    CORE_PEER_GOSSIP_BOOTSTRAP: address,
    CORE_PEER_GOSSIP_EXTERNALENDPOINT: address,
    // Peers that start together find each other quickly: retry unreachable members every 2 s (default 25 s).
    CORE_PEER_GOSSIP_RECONNECTINTERVAL: '2s',
    CORE_PEER_GOSSIP_ALIVETIMEINTERVAL: '2s',
    CORE_PEER_GOSSIP_ALIVEEXPIRATIONTIMEOUT: '10s',
    // Every write carries private data (the seals: chaincode/src/lib/seal.ts), yet only its hash, which is in
    // the block, is ever read. A peer that missed a block's private values (cut off while they were sent) waits
    // this long trying to pull them before committing the block without them (default 60 s, per block); the
    // reconciler fetches them later.
    CORE_PEER_GOSSIP_PVTDATA_PULLRETRYTHRESHOLD: '3s',
    // An invalid transaction's private values are never applied, and for a second copy of a resent transaction
    // (DUPLICATE_TXID) they are gone from the transient store once the first copy committed: not waited for.
    CORE_PEER_GOSSIP_PVTDATA_SKIPPULLINGINVALIDTRANSACTIONSDURINGCOMMIT: 'true',
    CORE_PEER_LOCALMSPID: n.city.mspId,
    CORE_PEER_MSPCONFIGPATH: join(dir, 'msp'),
    CORE_PEER_TLS_ENABLED: 'true',
    CORE_PEER_TLS_CERT_FILE: join(dir, 'tls', 'server.crt'),
    CORE_PEER_TLS_KEY_FILE: join(dir, 'tls', 'server.key'),
    CORE_PEER_TLS_ROOTCERT_FILE: join(dir, 'tls', 'ca.crt'),
    CORE_PEER_FILESYSTEMPATH: data,
    CORE_LEDGER_SNAPSHOTS_ROOTDIR: join(data, 'snapshots'),
    CORE_LEDGER_STATE_STATEDATABASE: 'goleveldb',
    CORE_OPERATIONS_LISTENADDRESS: `${n.host}:${n.ports.peerOperations}`,
    CORE_METRICS_PROVIDER: 'prometheus',
    ...(networkSettings().fabricProfile
      ? { CORE_PEER_PROFILE_ENABLED: 'true', CORE_PEER_PROFILE_LISTENADDRESS: `${n.host}:${n.ports.peerOperations + 1000}` }
      : {}),
    CORE_VM_ENDPOINT: '',
    CORE_CHAINCODE_EXTERNALBUILDERS: `[{name: jcc-ccaas, path: ${CCAAS_BUILDER_DIR}, propagateEnvironment: [${CCAAS_VARS.join(', ')}]}]`,
    JCC_CCAAS_ADDRESS: `${n.host}:${n.ports.chaincodeServer}`,
    JCC_CCAAS_ROOT_CERT: n.tlsCaCert,
    JCC_CCAAS_CLIENT_CERT: join(dir, 'tls', 'server.crt'),
    JCC_CCAAS_CLIENT_KEY: join(dir, 'tls', 'server.key'),
  };
}

/** How a city's ordering node is started (in the city's namespace in the `--hosts` mode). */
export function ordererSpec(fabric: FabricInstall, n: CityNodes): ProcessSpec {
  return {
    name: nodeNames(n).orderer,
    ...(n.netns ? { netns: n.netns } : {}),
    program: join(fabric.binDir, 'orderer'),
    args: [],
    env: ordererEnv(fabric, n),
  };
}

/** How a city's peer is started (in the city's namespace in the `--hosts` mode). */
export function peerSpec(fabric: FabricInstall, n: CityNodes): ProcessSpec {
  return {
    name: nodeNames(n).peer,
    ...(n.netns ? { netns: n.netns } : {}),
    program: join(fabric.binDir, 'peer'),
    args: ['node', 'start'],
    env: peerEnv(fabric, n),
  };
}

/** The environment under which Fabric's own `peer` CLI acts as a city's admin against that city's peer. */
export function adminCliEnv(fabric: FabricInstall, n: CityNodes): Record<string, string> {
  return {
    FABRIC_CFG_PATH: fabric.configDir,
    CORE_PEER_LOCALMSPID: n.city.mspId,
    CORE_PEER_MSPCONFIGPATH: n.adminMspDir,
    CORE_PEER_ADDRESS: `${n.host}:${n.ports.peer}`,
    CORE_PEER_TLS_ENABLED: 'true',
    CORE_PEER_TLS_ROOTCERT_FILE: n.tlsCaCert,
    ORDERER_ADDRESS: `${n.host}:${n.ports.orderer}`,
    ORDERER_TLS_CA: n.tlsCaCert,
  };
}

/** The command line of a city's chaincode server (CCaaS) for a chaincode package id, with mutual TLS. */
export function chaincodeServerSpec(n: CityNodes, packageId: string): ProcessSpec & { cwd: string } {
  const dir = n.chaincodeServerDir;
  return {
    name: nodeNames(n).chaincode,
    ...(n.netns ? { netns: n.netns } : {}),
    program: process.execPath,
    args: [
      join(REPO_ROOT, 'node_modules', 'fabric-shim', 'cli.js'),
      'server',
      `--chaincode-address=${n.host}:${n.ports.chaincodeServer}`,
      `--chaincode-id=${packageId}`,
      `--chaincode-tls-cert-file=${join(dir, 'tls', 'server.crt')}`,
      `--chaincode-tls-key-file=${join(dir, 'tls', 'server.key')}`,
      `--chaincode-tls-client-cacert-file=${n.tlsCaCert}`,
      `--module-path=${join(REPO_ROOT, 'chaincode')}`,
    ],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      CORE_CHAINCODE_LOGGING_LEVEL: networkSettings().chaincodeLogging,
      NODE_ENV: 'production',
    },
    cwd: join(REPO_ROOT, 'chaincode'),
  };
}

/** The compiled city gateway (`npm run build`, or `tsc -b gateway`, writes it). */
export const GATEWAY_MAIN = join(REPO_ROOT, 'gateway', 'dist', 'main.js');

/**
 * The command line of a city gateway, the one every supervisor uses (the
 * gateways of `npm run gateways`, the benchmark's, the tests'): Node on the
 * compiled gateway, `nodeArgs` before the script and `args` after the city.
 * Not under a TypeScript loader: it costs each process about 80 MiB of
 * memory (an idle gateway measured 232 MiB under tsx, 154 MiB compiled) and
 * each worker thread its own copy. `markers` name the process for the
 * supervisor's program check.
 */
export function gatewayCommand(
  city: string,
  args: readonly string[] = [],
  nodeArgs: readonly string[] = [],
): { program: string; args: string[]; markers: string[] } {
  return { program: process.execPath, args: [...nodeArgs, GATEWAY_MAIN, city, ...args], markers: [GATEWAY_MAIN, city, ...args] };
}
