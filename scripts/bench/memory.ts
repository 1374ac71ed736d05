/**
 * Workload 6: memory (and CPU time) of gateway processes, read from /proc.
 * The kernel's high-water mark of resident memory (VmHWM) is reset at the
 * start where the kernel allows it (`/proc/<pid>/clear_refs` = 5), and RSS is
 * also sampled every second, so the peak covers the workloads only.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { round } from './stats.js';

let ticks = 100;
try {
  ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
  // keep the usual 100
}

/** VmRSS and VmHWM of a process in KiB, or undefined when it is gone. */
export function memoryOf(pid: number): { rssKiB: number; hwmKiB: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssKiB: field('VmRSS'), hwmKiB: field('VmHWM') };
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a process has used, or undefined when it is gone. */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // after the command: state(0) ... utime(11) stime(12)
    return (Number(fields[11]) + Number(fields[12])) / ticks;
  } catch {
    return undefined;
  }
}

/** Resets the kernel's peak-RSS mark of a process; false when not allowed. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** What was seen of one process. */
export interface ProcessMemory {
  name: string;
  pid: number;
  /** Highest of VmHWM since the reset and the sampled RSS (only the sampled RSS when the reset was not allowed), MiB. */
  peakRssMiB: number;
  /** Highest sampled RSS, MiB. */
  sampledPeakRssMiB: number;
  /** RSS when last seen, MiB. */
  lastRssMiB: number;
  /** CPU seconds used while watched. */
  cpuSeconds: number;
  /** Whether the peak mark was reset at the start (else VmHWM counts from the process start). */
  peakReset: boolean;
  /** Workloads during which it was watched. */
  during: string[];
}

interface Watched {
  name: string;
  pid: number;
  peakReset: boolean;
  cpuStart: number;
  cpuLast: number;
  maxRss: number;
  lastRss: number;
  maxHwm: number;
  during: Set<string>;
}

/** Watches gateway processes while workloads run. */
export class MemoryWatch {
  readonly #watched = new Map<number, Watched>();
  #timer: NodeJS.Timeout | undefined;
  #phase = '';

  /** Starts sampling every `everyMs`. */
  start(everyMs = 1000): void {
    this.#timer ??= setInterval(() => this.sample(), everyMs);
    this.#timer.unref();
  }

  /** Names the workload running now (recorded with each process seen). */
  phase(name: string): void {
    this.#phase = name;
    for (const w of this.#watched.values()) if (memoryOf(w.pid)) w.during.add(name);
  }

  /** Adds a process (its peak mark is reset). */
  add(name: string, pid: number): void {
    if (this.#watched.has(pid)) return;
    const cpu = cpuSecondsOf(pid) ?? 0;
    const w: Watched = {
      name,
      pid,
      peakReset: resetPeak(pid),
      cpuStart: cpu,
      cpuLast: cpu,
      maxRss: 0,
      lastRss: 0,
      maxHwm: 0,
      during: new Set(),
    };
    if (this.#phase) w.during.add(this.#phase);
    this.#watched.set(pid, w);
    this.#sampleOne(w);
  }

  /** Takes one sample of every process (call it before stopping a process). */
  sample(): void {
    for (const w of this.#watched.values()) this.#sampleOne(w);
  }

  #sampleOne(w: Watched): void {
    const m = memoryOf(w.pid);
    // Gone, or exited and not reaped yet (no memory figures then).
    if (!m || Number.isNaN(m.rssKiB)) return;
    w.lastRss = m.rssKiB;
    w.maxRss = Math.max(w.maxRss, m.rssKiB);
    if (!Number.isNaN(m.hwmKiB)) w.maxHwm = Math.max(w.maxHwm, m.hwmKiB);
    w.cpuLast = cpuSecondsOf(w.pid) ?? w.cpuLast;
    if (this.#phase) w.during.add(this.#phase);
  }

  /** Stops sampling; the figures of every process watched. */
  stop(): ProcessMemory[] {
    this.sample();
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    return [...this.#watched.values()].map((w) => ({
      name: w.name,
      pid: w.pid,
      peakRssMiB: round((w.peakReset ? Math.max(w.maxHwm, w.maxRss) : w.maxRss) / 1024, 1),
      sampledPeakRssMiB: round(w.maxRss / 1024, 1),
      lastRssMiB: round(w.lastRss / 1024, 1),
      cpuSeconds: round(w.cpuLast - w.cpuStart, 1),
      peakReset: w.peakReset,
      during: [...w.during],
    }));
  }
}
