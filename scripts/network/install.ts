/**
 * `npm run fabric:install`: finds Fabric, or obtains it (FABRIC_BIN → project cache →
 * machine cache → FABRIC_SOURCE build → go install), with progress; prints the bin folder.
 */
import { ensureFabric, FabricInstallError } from '@jcc/network';

try {
  const fabric = await ensureFabric((line) => process.stderr.write(line + '\n'));
  process.stdout.write(`${fabric.binDir}\n`);
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof FabricInstallError ? 3 : 1);
}
