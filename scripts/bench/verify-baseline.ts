/**
 * The bare baseline of workload 2: a minimal `node:http` server of the
 * benchmark's own that only reads `POST /api/v1/verify`, parses the JSON
 * body and the JWS (header and payload), and checks the Ed25519 signature
 * with node:crypto under the issuing city's key (given on start, as the
 * ledger holds them). No ledger facts, no Merkle proof, no framework: the
 * floor a verifying gateway is compared with, on the same cores.
 *
 *   node --import tsx scripts/bench/verify-baseline.ts <port> <keys.json>
 *
 * `keys.json`: `{ "<city>|<kid>": <public JWK> }`. Answers `{"valid":true}`
 * or `{"valid":false}`.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [portText, keysFile] = process.argv.slice(2);
if (!portText || !keysFile) {
  process.stderr.write('usage: verify-baseline.ts <port> <keys.json>\n');
  process.exit(2);
}
const keys = new Map<string, KeyObject>();
for (const [id, jwk] of Object.entries(JSON.parse(readFileSync(keysFile, 'utf8')) as Record<string, Record<string, unknown>>)) {
  keys.set(id, createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x } as import('node:crypto').JsonWebKey, format: 'jwk' }));
}

const VALID = Buffer.from('{"valid":true}');
const INVALID = Buffer.from('{"valid":false}');

/** True when the body's JWS is an Ed25519 signature of its issuing city under a key of `keys`. */
function check(body: string): boolean {
  const { jws } = JSON.parse(body) as { jws: string };
  const [h, p, s] = jws.split('.');
  if (h === undefined || p === undefined || s === undefined) return false;
  const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: string; kid?: string };
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as { issuer?: { city?: string } };
  const key = keys.get(`${payload.issuer?.city}|${header.kid}`);
  if (header.alg !== 'EdDSA' || !key) return false;
  return verify(null, Buffer.from(`${h}.${p}`, 'ascii'), key, Buffer.from(s, 'base64url'));
}

createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let ok = false;
    let status = 200;
    if (req.method !== 'POST' || req.url !== '/api/v1/verify') status = 404;
    else {
      try {
        ok = check(Buffer.concat(chunks).toString('utf8'));
      } catch {
        status = 400;
      }
    }
    const answer = ok ? VALID : INVALID;
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': answer.length });
    res.end(answer);
  });
}).listen(Number(portText), '127.0.0.1', () => process.stdout.write(`verify baseline listening on 127.0.0.1:${portText}\n`));
