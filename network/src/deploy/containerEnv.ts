import { join } from 'node:path';
import type { FabricInstall } from '../fabricBin.js';
import { chaincodeServerSpec, nodeNames, ordererEnv, peerEnv } from '../nodeEnv.js';
import { CCAAS_BUILDER_DIR, REPO_ROOT, RUNTIME_DIR, runtimePaths } from '../paths.js';
import type { DeployCity } from './kitTopology.js';
import {
  assertRelocated,
  hostNameRules,
  hostsByPort,
  localAddressesOf,
  orgPathRules,
  relocateString,
  type Relocation,
} from './relocate.js';

/** Where things live inside the containers of a city. */
export const CONTAINER_PATHS = {
  /** Fabric's default core.yaml / orderer.yaml in the official images. */
  fabricConfig: '/etc/hyperledger/fabric',
  /** The city's own crypto material (cryptogen layout, issued by its CA), read-only. */
  crypto: '/etc/jcc/crypto',
  /** The other cities' public material (org MSP, TLS CA, orderer TLS certificate), read-only. */
  orgs: '/etc/jcc/orgs',
  /** Ledger of the node (a named volume). */
  ledger: '/var/hyperledger/production',
  /** The external CCaaS builder of network/builders/ccaas, mounted read-only into the peer. */
  builder: '/opt/jcc/builders/ccaas',
  /** The gateway's network description. */
  gatewayConfig: '/etc/jcc/gateway',
  /** The gateway's LevelDB store (a named volume). */
  gatewayStore: '/var/lib/jcc/gateway',
  /** The consortium secret file. */
  consortiumSecret: '/run/secrets/consortium-secret',
  /** The Fabric CA server's home: config, keys, SQLite registry. */
  caHome: '/etc/hyperledger/fabric-ca-server',
} as const;

/** The Fabric installation the official images stand for. */
const IMAGE_FABRIC: FabricInstall = { binDir: '/usr/local/bin', configDir: CONTAINER_PATHS.fabricConfig, source: 'image' };

/** Variables of the single-host environment that the images set themselves. */
const HOST_ONLY = new Set(['PATH', 'HOME']);

/** The relocation of the single-host network's values into `city`'s containers. */
export function containerRelocation(city: DeployCity, all: DeployCity[]): Relocation {
  const paths: [string, string][] = [
    ...orgPathRules(city, CONTAINER_PATHS.crypto),
    ...all.filter((c) => c !== city).flatMap((c) => orgPathRules(c, `${CONTAINER_PATHS.orgs}/${c.city.id}`)),
    [join(runtimePaths.nodes, nodeNames(city.local).orderer), CONTAINER_PATHS.ledger],
    [join(runtimePaths.nodes, nodeNames(city.local).peer), CONTAINER_PATHS.ledger],
    [CCAAS_BUILDER_DIR, CONTAINER_PATHS.builder],
  ];
  paths.sort((a, b) => b[0].length - a[0].length);
  return { paths, hosts: hostNameRules(all), hostOfPort: hostsByPort(all), addresses: localAddressesOf(all) };
}

function relocateEnv(env: NodeJS.ProcessEnv, r: Relocation, what: string): Record<string, string> {
  const addresses = r.addresses ?? [];
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (HOST_ONLY.has(key) || value === undefined) continue;
    out[key] = relocateString(value, r, /LISTENADDRESS$/.test(key));
  }
  assertRelocated(out, [REPO_ROOT, RUNTIME_DIR, ...addresses], what, r);
  return out;
}

/**
 * The ordering node's container environment: exactly the variables the single-host network
 * sets ({@link ordererEnv}), relocated to the city's host names and container paths.
 */
export function ordererContainerEnv(city: DeployCity, all: DeployCity[]): Record<string, string> {
  return relocateEnv(ordererEnv(IMAGE_FABRIC, city.local), containerRelocation(city, all), `orderer of ${city.city.id}`);
}

/** The peer's container environment, from {@link peerEnv} likewise; the CCaaS builder path is the mounted one. */
export function peerContainerEnv(city: DeployCity, all: DeployCity[]): Record<string, string> {
  return relocateEnv(peerEnv(IMAGE_FABRIC, city.local), containerRelocation(city, all), `peer of ${city.city.id}`);
}

/**
 * The chaincode server's command line in its container (the image's entry point is
 * fabric-shim's `cli.js`): the single-host arguments ({@link chaincodeServerSpec}) relocated,
 * listening on all interfaces, the package id from `${CHAINCODE_ID}`.
 */
export function chaincodeContainerCommand(city: DeployCity, all: DeployCity[]): string[] {
  const marker = '@@CHAINCODE_ID@@';
  const spec = chaincodeServerSpec(city.local, marker);
  const r = containerRelocation(city, all);
  const args = spec.args
    .slice(1) // the local path of fabric-shim's cli.js: the image's entry point
    .filter((a) => !a.startsWith('--module-path='))
    .map((a) => relocateString(a, r, a.startsWith('--chaincode-address=')).replace(marker, '${CHAINCODE_ID}'));
  args.push('--module-path=/app/chaincode');
  assertRelocated(args, [REPO_ROOT, RUNTIME_DIR, ...(r.addresses ?? [])], `chaincode server of ${city.city.id}`, r);
  return args;
}
