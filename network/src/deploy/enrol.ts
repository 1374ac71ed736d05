import { randomBytes } from 'node:crypto';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { CommandError, runTool } from '../exec.js';
import { caName } from './caServer.js';
import { nodeLabel, type DeployCity } from './kitTopology.js';
import { mspFiles, orgLayout } from './orgLayout.js';

/** Fabric's identity types, which Fabric CA writes as the certificate's OU (NodeOUs). */
export type IdentityType = 'peer' | 'orderer' | 'admin' | 'client';

/** One identity a city enrols from its CA. */
export interface CityIdentity {
  /** Enrolment id and certificate CN: `peer0.<domain>`, `Admin@<domain>`. */
  name: string;
  type: IdentityType;
  /** Folder in the organisation's cryptogen layout. */
  dir: string;
  /** Host names on its TLS certificate; none = no TLS certificate. */
  tlsHosts: string[];
  /** `server` for nodes (`tls/server.crt`), `client` for users (`tls/client.crt`). */
  tlsRole: 'server' | 'client';
}

/** How to reach a city's CA as its bootstrap registrar. */
export interface CaAccess {
  /** `https://ca.<domain>:7054` (or a loopback name on its TLS certificate). */
  url: string;
  /** The CA's TLS certificate (`tls-cert.pem` of the CA's home), or a CA certificate that issued it. */
  tlsCertFile: string;
  registrar: { name: string; password: string };
}

/**
 * The identities of a city, as the single-host network's cryptogen makes them: its peer,
 * ordering node and chaincode server (TLS server certificates for their host names), an
 * admin (with a TLS client certificate for the orderer's admin API) and an application user.
 */
export function cityIdentities(c: DeployCity, orgDir: string, extraTlsHosts: string[] = []): CityIdentity[] {
  const layout = orgLayout(orgDir, c.domain);
  const node = (localHost: string, host: string, type: IdentityType): CityIdentity => {
    const label = nodeLabel(localHost, c.local.orgDomain);
    return { name: `${label}.${c.domain}`, type, dir: layout.node(label), tlsHosts: [host, ...extraTlsHosts], tlsRole: 'server' };
  };
  return [
    node(c.local.peerHost, c.hosts.peer, 'peer'),
    node(c.local.ordererHost, c.hosts.orderer, 'orderer'),
    // The chaincode server is a TLS endpoint only; like cryptogen's node specs it is of type peer.
    node(c.local.chaincodeHost, c.hosts.chaincode, 'peer'),
    { name: `Admin@${c.domain}`, type: 'admin', dir: layout.user('Admin'), tlsHosts: [`Admin@${c.domain}`], tlsRole: 'client' },
    { name: `User1@${c.domain}`, type: 'client', dir: layout.user('User1'), tlsHosts: [], tlsRole: 'client' },
  ];
}

/** The NodeOUs configuration (`config.yaml`) of an MSP folder: roles from the OU the CA wrote. */
export function nodeOuConfig(domain: string): string {
  const cert = mspFiles.cacert(domain);
  const ou = (id: string) => ({ Certificate: cert, OrganizationalUnitIdentifier: id });
  return stringify({
    NodeOUs: {
      Enable: true,
      ClientOUIdentifier: ou('client'),
      PeerOUIdentifier: ou('peer'),
      AdminOUIdentifier: ou('admin'),
      OrdererOUIdentifier: ou('orderer'),
    },
  });
}

async function onlyFile(dir: string): Promise<string> {
  const files = (await readdir(dir)).filter((f) => !f.startsWith('.'));
  if (files.length !== 1 || !files[0]) throw new Error(`expected one file in ${dir}, found ${files.length}`);
  return join(dir, files[0]);
}

/**
 * Registers and enrols a city's identities from the city's own Fabric CA with
 * `fabric-ca-client`, and lays them out in `orgDir` as cryptogen would (so the network's
 * code reads them unchanged): per identity `msp/` (signcerts, keystore/priv_sk, cacerts,
 * tlscacerts, config.yaml with NodeOUs) and `tls/` (`server.*` or `client.*`, `ca.crt`);
 * for the organisation `msp/` (cacerts, tlscacerts, config.yaml) and `tlsca/`. TLS
 * certificates come from the same CA's `tls` profile, so the TLS CA is the city's CA.
 * Re-running gives identities already registered a new secret and enrols them again.
 */
