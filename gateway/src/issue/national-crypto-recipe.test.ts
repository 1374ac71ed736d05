import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SM2_DEFAULT_ID, canonicalJson, decodeDocumentJws, sm3Hex, verifySignatureWith } from '@jcc/domain';
import type { SignatureSuite } from '../config/config.js';
import { repoRoot } from '../config/paths.js';
import { KeyStore } from '../keys/keystore.js';
import { tempStore } from '../lib/testing.js';
import { documentTables } from '../store/documents.js';
import type { Store } from '../store/store.js';
import { Issuer } from './issuer.js';

/** The shell commands of docs/national-crypto.md between its recipe markers. */
async function recipe(): Promise<string> {
  const text = await readFile(join(repoRoot(), 'docs', 'national-crypto.md'), 'utf8');
  const block = /<!-- recipe:start -->\s*```bash\n([\s\S]*?)```\s*<!-- recipe:end -->/.exec(text);
  assert.ok(block, 'docs/national-crypto.md has the recipe block');
  return block[1] as string;
}

/** Runs the recipe in `dir` with bash, as a regulator would. */
function runRecipe(dir: string, script: string): { status: number | null; out: string } {
  const run = spawnSync('bash', ['-eu', '-o', 'pipefail', '-c', script], { cwd: dir, encoding: 'utf8' });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

/** Issues a single-anchored Weihai credit report with `keys` into `store`, signed with `suite` (and an SM2 identifier). */
function issueWeihaiReport(keys: KeyStore, store: Store, options: { suite: SignatureSuite; sm2Id?: string }): ReturnType<Issuer['issue']> {
  const issuer = new Issuer({
    city: 'weihai',
    secret: 'k'.repeat(32),
    keys,
    store,
    tables: documentTables(store),
    clock: Date.now,
    ...options,
  });
  return issuer.issue(
    {
      subject: { kind: 'enterprise', uscc: '91350100M000100Y43' },
      docType: 'creditReport',
      reportType: 'publicCreditReport',
      content: { summary: '无严重失信记录' },
      validUntil: '2099-01-01T00:00:00.000Z',
      anchor: 'single',
    },
    'op',
  );
}

describe('the openssl-only recipe of docs/national-crypto.md', () => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  let keysDir: string;
  let work: string;
  before(async () => {
    env = await tempStore();
    keysDir = await mkdtemp(join(tmpdir(), 'jcc-keys-'));
    work = await mkdtemp(join(tmpdir(), 'jcc-recipe-'));
  });
  after(async () => {
    await env.cleanup();
    await rm(keysDir, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  for (const suite of ['ed25519+sm2', 'sm2'] as const) {
    it(`verifies a document issued with the ${suite} suite, and fails on a tampered SM2 signature`, async () => {
      const keys = await KeyStore.open(keysDir, 'weihai', Date.now, { sm2: true });
      const issued = await issueWeihaiReport(keys, env.store, { suite });
      const sm2 = keys.currentSm2()!;
      await writeFile(join(work, 'doc.json'), issued.jws);
      await writeFile(join(work, 'key.json'), JSON.stringify(sm2.publicJwk));
      const script = await recipe();
      const good = runRecipe(work, script);
      assert.equal(good.status, 0, good.out);
      assert.match(good.out, /Signature Verified Successfully/);
      assert.ok(good.out.includes(`contentHashSm3 ${sm3Hex(issued.jws)}`), good.out);
      assert.ok(good.out.includes(`kid ${sm2.kid}`), good.out);
      assert.ok(good.out.includes(`"issuer":"weihai","id":"${issued.id}"`), good.out);

      const jws = JSON.parse(issued.jws) as { payload: string; signatures: Array<{ protected: string; signature: string }> };
      const last = jws.signatures[jws.signatures.length - 1]!;
      const sig = Buffer.from(last.signature, 'base64url');
      sig.writeUInt8(sig.readUInt8(12) ^ 0x10, 12);
      last.signature = sig.toString('base64url');
      await writeFile(join(work, 'doc.json'), canonicalJson(jws));
      const bad = runRecipe(work, script);
      assert.notEqual(bad.status, 0);
      assert.match(bad.out, /Signature Verification Failure/);
    });
  }

  it('signs with a configured non-default distinguishing identifier, named in the header; OpenSSL verifies with -pkeyopt distid', async () => {
    const id = 'weihai.credit@jcc.example';
    const store = await tempStore();
    const dir = await mkdtemp(join(tmpdir(), 'jcc-keys-id-'));
    try {
      const keys = await KeyStore.open(dir, 'weihai', Date.now, { sm2: true });
      const issued = await issueWeihaiReport(keys, store.store, { suite: 'ed25519+sm2', sm2Id: id });
      const sm2 = keys.currentSm2()!;
      const signature = decodeDocumentJws(issued.jws).signatures.find((s) => s.header.alg === 'SM2SM3')!;
      assert.equal(signature.header.sm2id, id, 'the identifier is carried in the signed header');
      // the core takes the identifier from the header
      const publicJwk = { ...sm2.publicJwk } as Record<string, unknown>;
      assert.equal(verifySignatureWith(signature, publicJwk), true);
      assert.equal(verifySignatureWith({ ...signature, header: { ...signature.header, sm2id: SM2_DEFAULT_ID } }, publicJwk), false);

      // the recipe reads sm2id and passes it to openssl as distid
      await writeFile(join(work, 'doc.json'), issued.jws);
      await writeFile(join(work, 'key.json'), JSON.stringify(sm2.publicJwk));
      const good = runRecipe(work, await recipe());
      assert.equal(good.status, 0, good.out);
      assert.match(good.out, /Signature Verified Successfully/);
      // OpenSSL itself: verified with this identifier, refused with the default one (Z_A differs)
      const openssl = (distid: string) =>
        spawnSync(
          'openssl',
          [
            'pkeyutl',
            '-verify',
            '-pubin',
            '-inkey',
            'key.pem',
            '-rawin',
            '-digest',
            'sm3',
            '-pkeyopt',
            `distid:${distid}`,
            '-in',
            'signing-input',
            '-sigfile',
            'signature.der',
          ],
          { cwd: work, encoding: 'utf8' },
        );
      assert.equal(openssl(id).status, 0);
      assert.notEqual(openssl(SM2_DEFAULT_ID).status, 0);
    } finally {
      await store.cleanup();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
