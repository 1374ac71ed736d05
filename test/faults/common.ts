/** What every fault scenario must show, and the document the verification clients check. */
import assert from 'node:assert/strict';
import { call, runTag, testUscc, token } from '../gateway/harness.js';
import type { ScenarioResult } from './scenario.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Nothing a client was told was accepted is lost or anchored twice, and no client saw a 500. */
export function assertNothingLost(r: ScenarioResult): void {
  assert.ok(r.accepted > 0, 'the load was accepted at all');
  assert.equal(r.lost, 0, `${r.lost} accepted documents were never anchored`);
  assert.equal(r.duplicated, 0, `${r.duplicated} documents were anchored twice`);
  const opaque = Object.keys(r.errorsSeen).filter((k) => / 500\b/.test(k));
  assert.deepEqual(opaque, [], 'no client saw a 500');
}

/** Issues a single-anchored report at Qingdao and waits until Rizhao verifies it valid; returns its JWS. */
export async function verificationTarget(purpose: string): Promise<string> {
  const issued = await call('qingdao', 'POST', '/api/v1/reports', {
    token: await token('qingdao', 'operator'),
    body: {
      subject: { kind: 'enterprise', uscc: testUscc(`T${runTag}`) },
      reportType: 'publicCreditReport',
      content: { purpose },
      validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(),
      anchor: 'single',
    },
  });
  assert.equal(issued.status, 202, JSON.stringify(issued.body));
  for (let i = 0; i < 120; i++) {
    const v = await call('rizhao', 'POST', '/api/v1/verify', { body: { jws: issued.body.jws } });
    if (v.body?.valid === true) return issued.body.jws as string;
    await pause(500);
  }
  throw new Error('the verification target never became valid at Rizhao');
}