export async function enrolCity(
  clientBin: string,
  c: DeployCity,
  ca: CaAccess,
  orgDir: string,
  options: { extraTlsHosts?: string[]; log?: (line: string) => void } = {},
): Promise<CityIdentity[]> {
  const log = options.log ?? (() => {});
  const client = join(clientBin, 'fabric-ca-client');
  const work = await mkdtemp(join(tmpdir(), `jcc-enrol-${c.city.id}-`));
  const base = ['--caname', caName(c), '--tls.certfiles', ca.tlsCertFile];
  const names = `C=CN,ST=Shandong,L=${c.city.name},O=${c.city.mspId}`;
  const run = (args: string[], home: string) =>
    runTool(client, [...args, ...base, '--home', home], { ...process.env, FABRIC_CA_CLIENT_HOME: home });
  const url = (name: string, password: string) => {
    const u = new URL(ca.url);
    u.username = encodeURIComponent(name);
    u.password = encodeURIComponent(password);
    return u.toString().replace(/\/$/, '');
  };
  try {
    const registrarHome = join(work, 'registrar');
    await run(['enroll', '-u', url(ca.registrar.name, ca.registrar.password)], registrarHome);
    log(`${c.city.id}: enrolled the CA's registrar ${ca.registrar.name}`);
    const layout = orgLayout(orgDir, c.domain);
    const identities = cityIdentities(c, orgDir, options.extraTlsHosts);
    let caCertPem: string | undefined;
    for (const id of identities) {
      const secret = randomBytes(18).toString('base64url');
      try {
        await run(['register', '--id.name', id.name, '--id.secret', secret, '--id.type', id.type, '--id.affiliation', ''], registrarHome);
      } catch (err) {
        if (!(err instanceof CommandError) || !/already registered/i.test(err.stderr + err.stdout)) throw err;
        await run(['identity', 'modify', id.name, '--secret', secret], registrarHome);
      }
      const mspWork = join(work, id.name, 'msp');
      await run(
        ['enroll', '-u', url(id.name, secret), '--mspdir', mspWork, '--csr.names', names, '--csr.hosts', id.tlsHosts.join(',') || id.name],
        join(work, id.name),
      );
      const msp = join(id.dir, 'msp');
      await rm(id.dir, { recursive: true, force: true });
      await mkdir(join(msp, 'signcerts'), { recursive: true });
      await mkdir(join(msp, 'keystore'), { recursive: true });
      await mkdir(join(msp, 'cacerts'), { recursive: true });
      await mkdir(join(msp, 'tlscacerts'), { recursive: true });
      await cp(await onlyFile(join(mspWork, 'signcerts')), join(msp, mspFiles.signcert(id.name)));
      await cp(await onlyFile(join(mspWork, 'keystore')), join(msp, mspFiles.key));
      await chmod(join(msp, mspFiles.key), 0o600);
      caCertPem = await readFile(await onlyFile(join(mspWork, 'cacerts')), 'utf8');
      await writeFile(join(msp, mspFiles.cacert(c.domain)), caCertPem);
      await writeFile(join(msp, mspFiles.tlscacert(c.domain)), caCertPem);
      await writeFile(join(msp, mspFiles.config), nodeOuConfig(c.domain));
      if (id.tlsHosts.length) {
        const tlsWork = join(work, id.name, 'tls');
        await run(
          [
            'enroll',
            '-u',
            url(id.name, secret),
            '--mspdir',
            tlsWork,
            '--csr.names',
            names,
            '--enrollment.profile',
            'tls',
            '--csr.hosts',
            id.tlsHosts.join(','),
          ],
          join(work, id.name),
        );
        const tls = join(id.dir, 'tls');
        await mkdir(tls, { recursive: true });
        await cp(await onlyFile(join(tlsWork, 'signcerts')), join(tls, `${id.tlsRole}.crt`));
        await cp(await onlyFile(join(tlsWork, 'keystore')), join(tls, `${id.tlsRole}.key`));
        await chmod(join(tls, `${id.tlsRole}.key`), 0o600);
        await cp(await onlyFile(join(tlsWork, 'tlscacerts')), join(tls, 'ca.crt'));
      }
      log(`${c.city.id}: enrolled ${id.name} (${id.type}${id.tlsHosts.length ? ', with TLS' : ''})`);
    }
    if (!caCertPem) throw new Error('no identity enrolled');
    await mkdir(join(layout.orgMsp, 'cacerts'), { recursive: true });
    await mkdir(join(layout.orgMsp, 'tlscacerts'), { recursive: true });
    await mkdir(join(orgDir, 'tlsca'), { recursive: true });
    await writeFile(join(layout.orgMsp, mspFiles.cacert(c.domain)), caCertPem);
    await writeFile(join(layout.orgMsp, mspFiles.tlscacert(c.domain)), caCertPem);
    await writeFile(join(layout.orgMsp, mspFiles.config), nodeOuConfig(c.domain));
    await writeFile(layout.tlsCaCert, caCertPem);
    return identities;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Copies what a city shares with the other cities out of its organisation folder: the
 * organisation MSP, the TLS CA certificate and its ordering node's public certificates
 * (TLS server certificate and signing certificate, named in the channel's consenters).
 * Never a private key.
 */
export async function exportPublicOrg(c: DeployCity, orgDir: string, outDir: string): Promise<void> {
  const from = orgLayout(orgDir, c.domain);
  const to = orgLayout(outDir, c.domain);
  const orderer = nodeLabel(c.local.ordererHost, c.local.orgDomain);
  const ordererName = `${orderer}.${c.domain}`;
  await rm(outDir, { recursive: true, force: true });
  await cp(from.orgMsp, to.orgMsp, { recursive: true });
  await mkdir(join(to.tlsCaCert, '..'), { recursive: true });
  await cp(from.tlsCaCert, to.tlsCaCert);
  await mkdir(join(to.node(orderer), 'tls'), { recursive: true });
  await cp(join(from.node(orderer), 'tls', 'server.crt'), join(to.node(orderer), 'tls', 'server.crt'));
  await mkdir(join(to.node(orderer), 'msp', 'signcerts'), { recursive: true });
  await cp(join(from.node(orderer), 'msp', mspFiles.signcert(ordererName)), join(to.node(orderer), 'msp', mspFiles.signcert(ordererName)));
}
