import type { KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { documentSigningInput, nodeKeyOf, type Ed25519DocumentKey } from './document-jws.js';

/** Signs the canonical JSON of many documents as compact JWSs (the issuer's Ed25519 suite). */
export interface BatchSigner {
  /** The compact JWS of each payload, in order (the same text {@link signDocumentBytes} gives). */
  signMany(payloads: readonly Uint8Array[], key: Ed25519DocumentKey): Promise<string[]>;
  /** Stops the threads. */
  close(): Promise<void>;
}

/** The signing thread: Ed25519 signatures of signing inputs with node:crypto (plain JavaScript, no imports of ours). */
const THREAD_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { sign } = require('node:crypto');
const keys = new Map();
parentPort.on('message', (m) => {
  if (m.key) { keys.set(m.kid, m.key); return; }
  const key = keys.get(m.kid);
  const sigs = new Array(m.inputs.length);
  for (let i = 0; i < m.inputs.length; i++) sigs[i] = sign(null, Buffer.from(m.inputs[i], 'latin1'), key).toString('base64url');
  parentPort.postMessage({ n: m.n, sigs });
});
`;

/** A signing thread and what waits for it. */
interface Thread {
  worker: Worker;
  kids: Set<string>;
  waiting: Map<number, { resolve(sigs: string[]): void; reject(err: Error): void }>;
}

/** A signing thread stopped while signatures were awaited. */
export class SigningThreadError extends Error {
  override readonly name = 'SigningThreadError';
}

/**
 * Ed25519 signing on worker threads, so the gateway's main thread (HTTP,
 * validation, the store) and the signatures use different cores. The main
 * thread builds each signing input `<header>.<payload>`; a thread signs it
 * with node:crypto; the JWS is `<input>.<signature>`. A batch is split
 * evenly over the threads. The private key is handed to each thread once
 * (as a node:crypto KeyObject, which stays inside the process).
 */
export class WorkerSigner implements BatchSigner {
  readonly #threads: Thread[] = [];
  #next = 0;
  #n = 0;

  /** @param threads number of signing threads (≥ 1). */
  constructor(threads: number) {
    for (let i = 0; i < Math.max(1, threads); i++) {
      const worker = new Worker(THREAD_SOURCE, { eval: true });
      worker.unref();
      const thread: Thread = { worker, kids: new Set(), waiting: new Map() };
      worker.on('message', (m: { n: number; sigs: string[] }) => {
        const w = thread.waiting.get(m.n);
        thread.waiting.delete(m.n);
        w?.resolve(m.sigs);
      });
      const fail = (err: Error): void => {
        for (const w of thread.waiting.values()) w.reject(new SigningThreadError(`a signing thread stopped: ${err.message}`));
        thread.waiting.clear();
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
      this.#threads.push(thread);
    }
  }

  async signMany(payloads: readonly Uint8Array[], key: Ed25519DocumentKey): Promise<string[]> {
    if (payloads.length === 0) return [];
    const inputs = payloads.map((p) => documentSigningInput(p, key.kid));
    const parts = Math.min(this.#threads.length, Math.ceil(inputs.length / 64));
    const size = Math.ceil(inputs.length / parts);
    const chunks: Promise<string[]>[] = [];
    for (let start = 0; start < inputs.length; start += size) chunks.push(this.#send(inputs.slice(start, start + size), key));
    const sigs = (await Promise.all(chunks)).flat();
    return inputs.map((input, i) => `${input}.${sigs[i] as string}`);
  }

  #send(inputs: string[], key: Ed25519DocumentKey): Promise<string[]> {
    const thread = this.#threads[this.#next++ % this.#threads.length] as Thread;
    if (!thread.kids.has(key.kid)) {
      const keyObject: KeyObject = nodeKeyOf(key.privateKey);
      thread.worker.postMessage({ kid: key.kid, key: keyObject });
      thread.kids.add(key.kid);
    }
    const n = this.#n++;
    return new Promise((resolve, reject) => {
      thread.waiting.set(n, { resolve, reject });
      thread.worker.postMessage({ n, kid: key.kid, inputs });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.#threads.map((t) => t.worker.terminate()));
  }
}
