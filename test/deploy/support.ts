import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFabric, REPO_ROOT, type FabricInstall } from '@jcc/network';
import { readDeployParams, writeKit, type DeployParams, type KitSummary } from '@jcc/network/deploy';

/** Under CI=true or JCC_REQUIRE_NETWORK=1 a missing tool fails the suite instead of skipping it. */
export const required = process.env.CI === 'true' || process.env.JCC_REQUIRE_NETWORK === '1';

/** Skips the test (or fails it when {@link required}) because `what` is not available here. */
export function unavailable(ctx: Mocha.Context, what: string): never {
  if (required) throw new Error(`${what} is not available (CI=true or JCC_REQUIRE_NETWORK=1 makes this a failure)`);
  ctx.skip();
}

/** The example parameters shipped in deploy/. */
export const exampleParams = (): Promise<DeployParams> => readDeployParams(join(REPO_ROOT, 'deploy', 'cities.example.json'));

/** A kit generated from the example parameters into a fresh temporary folder. */
export async function generateKit(): Promise<{ dir: string; params: DeployParams; summary: KitSummary }> {
  const params = await exampleParams();
  const dir = await mkdtemp(join(tmpdir(), 'jcc-kit-'));
  return { dir, params, summary: await writeKit(params, dir) };
}

/** The installed Fabric, if any (no build is attempted). */
export const installedFabric = (): Promise<FabricInstall | undefined> => findFabric();
