import { cpus, totalmem, platform, release } from 'node:os';
import { FABRIC_VERSION } from '@jcc/network';

/** The machine a benchmark ran on, printed and written with its figures. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  fabric: string;
  date: string;
}

/** Describes this machine. */
export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()}`,
    node: process.version,
    fabric: FABRIC_VERSION,
    date: new Date().toISOString(),
  };
}
