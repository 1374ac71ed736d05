/** What every workload gets: options, the processes to watch, where to send requests, logging. */
import type { CityId } from '@jcc/domain';
import type { BenchOptions } from './options.js';
import type { MemoryWatch } from './memory.js';
import { cpuDiff, cpuSnapshot, fabricDiff, fabricSnapshot, networkPids, type CpuBreakdown, type FabricFigures } from './fabric.js';

/** Shared state of a benchmark run. */
export interface BenchContext {
  options: BenchOptions;
  memory: MemoryWatch;
  /** Gateway processes by name (`gateway.<city>` for the running ones, the name of the benchmark's own otherwise). */
  gateways: Map<string, number>;
  /** Base URL of the gateway to use for a city in the current workload. */
  urlOf(city: CityId): string;
  /** Name (in `gateways`) of the gateway process used for a city in the current workload. */
  nameOf(city: CityId): string;
}

/** CPU milliseconds of one process (by name) per unit of work, or null. */
export function cpuMsPer(cpu: CpuBreakdown, name: string, units: number): number | null {
  const seconds = cpu.seconds[name];
  return seconds === undefined || units <= 0 ? null : Math.round((seconds * 1000 * 100) / units) / 100;
}

/** Measures the Fabric metrics and CPU time of every process around `work`. */
export async function observed<T>(
  ctx: BenchContext,
  work: () => Promise<T>,
  focus: CityId = 'qingdao',
): Promise<{ result: T; fabric: FabricFigures; cpu: CpuBreakdown }> {
  const pids = { ...(await networkPids()), ...Object.fromEntries(ctx.gateways) };
  const fabricBefore = await fabricSnapshot();
  const cpuBefore = cpuSnapshot(pids);
  const t0 = performance.now();
  const result = await work();
  const wall = (performance.now() - t0) / 1000;
  const cpuAfter = cpuSnapshot(pids);
  const fabricAfter = await fabricSnapshot();
  return { result, fabric: fabricDiff(fabricBefore, fabricAfter, focus), cpu: cpuDiff(cpuBefore, cpuAfter, wall) };
}
