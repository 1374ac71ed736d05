/**
 * The identities of the `--hosts` mode, from each city's own Fabric CA (the deployment
 * kit's identity path, run here instead of cryptogen): per city a fabric-ca-server inside
 * the city's namespace, configured as the kit configures it ({@link caServerConfig}, on the
 * city's address), and the city's peer, ordering node, chaincode server, admin and
 * application (gateway) user registered and enrolled from it, TLS certificates included,
 * by the kit's one enrolment ({@link enrolCity}) into the layout the network reads.
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { citySans } from './cryptoMaterial.js';
import { caProcessName, caServerSpec, initCa, type CaListen } from './deploy/caServer.js';
import { enrolCity } from './deploy/enrol.js';
import { deployCities, hostsDeployParams, type DeployCity } from './deploy/kitTopology.js';
import { ensureFabricCa } from './fabricBin.js';
import type { HostsLayout } from './hostsLayout.js';
import { pathExists, runtimePaths } from './paths.js';
import { startProcess, waitForPort } from './processes.js';

/** Where the `--hosts` mode keeps a city's CA: its home, with key, certificates, registry and bootstrap secret. */
export function cityCaHome(id: string): string {
  return join(runtimePaths.ca, id);
}

/** How the `--hosts` mode's CA of a city listens: on the city's address, which its TLS certificate names too. */
export function hostsCaListen(c: DeployCity): CaListen {
  if (!c.address) throw new RangeError(`${c.city.id} has no address in this layout`);
  return { address: c.address, extraHosts: [c.address] };
}

/** The bootstrap registrar's password of a CA home, created (mode 600, in the ignored runtime folder) with the home. */
async function caHomeReady(binDir: string, c: DeployCity, home: string): Promise<string> {
  const secretFile = join(home, 'registrar.secret');
  if (await pathExists(join(home, 'ca-cert.pem'))) return (await readFile(secretFile, 'utf8')).trim();
  const password = randomBytes(24).toString('base64url');
  await initCa(binDir, home, c, hostsCaListen(c), password);
  await writeFile(secretFile, password + '\n', { mode: 0o600 });
  return password;
}

/**
 * Starts each city's CA in its namespace (kept running, a process of the network like its
 * nodes) and enrols the city's identities from it unless they exist. Returns one line per
 * city: `enrolled` or `kept`.
 */
export async function ensureCaIdentities(layout: HostsLayout, log: (line: string) => void): Promise<string[]> {
  const ca = await ensureFabricCa(log);
  const cities = deployCities(hostsDeployParams(layout), layout);
  return Promise.all(
    cities.map(async (c) => {
      const home = cityCaHome(c.city.id);
      const password = await caHomeReady(ca.binDir, c, home);
      const name = caProcessName(c.city.id);
      await startProcess(caServerSpec(ca.binDir, home, c, c.local.netns));
      await waitForPort(name, c.ports.ca, { host: c.address! });
      if (await pathExists(c.local.tlsCaCert)) return `${c.city.id}: identities kept (CA ${name} on ${c.address}:${c.ports.ca})`;
      const access = {
        url: `https://${c.address}:${c.ports.ca}`,
        tlsCertFile: join(home, 'tls-cert.pem'),
        registrar: { name: 'admin', password },
      };
      const identities = await enrolCity(ca.binDir, c, access, c.local.orgDir, { extraTlsHosts: citySans(c.address!) });
      return `${c.city.id}: enrolled ${identities.map((i) => i.name.split('.')[0]).join(', ')} from ${name} on ${c.address}:${c.ports.ca}`;
    }),
  );
}
