/** `npm run network:status`: one line per node; exits 1 when any node is down. In the `--hosts` mode it looks from the hub namespace. */
import { activeHostsLayout, inNamespace, namespaceExists, networkStatus, rerunInNamespace } from '@jcc/network';

const hosts = activeHostsLayout();
if (hosts && !inNamespace(hosts.hub.netns)) {
  if (!namespaceExists(hosts.hub.netns)) {
    process.stdout.write(`--hosts network: namespace ${hosts.hub.netns} does not exist (network:up creates it)\n`);
    process.exit(1);
  }
  process.exit(await rerunInNamespace(hosts.hub.netns));
}
const rows = await networkStatus();
for (const r of rows) {
  process.stdout.write(
    `${r.name.padEnd(16)} ${r.kind.padEnd(10)} ${`${r.host}:${r.port}`.padEnd(17)} ${r.state}${r.pid ? ` (pid ${r.pid})` : ''}\n`,
  );
}
const down = rows.filter((r) => r.state !== 'up');
if (down.length > 0) {
  process.stdout.write(`${down.length} of ${rows.length} nodes not up\n`);
  process.exit(1);
}
