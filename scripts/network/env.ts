/**
 * `npm run --silent network:env -- <city>`: prints `export` lines that let
 * Fabric's own `peer` CLI act as that city's admin against that city's peer,
 * with the Fabric binaries on PATH. Use: eval "$(npm run --silent network:env -- yantai)"
 */
import { activeHostsLayout, adminCliEnv, cityNodes, findFabric } from '@jcc/network';
import { isCityId } from '@jcc/domain';

const city = process.argv[2];
if (!isCityId(city)) {
  process.stderr.write('usage: npm run --silent network:env -- <qingdao|yantai|weihai|weifang|rizhao>\n');
  process.exit(2);
}
const fabric = await findFabric();
if (!fabric) {
  process.stderr.write('Fabric is not installed; run npm run network:up first\n');
  process.exit(1);
}
const quote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
const env = adminCliEnv(fabric, cityNodes(city));
for (const [k, v] of Object.entries(env)) process.stdout.write(`export ${k}=${quote(v)}\n`);
process.stdout.write(`export PATH=${quote(fabric.binDir)}:"$PATH"\n`);
const hosts = activeHostsLayout();
if (hosts)
  process.stderr.write(
    `--hosts network: run the peer CLI from the hub namespace, e.g. ip netns exec ${hosts.hub.netns} peer channel list\n`,
  );
