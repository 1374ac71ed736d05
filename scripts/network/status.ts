/** `npm run network:status`: one line per node; exits 1 when any node is down. */
import { networkStatus } from '@jcc/network';

const rows = await networkStatus();
for (const r of rows) {
  process.stdout.write(
    `${r.name.padEnd(16)} ${r.kind.padEnd(10)} 127.0.0.1:${String(r.port).padEnd(6)} ${r.state}${r.pid ? ` (pid ${r.pid})` : ''}\n`,
  );
}
const down = rows.filter((r) => r.state !== 'up');
if (down.length > 0) {
  process.stdout.write(`${down.length} of ${rows.length} nodes not up\n`);
  process.exit(1);
}
