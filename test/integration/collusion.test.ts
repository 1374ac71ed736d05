/**
 * Two colluding cities cannot make a key count as a third city's. Weifang and
 * Rizhao stop their genuine chaincode servers and serve, under the same
 * address and package id, a modified chaincode (test/integration/forger) that
 * writes a key record in Qingdao's name. Endorsed by the two of them the
 * transaction satisfies the 2-of-5 chaincode policy and commits VALID; yet the
 * genuine chaincode on the verifiers' own peers does not return the key,
 * because Qingdao's key set (owner-protected) does not list it. Writing
 * Qingdao's key set too makes the transaction fail validation, and so does
 * writing its seal (the private data collection whose endorsement policy
 * needs Qingdao's peer for every write, a first one included). A first key
 * set they create for a city that has none commits, but is unsealed and so
 * ignored, and so are a chunk of evaluations, a revocation and a list entry
 * they create in a city's name (and the events of those transactions, which
 * carry no seal of the city).
 * The genuine servers are restored afterwards.
 */
import assert from 'node:assert/strict';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chunkIdOf, jwkThumbprint, sha256Hex, type EvaluationRow } from '@jcc/domain';
import { readFile } from 'node:fs/promises';
import { chaincodeServerSpec, cityNodes, nodeNames, runtimePaths, startProcess, stopProcess, until, waitForPort } from '@jcc/network';
import { committedAt, connectCity, evaluateJson, eventually, fabricErrorText, submitJson, type CityConnection } from '../support/fabric.js';

const forgerDir = resolve(dirname(fileURLToPath(import.meta.url)), 'forger');
const tag = `co${Date.now().toString(36)}`;
const COLLUDERS = ['weifang', 'rizhao'] as const;

/** Starts a city's chaincode server on its usual address and package id, from the genuine module or the forger. */
async function serveChaincode(city: (typeof COLLUDERS)[number], packageId: string, modulePath?: string): Promise<void> {
  const n = cityNodes(city);
  await stopProcess(nodeNames(n).chaincode);
  const spec = chaincodeServerSpec(n, packageId);
  const args = modulePath ? spec.args.map((a) => (a.startsWith('--module-path=') ? `--module-path=${modulePath}` : a)) : spec.args;
  await startProcess({ ...spec, args, ...(modulePath ? { cwd: modulePath } : {}) });
  await waitForPort(spec.name, n.ports.chaincodeServer, { host: n.host });
}

