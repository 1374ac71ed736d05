/**
 * The demo marker, `.data/demo/demo.json`: when the demo data was first and
 * last loaded, its epoch, and the ids of its documents and samples. It is a
 * record for people and tools, not the source of truth: every load checks
 * the ledger and the gateways, and the marker only adds a warning when they
 * disagree with it (e.g. after the gateways' stores were reset).
 *
 * @packageDocumentation
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Version of the demo data set; part of every idempotency key (`jcc-demo:v1:…`). */
export const DEMO_VERSION = 1;

/** What the marker holds. */
export interface DemoMarker {
  version: number;
  epoch: string;
  firstLoadedAt: string;
  lastLoadedAt: string;
  /** Document ids by report plan key. */
  documents: Record<string, string>;
  /** Sample document ids by kind. */
  samples: Record<string, string>;
  /** What the last load created and found present, per kind of record. */
  lastLoad: Record<string, { created: number; reused: number }>;
}

/** Reads the marker, or `undefined` when there is none or it is unreadable. */
export async function readMarker(file: string): Promise<DemoMarker | undefined> {
  try {
    const marker = JSON.parse(await readFile(file, 'utf8')) as DemoMarker;
    return marker.version === DEMO_VERSION ? marker : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the marker. */
export async function writeMarker(file: string, marker: DemoMarker): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(marker, null, 2) + '\n');
}
