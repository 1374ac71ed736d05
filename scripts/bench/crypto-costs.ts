/**
 * `tsx scripts/bench/crypto-costs.ts`: the per-operation cost of the
 * primitives the gateway's hot paths are made of, each measured against the
 * cheaper way of doing the same thing, so the profiles' findings come with
 * numbers. Not part of `npm run bench` (nothing here touches the network).
 *
 * - signing a Fabric proposal or transaction (ECDSA P-256 over SHA-256):
 *   `signers.newPrivateKeySigner` of @hyperledger/fabric-gateway (pure
 *   JavaScript, @noble/curves) versus node:crypto with a low-S fix-up;
 * - signing and verifying an Ed25519 JWS: jose with WebCrypto keys versus
 *   node:crypto `sign`/`verify` with KeyObjects;
 * - checking a bearer token: importing the JWK on every request (as the
 *   token verifier does) versus a key imported once;
 * - a LevelDB (`level`) read, and a scan of a 7-entry table.
 */
import { createHash, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hash, signers } from '@hyperledger/fabric-gateway';
import { CompactSign, SignJWT, compactVerify, exportJWK, generateKeyPair, importJWK, jwtVerify } from 'jose';
import { Level } from 'level';
import { median, round } from './stats.js';

/** One measured operation. */
export interface Cost {
  operation: string;
  microsPerOp: number;
}

/** Median µs per call of `fn` over `rounds` rounds of `n` calls (after one warm-up round). */
async function measure(n: number, fn: (i: number) => unknown | Promise<unknown>, rounds = 5): Promise<number> {
  const per: number[] = [];
  for (let r = 0; r <= rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await fn(i);
    if (r > 0) per.push(Number(process.hrtime.bigint() - t0) / 1e3 / n);
  }
  return round(median(per), 1);
}

const P256_ORDER = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

/** Makes a DER ECDSA signature low-S, as Fabric requires. */
function lowS(der: Buffer): Buffer {
  // SEQUENCE { INTEGER r, INTEGER s }, short-form lengths for P-256.
  const rLen = der[3] as number;
  const sStart = 4 + rLen + 2;
  const sLen = der[sStart - 1] as number;
  const s = BigInt(`0x${der.subarray(sStart, sStart + sLen).toString('hex')}`);
  if (s <= P256_ORDER / 2n) return der;
  let hex = (P256_ORDER - s).toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let sBytes = Buffer.from(hex, 'hex');
  if ((sBytes[0] as number) & 0x80) sBytes = Buffer.concat([Buffer.from([0]), sBytes]);
  const r = der.subarray(2, 4 + rLen);
  const body = Buffer.concat([r, Buffer.from([0x02, sBytes.length]), sBytes]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

/** Measures every operation. */
export async function cryptoCosts(): Promise<Cost[]> {
  const out: Cost[] = [];
  const message = Buffer.alloc(2000, 7);

  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const fabricSigner = signers.newPrivateKeySigner(ec.privateKey);
  const digest = hash.sha256(message);
  out.push({
    operation: 'ECDSA P-256 signature, fabric-gateway newPrivateKeySigner (@noble/curves)',
    microsPerOp: await measure(300, () => fabricSigner(digest)),
  });
  out.push({
    operation: 'ECDSA P-256 signature, node:crypto + low-S (for hash.none)',
    microsPerOp: await measure(300, () => lowS(sign('sha256', message, { key: ec.privateKey, dsaEncoding: 'der' }))),
  });

  const ed = generateKeyPairSync('ed25519');
  const joseEd = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const payload = Buffer.from(JSON.stringify({ document: 'x'.repeat(600) }));
  const jws = await new CompactSign(payload).setProtectedHeader({ alg: 'EdDSA' }).sign(joseEd.privateKey);
  out.push({
    operation: 'Ed25519 JWS signature, jose CompactSign (WebCrypto key)',
    microsPerOp: await measure(1000, () => new CompactSign(payload).setProtectedHeader({ alg: 'EdDSA' }).sign(joseEd.privateKey)),
  });
  out.push({
    operation: 'Ed25519 signature, node:crypto sign (KeyObject)',
    microsPerOp: await measure(1000, () => sign(null, payload, ed.privateKey)),
  });
  out.push({
    operation: 'Ed25519 JWS verification, jose compactVerify (key imported once)',
    microsPerOp: await measure(1000, () => compactVerify(jws, joseEd.publicKey)),
  });
  const edSig = sign(null, payload, ed.privateKey);
  out.push({
    operation: 'Ed25519 verification, node:crypto verify (KeyObject)',
    microsPerOp: await measure(1000, () => verify(null, payload, ed.publicKey as KeyObject, edSig)),
  });

  const jwk = await exportJWK(joseEd.publicKey);
  const token = await new SignJWT({ role: 'operator', city: 'qingdao' })
    .setProtectedHeader({ alg: 'EdDSA', kid: 'k' })
    .setIssuer('jcc:gateway:qingdao')
    .setAudience('jcc:gateway:qingdao')
    .setSubject('bench')
    .setExpirationTime('1h')
    .sign(joseEd.privateKey);
  const options = { algorithms: ['EdDSA'], issuer: 'jcc:gateway:qingdao', audience: 'jcc:gateway:qingdao' };
  out.push({
    operation: 'bearer token check, importJWK + jwtVerify per request',
    microsPerOp: await measure(1000, async () => jwtVerify(token, await importJWK(jwk, 'EdDSA'), options)),
  });
  const imported = await importJWK(jwk, 'EdDSA');
  out.push({
    operation: 'bearer token check, jwtVerify with the key imported once',
    microsPerOp: await measure(1000, () => jwtVerify(token, imported, options)),
  });

  out.push({
    operation: 'SHA-256 of a 2 kB document (node:crypto)',
    microsPerOp: await measure(5000, () => createHash('sha256').update(message).digest()),
  });

  const dir = await mkdtemp(join(tmpdir(), 'jcc-bench-level-'));
  try {
    const db = new Level<string, unknown>(join(dir, 'db'), { valueEncoding: 'json' });
    await db.open();
    const batch = db.batch();
    for (let i = 0; i < 20_000; i++) batch.put(`anchors!qingdao|doc-${i}`, { id: i, contentHash: 'a'.repeat(64), txId: 'b'.repeat(64) });
    for (let i = 0; i < 7; i++) batch.put(`agreements!agr-${i}`, { agreementId: `agr-${i}`, docTypes: ['creditReport'] });
    await batch.write();
    out.push({
      operation: 'LevelDB get of a small JSON record (level 10)',
      microsPerOp: await measure(5000, (i) => db.get(`anchors!qingdao|doc-${(i * 7919) % 20_000}`)),
    });
    out.push({
      operation: 'LevelDB scan of a 7-entry table (iterator)',
      microsPerOp: await measure(2000, async () => {
        for await (const entry of db.iterator({ gte: 'agreements!', lt: 'agreements!\xff' })) void entry;
      }),
    });
    await db.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return out;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const costs = await cryptoCosts();
  const width = Math.max(...costs.map((c) => c.operation.length));
  for (const c of costs) process.stdout.write(`${c.operation.padEnd(width)}  ${String(c.microsPerOp).padStart(8)} µs\n`);
}
