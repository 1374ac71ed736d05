import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { runtimePaths } from './paths.js';
import type { Consensus } from './topology.js';

/** What `network:up` deployed, kept across runs so that `up` is idempotent. */
export interface NetworkState {
  consensus: Consensus;
  chaincode?: { version: string; sequence: number; packageId: string };
}

/** Reads the recorded state, or undefined on a network never brought up. */
export async function readState(): Promise<NetworkState | undefined> {
  try {
    return JSON.parse(await readFile(runtimePaths.stateFile, 'utf8')) as NetworkState;
  } catch {
    return undefined;
  }
}

/** Records the state. */
export async function writeState(state: NetworkState): Promise<void> {
  await mkdir(dirname(runtimePaths.stateFile), { recursive: true });
  await writeFile(runtimePaths.stateFile, JSON.stringify(state, null, 2) + '\n');
}
