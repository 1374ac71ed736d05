/**
 * The README's promise that a regulator can verify a document with standard
 * tools and no code of ours: scripts/verify-standard-tools.sh follows the
 * README's steps with openssl, sha256sum, base64, python3 and Fabric's own
 * `peer` CLI, against documents issued through a real gateway.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the tests read answers as loosely typed JSON */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, root, runTag, testUscc, token, until } from './harness.js';

interface Outcome {
  code: number;
  out: string;
}

function verifyWithStandardTools(file: string): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile('bash', [join(root, 'scripts', 'verify-standard-tools.sh'), file, 'weihai'], { cwd: root }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
    });
  });
}

async function issueAnchored(anchor: 'single' | 'batch'): Promise<{ id: string; jws: string; proof?: unknown }> {
  const op = await token('qingdao', 'operator');
  const issued = await call('qingdao', 'POST', '/api/v1/reports', {
    token: op,
    body: {
      subject: { kind: 'enterprise', uscc: testUscc(`S${runTag}`) },
      reportType: 'publicCreditReport',
      content: { summary: `standard tools ${runTag}` },
      validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(),
      anchor,
    },
  });
  assert.equal(issued.status, 202, JSON.stringify(issued.body));
  const state = await until(
    () => call('qingdao', 'GET', `/api/v1/reports/${issued.body.id}`, { token: op }),
    (r: any) => r.body?.state === 'anchored',
    60_000,
    `${anchor} document anchored`,
  );
  return { id: issued.body.id, jws: state.body.jws, proof: state.body.proof };
}

describe('verifying with standard tools only (openssl, sha256sum, python3, peer CLI)', function () {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jcc-std-'));
  });

  it('a single-anchored document verifies from its bare JWS', async function () {
    const doc = await issueAnchored('single');
    const file = join(dir, 'single.jws');
    await writeFile(file, doc.jws);
    const r = await verifyWithStandardTools(file);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /ok {3}signature/);
    assert.match(r.out, /ok {3}anchored \(single\)/);
    assert.match(r.out, /^VALID$/m);
  });

  it('a batch-anchored document verifies from its bundle: the Merkle root recomputed and found on the ledger', async function () {
    const doc = await issueAnchored('batch');
    const file = join(dir, 'batch.json');
    await writeFile(file, JSON.stringify({ jws: doc.jws, proof: doc.proof }));
    const r = await verifyWithStandardTools(file);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /ok {3}anchored \(batch root on the ledger\)/);
  });

  it('a tampered document fails the signature and the anchor', async function () {
    const doc = await issueAnchored('single');
    const [h, p, s] = doc.jws.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    payload.validUntil = '2099-01-01T00:00:00.000Z';
    const file = join(dir, 'tampered.jws');
    await writeFile(file, `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`);
    const r = await verifyWithStandardTools(file);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /FAIL signature/);
    assert.match(r.out, /FAIL anchored \(single\)/);
    assert.match(r.out, /^INVALID$/m);
  });

  it('a revoked document fails the status check', async function () {
    const doc = await issueAnchored('single');
    const op = await token('qingdao', 'operator');
    const revoked = await call('qingdao', 'POST', `/api/v1/reports/${doc.id}/revoke`, { token: op, body: { reason: 'issued in error' } });
    assert.ok(revoked.status < 300, JSON.stringify(revoked.body));
    const file = join(dir, 'revoked.jws');
    await writeFile(file, doc.jws);
    const r = await until(
      () => verifyWithStandardTools(file),
      (o) => o.code === 1,
      30_000,
      'revocation visible on the Weihai peer',
    );
    assert.match(r.out, /FAIL status in force: revoked/);
  });
});
