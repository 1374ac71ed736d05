/**
 * `npm run deploy:kit -- --cities deploy/cities.example.json --out .runtime/deploy` generates
 * the deployment kit (one folder per city: compose file, gateway and CA configuration; the
 * channel configuration and chaincode package) from the topology and the cities' parameters.
 * `--hosts` takes the parameters from the `--hosts` layout instead (the one recorded in the
 * runtime folder, else JCC_NETNS_PREFIX / JCC_HOSTS_SUBNET): the kit of the network that mode runs.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { activeHostsLayout, hostsLayoutFromEnv } from '@jcc/network';
import { DeployParamsError, hostsDeployParams, readDeployParams, writeKit } from '@jcc/network/deploy';

const { values } = parseArgs({
  options: {
    cities: { type: 'string', default: 'deploy/cities.example.json' },
    out: { type: 'string', default: '.runtime/deploy' },
    hosts: { type: 'boolean', default: false },
  },
});
try {
  const params = values.hosts
    ? hostsDeployParams(activeHostsLayout() ?? hostsLayoutFromEnv())
    : await readDeployParams(resolve(values.cities));
  const out = resolve(values.out);
  const summary = await writeKit(params, out, (line) => process.stdout.write(`${line}\n`));
  process.stdout.write(`kit for channel ${summary.channel}, chaincode ${summary.chaincode.label}, ${params.consensus}: ${out}\n`);
} catch (err) {
  if (!(err instanceof DeployParamsError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
}
