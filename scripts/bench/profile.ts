/**
 * Summaries of V8 CPU profiles (`.cpuprofile`, written by `node --cpu-prof`):
 * self time by function and by area (package, project folder, Node
 * internals, garbage collection), and inclusive time of the project's own
 * functions. Also a command: `tsx scripts/bench/profile.ts <file.cpuprofile> [...]`.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { round } from './stats.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** What a profile says. */
export interface ProfileSummary {
  file: string;
  seconds: number;
  /** Share of the sampled time the main thread was idle. */
  idleShare: number;
  byArea: { area: string; ms: number; share: number }[];
  topSelf: { fn: string; ms: number; share: number }[];
  topInclusiveOwn: { fn: string; ms: number; share: number }[];
}

/** The area a frame belongs to. */
function areaOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  if (url.startsWith('node:'))
    return url
      .replace(/^node:(internal\/)?/, 'node:')
      .split('/')
      .slice(0, 2)
      .join('/');
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + 14).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? url);
  }
  const own = /\/(gateway\/(?:src|dist)|domain\/(?:src|dist)|network\/(?:src|dist)|scripts)\/([^/]+)/.exec(url);
  if (own) return `${own[1]}/${own[2]}`.replace(/\.(ts|js)$/, '');
  return url.replace(/^file:\/\//, '');
}

const label = (n: ProfileNode): string =>
  `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(node_modules|gateway\/(?:src|dist)|domain)\//, '$1/').replace(/^file:\/\//, '')}:${n.callFrame.lineNumber + 1}`;

/** Summarises one profile. */
export async function summariseProfile(file: string, top = 25): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i] as number;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  const totalMs = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self.entries()].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((a, [, ms]) => a + ms, 0);
  const busy = Math.max(totalMs - idle, 1e-9);
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, ms] of self) {
    const n = byId.get(id);
    if (!n || n.callFrame.functionName === '(idle)') continue;
    const area = areaOf(n.callFrame.url, n.callFrame.functionName);
    areas.set(area, (areas.get(area) ?? 0) + ms);
    fns.set(label(n), (fns.get(label(n)) ?? 0) + ms);
  }
  // Inclusive time of the project's own functions (each function counted once per stack).
  const inclusive = new Map<string, number>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  for (const [id, ms] of self) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      if (!n || !/\/(gateway\/(?:src|dist)|domain)\//.test(n.callFrame.url)) continue;
      const key = label(n);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
    }
  }
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, ms]) => ({ ms: round(ms, 0), share: round(ms / busy, 3), key: k }));
  return {
    file,
    seconds: round((profile.endTime - profile.startTime) / 1e6, 1),
    idleShare: round(idle / Math.max(totalMs, 1e-9), 3),
    byArea: rank(areas).map(({ key, ms, share }) => ({ area: key, ms, share })),
    topSelf: rank(fns).map(({ key, ms, share }) => ({ fn: key, ms, share })),
    topInclusiveOwn: rank(inclusive).map(({ key, ms, share }) => ({ fn: key, ms, share })),
  };
}

/**
 * The main-thread profiles in a folder (Node names them
 * `CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile`; thread 0 is the main
 * thread, the others are workers such as tsx's module loader).
 */
export async function profilesIn(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => /\.0\.\d+\.cpuprofile$/.test(f)).map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/** A summary as text. */
export function formatSummary(s: ProfileSummary, rows = 15): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`.padStart(6);
  const lines = [`${s.file}: ${s.seconds} s sampled, main thread idle ${pct(s.idleShare).trim()}; shares below are of the busy time`];
  lines.push('  by area (self time):');
  for (const a of s.byArea.slice(0, rows)) lines.push(`    ${pct(a.share)} ${String(a.ms).padStart(7)} ms  ${a.area}`);
  lines.push('  functions (self time):');
  for (const f of s.topSelf.slice(0, rows)) lines.push(`    ${pct(f.share)} ${String(f.ms).padStart(7)} ms  ${f.fn}`);
  lines.push('  project functions (inclusive time):');
  for (const f of s.topInclusiveOwn.slice(0, rows)) lines.push(`    ${pct(f.share)} ${String(f.ms).padStart(7)} ms  ${f.fn}`);
  return lines.join('\n');
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  for (const file of process.argv.slice(2)) process.stdout.write(formatSummary(await summariseProfile(file), 25) + '\n\n');
}
