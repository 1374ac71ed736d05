/**
 * A city's identities from its own Fabric CA:
 * - `npm run deploy:ca -- install` builds Fabric CA v1.5.21 into the machine cache from
 *   FABRIC_CA_SOURCE (the release source archive, offline), unless it is there already;
 * - `npm run deploy:ca -- init --city qingdao --home <kit>/qingdao/ca` initialises the CA's
 *   home (password from CA_ADMIN_PASSWORD), to be started by the city's compose file;
 * - `npm run deploy:ca -- enrol --city qingdao --ca-url https://ca.<domain>:7054 --tls-cert <home>/tls-cert.pem --out <kit>/qingdao/crypto`
 *   registers and enrols the peer, orderer, chaincode server, admin and app user (CA_ADMIN_PASSWORD);
 * - `npm run deploy:ca -- export --city qingdao --org <kit>/qingdao/crypto --out <dir>` copies what
 *   the city shares with the others (public certificates only).
 * `--cities` names the parameters file (default deploy/cities.example.json); `--also-host localhost,127.0.0.1`
 * adds names to the CA's TLS certificate (init) or to the nodes' TLS certificates (enrol), e.g. to enrol
 * on the CA's own host.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isCityId } from '@jcc/domain';
import { CommandError } from '../../network/src/exec.js';
import { ensureFabricCa } from '@jcc/network';
import { deployCity, enrolCity, exportPublicOrg, initCa, readDeployParams } from '@jcc/network/deploy';

const log = (line: string) => process.stdout.write(`${line}\n`);
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    cities: { type: 'string', default: 'deploy/cities.example.json' },
    city: { type: 'string' },
    home: { type: 'string' },
    'ca-url': { type: 'string' },
    'tls-cert': { type: 'string' },
    org: { type: 'string' },
    out: { type: 'string' },
    'also-host': { type: 'string' },
  },
});
const [command] = positionals;
const need = (name: keyof typeof values): string => {
  const v = values[name];
  if (!v) {
    process.stderr.write(`--${name} is required for ${command}\n`);
    process.exit(2);
  }
  return v;
};
const password = (): string => {
  const pw = process.env.CA_ADMIN_PASSWORD;
  if (!pw || pw.length < 12) {
    process.stderr.write('set CA_ADMIN_PASSWORD (at least 12 characters) to the CA bootstrap password\n');
    process.exit(2);
  }
  return pw;
};
const city = async () => {
  const id = need('city');
  if (!isCityId(id)) {
    process.stderr.write(`unknown city ${id}\n`);
    process.exit(2);
  }
  return deployCity(await readDeployParams(resolve(values.cities)), id);
};

const alsoHosts = values['also-host']?.split(',').filter(Boolean) ?? [];
const t0 = Date.now();
const ca = await ensureFabricCa(log);
if (command === 'install') {
  log(`Fabric CA ready in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${ca.binDir}`);
} else if (command === 'init') {
  const files = await initCa(ca.binDir, resolve(need('home')), await city(), { address: '0.0.0.0', extraHosts: alsoHosts }, password());
  log(`CA initialised: ${files.caCert}, TLS ${files.tlsCert}`);
} else if (command === 'enrol') {
  const c = await city();
  const access = { url: need('ca-url'), tlsCertFile: resolve(need('tls-cert')), registrar: { name: 'admin', password: password() } };
  try {
    await enrolCity(ca.binDir, c, access, resolve(need('out')), { log, extraTlsHosts: alsoHosts });
  } catch (err) {
    if (!(err instanceof CommandError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
} else if (command === 'export') {
  await exportPublicOrg(await city(), resolve(need('org')), resolve(need('out')));
  log(`public material exported to ${values.out}`);
} else {
  process.stderr.write('usage: deploy:ca -- install | init | enrol | export  (see the header of scripts/deploy/ca.ts)\n');
  process.exit(2);
}
