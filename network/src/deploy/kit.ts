import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { CityId } from '@jcc/domain';
import { chaincodeDigest, ENDORSEMENT_POLICY, writeCcaasPackage, writeCollectionsConfig } from '../chaincodeDeploy.js';
import { FABRIC_CA_VERSION, FABRIC_VERSION } from '../fabricRelease.js';
import type { NetworkFile } from '../ledger/networkFile.js';
import { CCAAS_BUILDER_DIR, REPO_ROOT } from '../paths.js';
import { CHAINCODE, CHANNEL } from '../topology.js';
import { deployChannelProfile } from './channel.js';
import type { DeployParams } from './cities.js';
import { composeDocument, composeProjectName, composeYaml, kitImages, type KitImages } from './compose.js';
import { containerRelocation } from './containerEnv.js';
import { deployCities, type DeployCity, type DeployHosts } from './kitTopology.js';
import { caServerConfig } from './caServer.js';
import { relocateValue } from './relocate.js';

/** What the kit was generated with: the values a reviewer compares with the single-host network. */
export interface KitSummary {
  channel: string;
  chaincode: { name: string; version: string; label: string; packageId: string; endorsementPolicy: string };
  consensus: DeployParams['consensus'];
  fabric: { version: string; caVersion: string };
  images: KitImages;
  cities: Record<
    CityId,
    { mspId: string; domain: string; hosts: DeployHosts; address?: string; ports: DeployCity['ports']; gatewayPublicUrl: string }
  >;
}

/** The `peer lifecycle chaincode calculatepackageid` of a package file: its label and the SHA-256 of its bytes. */
export async function ccaasPackageId(label: string, packagePath: string): Promise<string> {
  return `${label}:${createHash('sha256')
    .update(await readFile(packagePath))
    .digest('hex')}`;
}

/**
 * The network description (`network.json`) a city's gateway reads in its container: its own
 * city only, in the shape the single-host network writes, relocated to container paths and
 * host names. Identity files are named as cryptogen (and {@link enrolCity}) name them.
 */
export function gatewayNetworkFile(city: DeployCity, all: DeployCity[], consensus: DeployParams['consensus']): NetworkFile {
  const n = city.local;
  const identity = (mspDir: string, name: string) => ({
    certPath: join(mspDir, 'signcerts', `${name}-cert.pem`),
    keyPath: join(mspDir, 'keystore', 'priv_sk'),
  });
  const local: NetworkFile = {
    channel: CHANNEL,
    chaincode: CHAINCODE,
    consensus,
    cities: {
      [n.city.id]: {
        mspId: n.city.mspId,
        peer: { endpoint: `${n.host}:${n.ports.peer}`, hostAlias: city.hosts.peer, tlsRootCertPath: n.tlsCaCert },
        orderer: { endpoint: `${n.host}:${n.ports.orderer}`, hostAlias: city.hosts.orderer, tlsRootCertPath: n.tlsCaCert },
        users: { admin: identity(n.adminMspDir, `Admin@${n.orgDomain}`), app: identity(n.appMspDir, `User1@${n.orgDomain}`) },
      },
    },
  };
  return relocateValue(local, containerRelocation(city, all));
}

const readme = (lines: string[]) => `${lines.join('\n')}\n`;

/**
 * Generates the deployment kit into `outDir` (replacing it): per city a folder with its
 * compose file, `.env` (the chaincode package id), the CCaaS builder the peer mounts, the
 * gateway's network description and the CA configuration template; at the top the channel
 * configuration, the chaincode package and `kit.json`. No secret and no key is written: the
 * crypto material comes from each city's CA on its own host (see docs/deployment-kit.md).
 */
