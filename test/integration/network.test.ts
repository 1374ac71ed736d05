/**
 * Integration tests of the creditchain chaincode on the real five-city Fabric
 * network (Fabric binaries, Raft ordering, chaincode as a service). Every
 * write here is endorsed by real peers, ordered and committed.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CITY_IDS, sha256Hex, subjectPseudonym, usccCheckCharacter, type CityId } from '@jcc/domain';
import { networkDown, networkUp, stopProcess } from '@jcc/network';
import { committedAt, connectCity, evaluateJson, eventually, fabricErrorText, submitJson, type CityConnection } from '../support/fabric.js';

const run = promisify(execFile);
/** Unique per run: the ledger outlives test runs. */
const tag = `it${Date.now().toString(36)}`;
const pseudonym = (n: number) => subjectPseudonym('integration-test-secret', { kind: 'enterprise', uscc: uscc(`9137020${n}`) });
const hash = (text: string) => sha256Hex(`${tag}:${text}`);
const day = 86_400_000;
const iso = (offsetDays: number) => new Date(Date.now() + offsetDays * day).toISOString();

/** A valid USCC starting with `prefix` (padded), with its check character. */
function uscc(prefix: string): string {
  const body = (prefix + 'MA3C5X9K2' + '00000000000000000').slice(0, 17);
  return body + usccCheckCharacter(body);
}

function documentInput(id: string, kid = `${tag}-doc`) {
  return {
    id,
    docType: 'creditReport',
    subjectPseudonym: pseudonym(1),
    contentHash: hash(id),
    issuedAt: iso(0),
    validUntil: iso(365),
    kid,
  };
}