describe('collusion: two cities with a modified chaincode cannot create a key in a third city’s name', function () {
  this.timeout(240_000);
  const c: Partial<Record<string, CityConnection>> = {};
  let packageId = '';
  const jwk = { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(sha256Hex(`${tag}-forged`), 'hex').toString('base64url'), kid: `${tag}-forged` };

  before(async function () {
    const state = JSON.parse(await readFile(runtimePaths.stateFile, 'utf8')) as { chaincode?: { packageId?: string } };
    packageId = state?.chaincode?.packageId ?? '';
    assert.ok(packageId, 'the network records its chaincode package id');
    for (const city of ['qingdao', 'yantai', 'weifang', 'rizhao'] as const) c[city] = await connectCity(city);
    // Qingdao's key set exists (consortium set-up): from then on only Qingdao's peer can change it.
    await submitJson((c.qingdao as CityConnection).contract('cities'), 'RegisterKey', {
      use: 'document',
      jwk: { ...jwk, kid: `${tag}-genuine`, x: Buffer.from(sha256Hex(`${tag}-genuine`), 'hex').toString('base64url') },
      validFrom: new Date(Date.now() - 60_000).toISOString(),
    });
    for (const city of COLLUDERS) await serveChaincode(city, packageId, forgerDir);
  });

  after(async function () {
    for (const city of COLLUDERS) await serveChaincode(city, packageId);
    // The genuine servers answer again through each colluder's own peer before other suites run:
    // a query, then a transaction that each colluder's peer must endorse (a query alone passed
    // while the peer's first endorsement still failed to reach the restarted server).
    for (const city of COLLUDERS) {
      await eventually(() => evaluateJson((c[city] as CityConnection).contract('cities'), 'GetKeySet', { city: 'qingdao' }), {
        timeoutMs: 60_000,
      });
      const kid = `${tag}-after-${city}`;
      await eventually(
        () =>
          submitJson(
            (c.qingdao as CityConnection).contract('cities'),
            'RegisterKey',
            {
              use: 'document',
              jwk: { ...jwk, kid, x: Buffer.from(sha256Hex(kid), 'hex').toString('base64url') },
              validFrom: new Date(Date.now() - 60_000).toISOString(),
            },
            ['QingdaoMSP', cityNodes(city).city.mspId],
          ),
        { timeoutMs: 60_000 },
      );
    }
    for (const conn of Object.values(c)) conn?.close();
  });

  it('commits the forged registration as VALID, but no genuine peer returns the key', async function () {
    const weifang = c.weifang as CityConnection;
    const forge = weifang.network.getContract('creditchain', 'forge');
    const record = await eventually(() =>
      submitJson<{ city: string; kid: string }>(forge, 'ForgeKey', { city: 'qingdao', jwk, validFrom: new Date().toISOString() }, [
        'WeifangMSP',
        'RizhaoMSP',
      ]),
    );
    assert.deepEqual([record.city, record.kid], ['qingdao', jwk.kid], 'committed: submit() resolves only on a VALID commit');
    for (const city of ['qingdao', 'yantai'] as const) {
      const conn = c[city] as CityConnection;
      await assert.rejects(evaluateJson(conn.contract('cities'), 'GetKey', { city: 'qingdao', kid: jwk.kid }), (err) =>
        fabricErrorText(err).includes('NOT_FOUND'),
      );
      const view = await evaluateJson<{ keys: { kid: string }[] }>(conn.contract('cities'), 'GetCity', { city: 'qingdao' });
      assert.ok(!view.keys.some((k) => k.kid === jwk.kid), `${city}'s peer does not list the forged key`);
    }
  });

  it('fails validation when the forgers also write Qingdao’s key set (its key-level policy needs Qingdao’s peer)', async function () {
    const forge = (c.weifang as CityConnection).network.getContract('creditchain', 'forge');
    const other = { ...jwk, kid: `${tag}-forged-2` };
    await assert.rejects(
      submitJson(
        forge,
        'ForgeKey',
        { city: 'qingdao', jwk: other, validFrom: new Date().toISOString(), keySet: true, thumbprint: jwkThumbprint(other) },
        ['WeifangMSP', 'RizhaoMSP'],
      ),
      (err) => /ENDORSEMENT_POLICY_FAILURE|policy/i.test(fabricErrorText(err)),
    );
    await assert.rejects(
      evaluateJson((c.yantai as CityConnection).contract('cities'), 'GetKey', { city: 'qingdao', kid: other.kid }),
      (err) => fabricErrorText(err).includes('NOT_FOUND'),
    );
  });

  it('fails validation when the forgers alter or delete a chunk of Qingdao’s evaluations (owner-protected key)', async function () {
    const qingdao = c.qingdao as CityConnection;
    const chunk = {
      scheme: `collusion-${tag}`,
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      validUntil: '2027-12-31T00:00:00Z',
      rows: [[`${tag}-ev-1`, `ps1-${sha256Hex(`${tag} subject`)}`, 'C', sha256Hex(`${tag} evidence`)]],
    };
    const { chunkId, txId } = await submitJson<{ chunkId: string; txId: string }>(
      qingdao.contract('evaluations'),
      'RecordEvaluationChunk',
      chunk,
    );
    // The forgers' peers and the reader's must hold the chunk first: a forger still without it fails for that, not for the policy.
    for (const city of ['weifang', 'rizhao', 'yantai'] as const) await committedAt(c[city] as CityConnection, txId);
    const forge = (c.weifang as CityConnection).network.getContract('creditchain', 'forge');
    for (const change of [{ count: 2 }, { delete: true }]) {
      await assert.rejects(
        submitJson(forge, 'ForgeEvaluationChunk', { city: 'qingdao', chunkId, ...change }, ['WeifangMSP', 'RizhaoMSP']),
        (err) => /ENDORSEMENT_POLICY_FAILURE|policy/i.test(fabricErrorText(err)),
        JSON.stringify(change),
      );
    }
    const stored = await evaluateJson<{ count: number; txId: string }>(
      (c.yantai as CityConnection).contract('evaluations'),
      'GetEvaluationChunk',
      { city: 'qingdao', chunkId },
    );
    assert.deepEqual([stored.count, stored.txId], [1, txId], 'the chunk is unchanged on the ledger');
  });

  it('a chunk of evaluations the forgers create in Qingdao’s name commits VALID but counts for nothing; Qingdao’s own recording replaces it', async function () {
    const qingdao = c.qingdao as CityConnection;
    const yantai = (c.yantai as CityConnection).contract('evaluations');
    const content = {
      scheme: `collusion-${tag}-first`,
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      validUntil: '2027-12-31T00:00:00.000Z',
      rows: [[`${tag}-ev-9`, `ps1-${sha256Hex(`${tag} subject 9`)}`, 'B', sha256Hex(`${tag} evidence 9`)]] as EvaluationRow[],
    };
    // The id Qingdao's own upload of these records will have: the forgers pre-empt it, with another grade.
    const chunkId = chunkIdOf('qingdao', content);
    const forge = (c.weifang as CityConnection).network.getContract('creditchain', 'forge');
    const forgedRows = [[content.rows[0]![0], content.rows[0]![1], 'D', content.rows[0]![3]]];
    const forged = await eventually(() =>
      submitJson<{ txId: string }>(forge, 'CreateEvaluationChunk', { ...content, rows: forgedRows, city: 'qingdao', chunkId }, [
        'WeifangMSP',
        'RizhaoMSP',
      ]),
    );
    // Yantai's peer holds the forged chunk (else the refusal below would prove nothing).
    await committedAt(c.yantai as CityConnection, forged.txId);
    await assert.rejects(evaluateJson(yantai, 'GetEvaluationChunk', { city: 'qingdao', chunkId }), (err) =>
      fabricErrorText(err).includes('NOT_FOUND'),
    );
    const own = await submitJson<{ chunkId: string; unchanged: boolean; txId: string }>(
      qingdao.contract('evaluations'),
      'RecordEvaluationChunk',
      content,
    );
    assert.deepEqual([own.chunkId, own.unchanged], [chunkId, false], 'recorded, not taken for the forged chunk');
    const stored = await until(
      () => evaluateJson<{ txId: string }>(yantai, 'GetEvaluationChunk', { city: 'qingdao', chunkId }),
      () => true,
      { timeoutMs: 30_000, what: "Qingdao's chunk at Yantai's peer" },
    );
    // Qingdao's own chunk, sealed: its id is the Merkle root of Qingdao's rows (grade B), and its event carries them.
    assert.equal(stored.txId, own.txId, "Qingdao's chunk, sealed");
  });

  it('a revocation the forgers create in Qingdao’s name commits VALID but revokes nothing; Qingdao’s own revocation then counts', async function () {
    const qingdao = (c.qingdao as CityConnection).contract('reports');
    const yantai = (c.yantai as CityConnection).contract('reports');
    const id = `${tag}-doc`;
    const issuedAt = new Date(Date.now() - 30_000).toISOString();
    await submitJson(qingdao, 'AnchorDocument', {
      id,
      docType: 'creditReport',
      subjectPseudonym: `ps1-${sha256Hex(`${tag} holder`)}`,
      contentHash: sha256Hex(`${tag} document`),
      issuedAt,
      validUntil: '2027-12-31T00:00:00.000Z',
      kid: `${tag}-genuine`,
    });
    const forge = (c.weifang as CityConnection).network.getContract('creditchain', 'forge');
    const forged = await eventually(() =>
      submitJson<{ txId: string }>(forge, 'RevokeInName', { city: 'qingdao', id, reasonHash: sha256Hex('forged') }, [
        'WeifangMSP',
        'RizhaoMSP',
      ]),
    );
    // Yantai's peer holds the forged revocation (else "active" below would prove nothing).
    await committedAt(c.yantai as CityConnection, forged.txId);
    const view = await evaluateJson<{ effectiveStatus: string; status?: unknown }>(yantai, 'GetDocument', { city: 'qingdao', id });
    assert.deepEqual([view.effectiveStatus, view.status], ['active', undefined], 'the forged revocation counts for nothing');
    const own = await submitJson<{ status: string }>(qingdao, 'RevokeDocument', { id, reasonHash: sha256Hex(`${tag} reason`) });
    assert.equal(own.status, 'revoked');
    // Yantai's peer answers once it has committed the block (peers commit a block at different moments).
    const after = await until(
      () => evaluateJson<{ effectiveStatus: string }>(yantai, 'GetDocument', { city: 'qingdao', id }),
      (view) => view.effectiveStatus === 'revoked',
      { timeoutMs: 30_000, what: "Qingdao's revocation at Yantai's peer" },
    );
    assert.equal(after.effectiveStatus, 'revoked');
  });

  it('a list entry the forgers create in Qingdao’s name commits VALID but counts for nothing: not found, its event unsealed', async function () {
    const forge = (c.weifang as CityConnection).network.getContract('creditchain', 'forge');
    const yantai = c.yantai as CityConnection;
    const id = `${tag}-entry`;
    const subjectPseudonym = `ps1-${sha256Hex(`${tag} listed`)}`;
    const record = {
      city: 'qingdao',
      id,
      subjectPseudonym,
      listType: 'black',
      legalBasisHash: sha256Hex('basis'),
      measuresHash: sha256Hex('measures'),
      startDate: '2026-11-01',
      endDate: '2029-11-01',
      documentHash: sha256Hex('document'),
      state: 'listed',
      createdAt: new Date().toISOString(),
    };
    const forged = await eventually(() =>
      submitJson<{ txId: string }>(
        forge,
        'CreateInName',
        { objectType: 'listEntry', attributes: ['qingdao', id], record, eventName: 'ListEntryCreated' },
        ['WeifangMSP', 'RizhaoMSP'],
      ),
    );
    // Yantai's peer holds the forged entry (else "not found" below would prove nothing).
    await committedAt(yantai, forged.txId);
    await assert.rejects(evaluateJson(yantai.contract('listEntries'), 'GetEntry', { city: 'qingdao', id }), (err) =>
      fabricErrorText(err).includes('NOT_FOUND'),
    );
    const seal = await evaluateJson<{ seals: { sealHash?: string }[] }>(yantai.contract('cities'), 'GetEventSeals', {
      events: [{ city: 'qingdao', txId: forged.txId }],
    });
    assert.equal(seal.seals[0]?.sealHash, undefined, 'no seal of Qingdao on the forged event: no index projects it');
    // Qingdao's own entry under the same id is sealed, and so is its event.
    const own = await submitJson<{ txId: string }>((c.qingdao as CityConnection).contract('listEntries'), 'CreateEntry', {
      id,
      subjectPseudonym,
      listType: 'red',
      legalBasisHash: sha256Hex('basis'),
      measuresHash: sha256Hex('measures'),
      startDate: '2026-11-01',
      endDate: '2029-11-01',
      documentHash: sha256Hex('document'),
    });
    await committedAt(yantai, own.txId);
    const entry = await evaluateJson<{ listType: string }>(yantai.contract('listEntries'), 'GetEntry', { city: 'qingdao', id });
    assert.equal(entry.listType, 'red', "Qingdao's own entry, written over the forged one");
    const ownSeal = await evaluateJson<{ seals: { sealHash?: string }[] }>(yantai.contract('cities'), 'GetEventSeals', {
      events: [{ city: 'qingdao', txId: own.txId }],
    });
    assert.match(ownSeal.seals[0]?.sealHash ?? '', /^[0-9a-f]{64}$/, "Qingdao's event is sealed");
  });

  it('fails validation when the forgers write Qingdao’s seal, even under a key of its collection never written before', async function () {
    const forge = (c.weifang as CityConnection).network.getContract('creditchain', 'forge');
    // The key set's own key (where the genuine chaincode seals it), then a key of the collection never written.
    for (const sealKey of [undefined, `first-${tag}`]) {
      const other = { ...jwk, kid: `${tag}-sealed-${sealKey ? 'new' : 'own'}` };
      await assert.rejects(
        submitJson(
          forge,
          'ForgeKey',
          { city: 'qingdao', jwk: other, validFrom: new Date().toISOString(), seal: true, sealKey, thumbprint: jwkThumbprint(other) },
          ['WeifangMSP', 'RizhaoMSP'],
        ),
        (err) => /ENDORSEMENT_POLICY_FAILURE|policy/i.test(fabricErrorText(err)),
        `a seal write under ${sealKey ?? "the key set's key"} needs Qingdao's peer`,
      );
    }
  });

  it('a first key set the forgers create in a city’s name commits VALID but counts for nothing; the city’s own first registration replaces it', async function () {
    const forge = (c.weifang as CityConnection).network.getContract('creditchain', 'forge');
    // Only a city that has no key set yet can be attacked this way (on a new network); find one.
    let victim: 'weihai' | 'yantai' | undefined;
    const forged = { ...jwk, kid: `${tag}-first` };
    for (const city of ['weihai', 'yantai'] as const) {
      try {
        await submitJson(
          forge,
          'ForgeKey',
          { city, jwk: forged, validFrom: new Date().toISOString(), keySet: true, thumbprint: jwkThumbprint(forged) },
          ['WeifangMSP', 'RizhaoMSP'],
        );
        victim = city;
        break;
      } catch (err) {
        if (!/ENDORSEMENT_POLICY_FAILURE|policy/i.test(fabricErrorText(err))) throw err;
      }
    }
    if (!victim) this.skip(); // every other city registered keys already: there is no first key set left to forge
    const city = victim as 'weihai' | 'yantai';
    for (const reader of ['qingdao', 'yantai'] as const) {
      const contract = (c[reader] as CityConnection).contract('cities');
      await assert.rejects(evaluateJson(contract, 'GetKey', { city, kid: forged.kid }), (err) =>
        fabricErrorText(err).includes('NOT_FOUND'),
      );
      await assert.rejects(evaluateJson(contract, 'GetKeySet', { city }), (err) => fabricErrorText(err).includes('NOT_FOUND'));
    }
    c[city] ??= await connectCity(city);
    const own = `${tag}-own-${city}`;
    await submitJson((c[city] as CityConnection).contract('cities'), 'RegisterKey', {
      use: 'document',
      jwk: { ...jwk, kid: own, x: Buffer.from(sha256Hex(own), 'hex').toString('base64url') },
      validFrom: new Date(Date.now() - 60_000).toISOString(),
    });
    const keySet = await eventually(() =>
      evaluateJson<{ keys: Record<string, string> }>((c.qingdao as CityConnection).contract('cities'), 'GetKeySet', { city }),
    );
    assert.deepEqual(Object.keys(keySet.keys), [own], 'the forged entry is gone');
  });
});