export async function writeKit(params: DeployParams, outDir: string, log: (line: string) => void = () => {}): Promise<KitSummary> {
  const cities = deployCities(params);
  const projectVersion = (JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const images = kitImages(params.imagePrefix, projectVersion);
  const version = await chaincodeDigest();
  const label = `${CHAINCODE}_${version}`;
  await rm(outDir, { recursive: true, force: true });
  await mkdir(join(outDir, 'chaincode'), { recursive: true });
  await writeCollectionsConfig(join(outDir, 'chaincode'));
  const packagePath = join(outDir, 'chaincode', `${label}.tar.gz`);
  await cp(await writeCcaasPackage(version), packagePath);
  const packageId = await ccaasPackageId(label, packagePath);
  log(`chaincode package ${label}.tar.gz, id ${packageId}`);

  await mkdir(join(outDir, 'channel'), { recursive: true });
  await writeFile(
    join(outDir, 'channel', 'configtx.yaml'),
    `# Channel ${CHANNEL}: the single-host network's profile with the cities' real host names. MSPDir and\n` +
      `# certificate paths are relative to this file: put each city's public folder (exportPublicOrg) in orgs/<city>/.\n` +
      stringify(
        { Profiles: (deployChannelProfile(cities, params.consensus) as { Profiles: object }).Profiles },
        { lineWidth: 0, aliasDuplicateObjects: false },
      ),
  );

  for (const city of cities) {
    const dir = join(outDir, city.city.id);
    await mkdir(join(dir, 'gateway'), { recursive: true });
    await writeFile(join(dir, 'docker-compose.yaml'), composeYaml(city, composeDocument(city, cities, images)));
    await writeFile(
      join(dir, '.env'),
      [
        '# Read by docker compose. CHAINCODE_ID: the package the chaincode server serves, its id as the peers compute it.',
        `COMPOSE_PROJECT_NAME=${composeProjectName(city)}`,
        `CHAINCODE_ID=${packageId}`,
        '',
      ].join('\n'),
    );
    await cp(CCAAS_BUILDER_DIR, join(dir, 'builders', 'ccaas'), { recursive: true });
    await writeFile(
      join(dir, 'gateway', 'network.json'),
      JSON.stringify(gatewayNetworkFile(city, cities, params.consensus), null, 2) + '\n',
    );
    await mkdir(join(dir, 'ca'), { recursive: true });
    await writeFile(
      join(dir, 'ca', 'fabric-ca-server-config.yaml.template'),
      caServerConfig(city, { address: '0.0.0.0' }, '<BOOTSTRAP PASSWORD: written by npm run deploy:ca -- init, never committed>'),
    );
    for (const [sub, text] of [
      [
        'crypto',
        `The crypto material of ${city.city.mspId} in cryptogen's layout, enrolled from the city's own CA: npm run deploy:ca -- enrol.`,
      ],
      ['orgs', "The other cities' public folders (org MSP, TLS CA, orderer certificates): orgs/<city>/, as each city exports them."],
      ['secrets', 'consortium-secret: the consortium secret shared by the five gateways (pseudonyms). Never commit it.'],
    ] as const) {
      await mkdir(join(dir, sub), { recursive: true });
      await writeFile(join(dir, sub, 'README.txt'), readme([text]));
    }
    log(`${city.city.id}: ${dir}`);
  }

  const summary: KitSummary = {
    channel: CHANNEL,
    chaincode: { name: CHAINCODE, version, label, packageId, endorsementPolicy: ENDORSEMENT_POLICY },
    consensus: params.consensus,
    fabric: { version: FABRIC_VERSION, caVersion: FABRIC_CA_VERSION },
    images,
    cities: Object.fromEntries(
      cities.map((c) => [
        c.city.id,
        {
          mspId: c.city.mspId,
          domain: c.domain,
          hosts: c.hosts,
          ...(c.address ? { address: c.address } : {}),
          ports: c.ports,
          gatewayPublicUrl: c.gatewayPublicUrl,
        },
      ]),
    ) as KitSummary['cities'],
  };
  await writeFile(join(outDir, 'kit.json'), JSON.stringify(summary, null, 2) + '\n');
  await writeFile(
    join(outDir, 'README.txt'),
    readme([
      'Deployment kit of the Jiaodong Credit Chain, generated by npm run deploy:kit. See docs/deployment-kit.md.',
      "One folder per city (copy it to that city's host); channel/ and chaincode/ are shared; kit.json lists every value.",
    ]),
  );
  return summary;
}