describe('the five-city network runs creditchain for real', function () {
  const cities = {} as Record<CityId, CityConnection>;
  /** Waits until every city's peer holds transaction `txId`: the next city's write builds on it. */
  const everywhere = async (txId: string): Promise<void> => {
    for (const city of CITY_IDS) await committedAt(cities[city], txId);
  };

  before(async function () {
    for (const city of CITY_IDS) cities[city] = await connectCity(city);
    // Every city registers a document-signing key (public JWK) for this run.
    await Promise.all(
      CITY_IDS.map((city) =>
        submitJson(cities[city].contract('cities'), 'RegisterKey', {
          use: 'document',
          jwk: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hash(`${city}-key`), 'hex').toString('base64url'), kid: `${tag}-doc` },
          validFrom: iso(-1),
        }),
      ),
    );
  });

  after(function () {
    for (const c of Object.values(cities)) c?.close();
  });

  it("Fabric's own peer CLI, as Yantai's admin, lists all six contracts", async function () {
    const { stdout } = await run('bash', [
      '-c',
      `eval "$(npm run --silent network:env -- yantai)" && peer chaincode query -C jiaodong -n creditchain -c '{"Args":["org.hyperledger.fabric:GetMetadata"]}'`,
    ]);
    const metadata = JSON.parse(stdout) as { contracts: Record<string, unknown> };
    for (const name of ['cities', 'reports', 'evaluations', 'listEntries', 'agencies', 'recognition']) {
      assert.ok(name in metadata.contracts, `contract ${name} missing from ${Object.keys(metadata.contracts).join(', ')}`);
    }
  });

  describe('cities', function () {
    it('a key registered by Qingdao is visible to Rizhao', async function () {
      const city = await evaluateJson<{ id: string; keys: { kid: string; use: string }[] }>(cities.rizhao.contract('cities'), 'GetCity', {
        city: 'qingdao',
      });
      assert.equal(city.id, 'qingdao');
      assert.ok(city.keys.some((k) => k.kid === `${tag}-doc` && k.use === 'document'));
    });
  });

  describe('reports', function () {
    it('Qingdao anchors a document; Yantai reads the anchor; anchoring again is idempotent; another hash conflicts', async function () {
      const input = documentInput(`${tag}-doc-1`);
      const record = await submitJson<{ txId: string; status: string }>(cities.qingdao.contract('reports'), 'AnchorDocument', input);
      assert.equal(record.status, 'active');
      const read = await eventually(() =>
        evaluateJson<{ anchor: { contentHash: string; city: string } }>(cities.yantai.contract('reports'), 'GetDocument', {
          city: 'qingdao',
          id: input.id,
        }),
      );
      assert.equal(read.anchor.contentHash, input.contentHash);
      assert.equal(read.anchor.city, 'qingdao');
      const again = await submitJson<{ txId: string }>(cities.qingdao.contract('reports'), 'AnchorDocument', input);
      assert.equal(again.txId, record.txId, 'the re-anchor returns the original record');
      await assert.rejects(
        submitJson(cities.qingdao.contract('reports'), 'AnchorDocument', { ...input, contentHash: hash('other') }),
        (err) => fabricErrorText(err).includes('CONFLICT'),
      );
    });

    it('Qingdao anchors a Merkle batch root', async function () {
      const batch = {
        batchId: `${tag}-batch-1`,
        root: hash('root'),
        leafCount: 1000,
        leafScheme: 'rfc9162-sha256/v1',
        firstIssuedAt: iso(-1),
        lastIssuedAt: iso(0),
      };
      await submitJson(cities.qingdao.contract('reports'), 'AnchorBatch', batch);
      const read = await eventually(() =>
        evaluateJson<{ root: string; leafCount: number }>(cities.weihai.contract('reports'), 'GetBatch', {
          city: 'qingdao',
          batchId: batch.batchId,
        }),
      );
      assert.equal(read.root, batch.root);
      assert.equal(read.leafCount, 1000);
    });

    it("Yantai's attempt to revoke Qingdao's document is refused by the network and changes nothing", async function () {
      const input = documentInput(`${tag}-doc-2`);
      await submitJson(cities.qingdao.contract('reports'), 'AnchorDocument', input);
      await assert.rejects(
        submitJson(cities.yantai.contract('reports'), 'RevokeDocument', { id: input.id, reasonHash: 'a'.repeat(64) }),
        (err) => /FORBIDDEN|NOT_FOUND/.test(fabricErrorText(err)),
      );
      const read = await evaluateJson<{ status?: { status: string } }>(cities.qingdao.contract('reports'), 'GetDocument', {
        city: 'qingdao',
        id: input.id,
      });
      assert.equal(read.status, undefined);
    });

    it("the key-level endorsement policy keeps Qingdao's record from changing without Qingdao's peer", async function () {
      const input = documentInput(`${tag}-doc-3`);
      const anchored = await submitJson<{ txId: string }>(cities.qingdao.contract('reports'), 'AnchorDocument', input);
      // Both endorsers must hold the anchor first: one still without it answers NOT_FOUND, and the endorsement
      // fails for the endorsers disagreeing instead of the validation the test is about.
      for (const city of ['yantai', 'weihai'] as const) await committedAt(cities[city], anchored.txId);
      // Qingdao itself revokes, but has only Yantai's and Weihai's peers endorse: the chaincode
      // accepts it and the chaincode-level policy (2 of 5) is met, yet validation must fail
      // because the record's own policy names Qingdao's peer.
      await assert.rejects(
        submitJson(cities.qingdao.contract('reports'), 'RevokeDocument', { id: input.id, reasonHash: 'b'.repeat(64) }, [
          'YantaiMSP',
          'WeihaiMSP',
        ]),
        (err) => /ENDORSEMENT_POLICY_FAILURE/.test(fabricErrorText(err)) || /code:? ?10\b/.test(fabricErrorText(err)),
      );
      const read = await evaluateJson<{ status?: { status: string } }>(cities.qingdao.contract('reports'), 'GetDocument', {
        city: 'qingdao',
        id: input.id,
      });
      assert.equal(read.status, undefined, 'the revocation did not commit');
      // With Qingdao's peer among the endorsers the same change commits.
      await submitJson(cities.qingdao.contract('reports'), 'RevokeDocument', { id: input.id, reasonHash: 'b'.repeat(64) }, [
        'QingdaoMSP',
        'WeihaiMSP',
      ]);
      await eventually(async () => {
        const after = await evaluateJson<{ status?: { status: string } }>(cities.yantai.contract('reports'), 'GetDocument', {
          city: 'qingdao',
          id: input.id,
        });
        assert.equal(after.status?.status, 'revoked');
      });
    });
  });

  describe('evaluations', function () {
    it("Qingdao records evaluations (one and in bulk); Weihai finds the subject's evaluations across cities", async function () {
      const base = {
        subjectPseudonym: pseudonym(2),
        scheme: 'jiaodong-2026',
        periodStart: '2026-01-01',
        periodEnd: '2026-06-30',
        validUntil: iso(365),
      };
      await submitJson(cities.qingdao.contract('evaluations'), 'RecordEvaluation', {
        ...base,
        id: `${tag}-ev-1`,
        grade: 'A',
        evidenceHash: hash('ev1'),
      });
      await submitJson(cities.yantai.contract('evaluations'), 'RecordEvaluations', {
        records: [1, 2, 3].map((i) => ({ ...base, id: `${tag}-ev-bulk-${i}`, grade: 'B', evidenceHash: hash(`bulk${i}`) })),
      });
      await eventually(async () => {
        const page = await evaluateJson<{ records: { city: string; id: string }[] }>(
          cities.weihai.contract('evaluations'),
          'QueryEvaluationsBySubject',
          {
            subjectPseudonym: base.subjectPseudonym,
            pageSize: 50,
          },
        );
        const ids = page.records.map((r) => `${r.city}/${r.id}`);
        assert.ok(ids.includes(`qingdao/${tag}-ev-1`));
        assert.ok(ids.includes(`yantai/${tag}-ev-bulk-3`));
      });
    });
  });

  describe('list entries', function () {
    it('Qingdao lists a subject; Yantai registers an objection; Qingdao upholds it and the entry is removed, history kept', async function () {
      const id = `${tag}-entry-1`;
      const entry0 = await submitJson<{ txId: string }>(cities.qingdao.contract('listEntries'), 'CreateEntry', {
        id,
        subjectPseudonym: pseudonym(3),
        listType: 'black',
        legalBasisHash: hash('Qingdao social credit regulation art. 30'),
        measuresHash: hash('restricted from public procurement'),
        startDate: '2026-01-01',
        endDate: '2029-01-01',
      });
      const objectionId = `${tag}-obj-1`;
      // Every endorser of the next city's write must hold the one it builds on (peers commit a block at different moments).
      await everywhere(entry0.txId);
      const objection = await submitJson<{ txId: string }>(cities.yantai.contract('listEntries'), 'RegisterObjection', {
        entryCity: 'qingdao',
        entryId: id,
        objectionId,
        groundsHash: hash('grounds'),
      });
      await everywhere(objection.txId);
      await assert.rejects(
        submitJson(cities.yantai.contract('listEntries'), 'AnswerObjection', {
          objectionCity: 'yantai',
          objectionId,
          outcome: 'upheld',
          noteHash: hash('not the issuer'),
        }),
        (err) => fabricErrorText(err).includes('FORBIDDEN'),
      );
      await submitJson(cities.qingdao.contract('listEntries'), 'AnswerObjection', {
        objectionCity: 'yantai',
        objectionId,
        outcome: 'upheld',
        noteHash: hash('records matched another subject'),
      });
      const entry = await eventually(async () => {
        const e = await evaluateJson<{ state: string; removal?: { reason: string }; objections: { answer?: { outcome: string } }[] }>(
          cities.weifang.contract('listEntries'),
          'GetEntry',
          { city: 'qingdao', id },
        );
        assert.equal(e.state, 'removed');
        return e;
      });
      assert.equal(entry.removal?.reason, 'objectionUpheld');
      assert.equal(entry.objections[0]?.answer?.outcome, 'upheld');
    });
  });

  describe('agencies', function () {
    it('Weihai files an agency; Rizhao records supervision in its own name but cannot change its status', async function () {
      const code = uscc(`91371000${Date.now() % 1000}`);
      const filed = await submitJson<{ txId: string }>(cities.weihai.contract('agencies'), 'FileAgency', {
        uscc: code,
        name: `Weihai Credit Rating ${tag}`,
        services: ['credit rating'],
      });
      await everywhere(filed.txId);
      await submitJson(cities.rizhao.contract('agencies'), 'RecordSupervision', {
        uscc: code,
        actionId: `${tag}-sup-1`,
        action: 'inspection',
        summaryHash: 'c'.repeat(64),
        date: '2026-11-01',
      });
      await assert.rejects(
        submitJson(cities.rizhao.contract('agencies'), 'SetAgencyStatus', { uscc: code, status: 'suspended', reasonHash: 'd'.repeat(64) }),
        (err) => fabricErrorText(err).includes('FORBIDDEN'),
      );
      await submitJson(cities.weihai.contract('agencies'), 'SetAgencyStatus', {
        uscc: code,
        status: 'suspended',
        reasonHash: 'e'.repeat(64),
      });
      const agency = await eventually(async () => {
        const a = await evaluateJson<{ status: string; city: string; supervision: { city: string }[] }>(
          cities.qingdao.contract('agencies'),
          'GetAgency',
          { uscc: code },
        );
        assert.equal(a.status, 'suspended');
        return a;
      });
      assert.equal(agency.city, 'weihai');
      assert.equal(agency.supervision[0]?.city, 'rizhao');
    });
  });

  describe('recognition', function () {
    it('an agreement takes effect only once both cities signed; a recognition record is kept', async function () {
      const agreementId = `${tag}-agr-1`;
      // The ledger outlives runs and may hold other Qingdao–Yantai agreements (the demo data has one in force
      // now), so this agreement covers a one-second window a century ahead that is this run's alone, and
      // recognition is asked about an instant inside it: only this agreement can answer for it.
      const windowStart = Date.now() + 100 * 365 * day;
      await submitJson(cities.qingdao.contract('recognition'), 'ProposeAgreement', {
        agreementId,
        counterparty: 'yantai',
        docTypes: ['creditReport'],
        validFrom: new Date(windowStart).toISOString(),
        validTo: new Date(windowStart + 1000).toISOString(),
      });
      // Every peer holds the proposal before other cities act on it (the agreement view names no transaction).
      for (const city of CITY_IDS)
        await eventually(() => evaluateJson(cities[city].contract('recognition'), 'GetAgreement', { agreementId }));
      const at = new Date(windowStart + 500).toISOString();
      const check = { issuerCity: 'qingdao', documentId: `${tag}-doc-1`, docType: 'creditReport', recognisingCity: 'yantai', at };
      const before = await evaluateJson<{ recognised: boolean }>(cities.yantai.contract('recognition'), 'IsRecognised', check);
      assert.equal(before.recognised, false, 'a proposal alone recognises nothing');
      await assert.rejects(submitJson(cities.weifang.contract('recognition'), 'AcceptAgreement', { agreementId }), (err) =>
        fabricErrorText(err).includes('FORBIDDEN'),
      );
      await submitJson(cities.yantai.contract('recognition'), 'AcceptAgreement', { agreementId });
      const after = await evaluateJson<{ recognised: boolean; basis: string; agreementId?: string }>(
        cities.yantai.contract('recognition'),
        'IsRecognised',
        check,
      );
      assert.deepEqual([after.recognised, after.basis, after.agreementId], [true, 'agreement', agreementId]);
      await submitJson(cities.weihai.contract('recognition'), 'RecordRecognition', {
        issuerCity: 'qingdao',
        documentId: `${tag}-doc-1`,
        decision: 'accepted',
        reasonHash: sha256Hex('salt:verified against the ledger'),
      });
      await eventually(async () => {
        const records = await evaluateJson<{ records: { city: string; decision: string }[] }>(
          cities.rizhao.contract('recognition'),
          'GetRecognitions',
          {
            issuerCity: 'qingdao',
            documentId: `${tag}-doc-1`,
          },
        );
        assert.ok(records.records.some((r) => r.city === 'weihai' && r.decision === 'accepted'));
      });
    });
  });

  describe('events', function () {
    it("a listener at Weifang receives Qingdao's DocumentAnchored event with its payload", async function () {
      const events = await cities.weifang.network.getChaincodeEvents('creditchain');
      try {
        const input = documentInput(`${tag}-doc-event`);
        const submitted = submitJson(cities.qingdao.contract('reports'), 'AnchorDocument', input);
        const decoder = new TextDecoder();
        for await (const event of events) {
          const payload = JSON.parse(decoder.decode(event.payload)) as { id?: string };
          if (event.eventName === 'DocumentAnchored' && payload.id === input.id) {
            assert.equal((payload as { contentHash?: string }).contentHash, input.contentHash);
            break;
          }
        }
        await submitted;
      } finally {
        events.close();
      }
    });
  });

  describe('availability', function () {
    it("with Weifang's and Rizhao's peers stopped, the other three cities still anchor and query", async function () {
      await stopProcess('peer.weifang');
      await stopProcess('peer.rizhao');
      try {
        const input = documentInput(`${tag}-doc-degraded`);
        await submitJson(cities.qingdao.contract('reports'), 'AnchorDocument', input);
        const read = await eventually(() =>
          evaluateJson<{ anchor: { contentHash: string } }>(cities.weihai.contract('reports'), 'GetDocument', {
            city: 'qingdao',
            id: input.id,
          }),
        );
        assert.equal(read.anchor.contentHash, input.contentHash);
      } finally {
        await networkUp();
      }
    });
  });

  describe('persistence', function () {
    it('data written before network:down and network:up is still there after', async function () {
      const input = documentInput(`${tag}-doc-persist`);
      await submitJson(cities.qingdao.contract('reports'), 'AnchorDocument', input);
      for (const c of Object.values(cities)) c.close();
      await networkDown({ log: () => undefined });
      await networkUp();
      for (const city of CITY_IDS) cities[city] = await connectCity(city);
      // Qingdao's peer had committed the block before the network went down; Rizhao's may get it from the
      // ordering service only once the network is up again.
      const read = await eventually(() =>
        evaluateJson<{ anchor: { contentHash: string } }>(cities.rizhao.contract('reports'), 'GetDocument', {
          city: 'qingdao',
          id: input.id,
        }),
      );
      assert.equal(read.anchor.contentHash, input.contentHash);
    });
  });
});
