/** `npm run fabric:install`: finds or installs (go install, pinned) the Fabric binaries, with progress. */
import { ensureFabric, FabricInstallError } from '@jcc/network';

try {
  const fabric = await ensureFabric((line) => process.stderr.write(line + '\n'));
  process.stdout.write(`${fabric.binDir}\n`);
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof FabricInstallError ? 3 : 1);
}
