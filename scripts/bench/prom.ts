/** Reading Prometheus text exposition (gateway and Fabric operations metrics). */
import { send } from './http.js';

/** One sample: metric name, labels, value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the text format (comments skipped). */
export function parseMetrics(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1] as string] = l[2] as string;
    out.push({ name: m[1] as string, labels, value: Number(m[3]) });
  }
  return out;
}

/** Fetches and parses a metrics endpoint; an unreachable endpoint gives no samples. */
export async function scrape(url: string): Promise<Sample[]> {
  try {
    const reply = await send(url, { timeoutMs: 5000, headers: { accept: 'text/plain' } });
    return reply.status === 200 ? parseMetrics(reply.text) : [];
  } catch {
    return [];
  }
}

/** Sum of the samples named `name` whose labels include `where` (missing = 0). */
export function total(samples: readonly Sample[], name: string, where: Record<string, string | RegExp> = {}): number {
  let sum = 0;
  for (const s of samples) {
    if (s.name !== name) continue;
    let match = true;
    for (const [k, v] of Object.entries(where)) {
      const actual = s.labels[k];
      if (actual === undefined || (typeof v === 'string' ? actual !== v : !v.test(actual))) {
        match = false;
        break;
      }
    }
    if (match) sum += s.value;
  }
  return sum;
}
