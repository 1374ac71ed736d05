import { CITIES } from '@jcc/domain';
import { stringify } from 'yaml';
import { FABRIC_CA_VERSION, FABRIC_VERSION } from '../fabricRelease.js';
import { CONTAINER_PATHS, chaincodeContainerCommand, ordererContainerEnv, peerContainerEnv } from './containerEnv.js';
import type { DeployCity } from './kitTopology.js';

/** The images a city runs. The peer image is the official one plus Node.js for the CCaaS builder's release step. */
export function kitImages(imagePrefix: string, projectVersion: string) {
  return {
    orderer: `hyperledger/fabric-orderer:${FABRIC_VERSION}`,
    peerBase: `hyperledger/fabric-peer:${FABRIC_VERSION}`,
    peer: `${imagePrefix}/fabric-peer-ccaas:${FABRIC_VERSION}`,
    ca: `hyperledger/fabric-ca:${FABRIC_CA_VERSION}`,
    gateway: `${imagePrefix}/gateway:${projectVersion}`,
    chaincode: `${imagePrefix}/chaincode:${projectVersion}`,
  };
}

/** The images of the kit. */
export type KitImages = ReturnType<typeof kitImages>;

/** The compose project name of a city (COMPOSE_PROJECT_NAME in its `.env`: compose v1 has no top-level `name`). */
export const composeProjectName = (city: DeployCity): string => `jcc-${city.city.id}`;

const publish = (...ports: number[]) => ports.map((p) => `${p}:${p}`);

/** The other cities' host names with their addresses, for hosts without shared DNS. */
function extraHosts(city: DeployCity, all: DeployCity[]): string[] {
  return all
    .filter((c) => c !== city && c.address)
    .flatMap((c) => [c.hosts.orderer, c.hosts.peer, c.hosts.gateway].map((h) => `${h}:${c.address}`));
}

/** The gateway's environment: the gateway's own variables (see gateway/src/config). */
export function gatewayContainerEnv(city: DeployCity, all: DeployCity[]): Record<string, string> {
  return {
    JCC_CITY: city.city.id,
    JCC_GATEWAY_HOST: '0.0.0.0',
    JCC_GATEWAY_PORT: String(city.ports.gateway),
    JCC_GATEWAY_PUBLIC_URL: city.gatewayPublicUrl,
    JCC_GATEWAY_STORE: CONTAINER_PATHS.gatewayStore,
    JCC_NETWORK_FILE: `${CONTAINER_PATHS.gatewayConfig}/network.json`,
    JCC_FABRIC_USER: 'app',
    JCC_CONSORTIUM_SECRET_FILE: CONTAINER_PATHS.consortiumSecret,
    JCC_PEER_GATEWAYS: all
      .filter((c) => c !== city)
      .map((c) => `${c.city.id}=${c.gatewayPublicUrl}`)
      .join(','),
  };
}

/**
 * The compose document of one city: its CA, ordering node, peer (with the CCaaS builder
 * mounted), chaincode server and gateway, with the topology's ports, the city's host names
 * as container host names and network aliases, a named volume per ledger and store, and the
 * crypto material bind-mounted read-only. Paths are relative to the city's kit folder.
 */
export function composeDocument(city: DeployCity, all: DeployCity[], images: KitImages): Record<string, unknown> {
  const p = city.ports;
  const hosts = extraHosts(city, all);
  const common = { restart: 'unless-stopped', ...(hosts.length ? { extra_hosts: hosts } : {}) };
  const alias = (host: string) => ({ networks: { default: { aliases: [host] } } });
  const crypto = `./crypto:${CONTAINER_PATHS.crypto}:ro`;
  return {
    services: {
      ca: {
        image: images.ca,
        hostname: city.hosts.ca,
        ...common,
        // The home is initialised beforehand (npm run deploy:ca -- init): configuration, CA key and certificate.
        command: ['fabric-ca-server', 'start', '--home', CONTAINER_PATHS.caHome],
        environment: { FABRIC_CA_HOME: CONTAINER_PATHS.caHome },
        volumes: [`./ca:${CONTAINER_PATHS.caHome}`],
        ports: publish(p.ca),
        ...alias(city.hosts.ca),
      },
      orderer: {
        image: images.orderer,
        hostname: city.hosts.orderer,
        ...common,
        environment: ordererContainerEnv(city, all),
        volumes: [crypto, `./orgs:${CONTAINER_PATHS.orgs}:ro`, `orderer-ledger:${CONTAINER_PATHS.ledger}`],
        ports: publish(p.orderer, p.ordererAdmin, p.ordererOperations),
        ...alias(city.hosts.orderer),
      },
      peer: {
        image: images.peer,
        hostname: city.hosts.peer,
        ...common,
        depends_on: ['orderer', 'chaincode'],
        environment: peerContainerEnv(city, all),
        volumes: [crypto, `./builders/ccaas:${CONTAINER_PATHS.builder}:ro`, `peer-ledger:${CONTAINER_PATHS.ledger}`],
        ports: publish(p.peer, p.peerOperations),
        ...alias(city.hosts.peer),
      },
      chaincode: {
        image: images.chaincode,
        hostname: city.hosts.chaincode,
        ...common,
        command: chaincodeContainerCommand(city, all),
        environment: { CORE_CHAINCODE_LOGGING_LEVEL: 'warning', NODE_ENV: 'production' },
        volumes: [crypto],
        expose: [String(p.chaincodeServer)],
        ...alias(city.hosts.chaincode),
      },
      gateway: {
        image: images.gateway,
        hostname: city.hosts.gateway,
        ...common,
        depends_on: ['peer'],
        command: [city.city.id],
        environment: gatewayContainerEnv(city, all),
        volumes: [
          crypto,
          `./gateway:${CONTAINER_PATHS.gatewayConfig}:ro`,
          `./secrets/consortium-secret:${CONTAINER_PATHS.consortiumSecret}:ro`,
          `gateway-store:${CONTAINER_PATHS.gatewayStore}`,
        ],
        ports: publish(p.gateway),
        ...alias(city.hosts.gateway),
      },
    },
    volumes: { 'orderer-ledger': {}, 'peer-ledger': {}, 'gateway-store': {} },
  };
}

/** A compose document as YAML, with a header saying where it came from. */
export function composeYaml(city: DeployCity, doc: Record<string, unknown>): string {
  const header = [
    `# ${city.city.name} (${city.city.nameZh}) — ${city.city.mspId}: generated by npm run deploy:kit from network/src/topology.ts`,
    '# and the cities parameters file. Do not edit: change the parameters and generate again.',
    `# Cities in the consortium: ${CITIES.map((c) => c.id).join(', ')}.`,
  ];
  return `${header.join('\n')}\n${stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
