/**
 * Workload 4 (part): cost growth of Merkle batches — build time, proof length
 * and proof verification time at 1,000 … 1,000,000 leaves.
 */
import { MerkleBatch, sha256, sha256Hex, verifyInclusion } from '@jcc/domain';
import { median, round } from './stats.js';

/** Figures for one batch size. */
export interface MerkleFigures {
  leaves: number;
  buildMs: number;
  proofLength: number;
  log2Leaves: number;
  proofMicros: number;
  verifyMicros: number;
}

/** Measures batches of each size (build once, proofs and verifications of 1,000 random leaves, medians). */
export function benchMerkle(sizes: readonly number[], log: (line: string) => void): MerkleFigures[] {
  const out: MerkleFigures[] = [];
  for (const size of sizes) {
    const hashes: Buffer[] = new Array(size);
    for (let i = 0; i < size; i++) hashes[i] = sha256(`document ${i}`);
    const t0 = process.hrtime.bigint();
    const batch = new MerkleBatch(hashes);
    const buildMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const proofTimes: number[] = [];
    const verifyTimes: number[] = [];
    const lengths: number[] = [];
    for (let k = 0; k < 1000; k++) {
      const index = Math.floor(Math.random() * size);
      const p0 = process.hrtime.bigint();
      const proof = batch.proof(index);
      proofTimes.push(Number(process.hrtime.bigint() - p0) / 1e3);
      lengths.push(proof.auditPath.length);
      const documentHash = sha256Hex(`document ${index}`);
      const v0 = process.hrtime.bigint();
      const ok = verifyInclusion(documentHash, proof);
      verifyTimes.push(Number(process.hrtime.bigint() - v0) / 1e3);
      if (!ok) throw new Error(`proof of leaf ${index} of ${size} did not verify`);
    }
    const figures = {
      leaves: size,
      buildMs: round(buildMs, 1),
      proofLength: Math.max(...lengths),
      log2Leaves: round(Math.log2(size), 2),
      proofMicros: round(median(proofTimes), 2),
      verifyMicros: round(median(verifyTimes), 2),
    };
    log(
      `merkle ${size} leaves: build ${figures.buildMs} ms, proof length ${figures.proofLength} (log2 ${figures.log2Leaves}), proof ${figures.proofMicros} µs, verify ${figures.verifyMicros} µs`,
    );
    out.push(figures);
  }
  return out;
}
