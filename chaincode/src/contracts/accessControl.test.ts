import assert from 'node:assert/strict';
import { CITY_IDS, cityById, type CityId, type ErrorCode } from '@jcc/domain';
import { cityEndorsementPolicy } from '../lib/endorsementPolicy.js';
import { FakeLedger, type Invocation } from '../lib/testing/fakeLedger.js';
import {
  agencyInput,
  agreementInput,
  anchorDocument,
  anchorInput,
  batchInput,
  contracts,
  documentKid,
  entryInput,
  evaluationInput,
  hashOf,
  registerAllDocumentKeys,
  usccOf,
  type Contracts,
} from '../lib/testing/fixtures.js';

/**
 * The access-control matrix: for every ordered pair (owner, actor) of the
 * five cities, the actor attempts every write on records of the owner.
 * Writes naming another city's record explicitly are refused unless the
 * actor has a role in it; writes naming a record by id act in the actor's
 * own namespace and so never reach the owner's record. Either way, unless
 * the actor is the owner, no key the owner owns changes.
 */

/** Who the records of a scenario involve. */
interface Roles {
  owner: CityId;
  actor: CityId;
  /** The owner's agreement partner and the issuer of the document the owner recognised: the city after the owner. */
  partner: CityId;
}

/** What an attempt should give: success, or a refusal code. */
type Outcome = 'ok' | ErrorCode;

interface Attempt {
  name: string;
  run(ledger: FakeLedger, c: Contracts, roles: Roles): Promise<Invocation>;
  expect(roles: Roles): Outcome;
}

const onlyOwner = ({ owner, actor }: Roles): Outcome => (owner === actor ? 'ok' : 'FORBIDDEN');
const ownNamespace = ({ owner, actor }: Roles): Outcome => (owner === actor ? 'ok' : 'NOT_FOUND');

const ATTEMPTS: Attempt[] = [
  {
    name: 'cities:RevokeKey of the owner’s kid',
    run: (l, c, r) => l.call(r.actor, c.cities, 'RevokeKey', { kid: documentKid(r.owner) }),
    expect: ownNamespace,
  },
  {
    name: 'reports:RevokeDocument of the owner’s document id',
    run: (l, c, r) => l.call(r.actor, c.reports, 'RevokeDocument', { id: 'DOC-1', reasonHash: hashOf('attempt') }),
    expect: ownNamespace,
  },
  {
    name: 'reports:SupersedeDocument of the owner’s document id',
    run: (l, c, r) =>
      l.call(r.actor, c.reports, 'SupersedeDocument', { id: 'DOC-2', replacementId: 'DOC-1', reasonHash: hashOf('attempt') }),
    expect: ownNamespace,
  },
  {
    name: 'reports:RevokeDocument in the owner’s batch',
    run: (l, c, r) => l.call(r.actor, c.reports, 'RevokeDocument', { id: 'IN-BATCH', reasonHash: hashOf('attempt'), batchId: 'BATCH-1' }),
    expect: ownNamespace,
  },
  {
    name: 'reports:AnchorDocument reusing the owner’s document id with another hash',
    run: (l, c, r) => l.call(r.actor, c.reports, 'AnchorDocument', { ...anchorInput(r.actor, 'DOC-4'), contentHash: hashOf('forged') }),
    expect: ({ owner, actor }) => (owner === actor ? 'CONFLICT' : 'ok'),
  },
  {
    name: 'evaluations:RecordEvaluation reusing the owner’s id with another grade',
    run: (l, c, r) => l.call(r.actor, c.evaluations, 'RecordEvaluation', evaluationInput('EV-1', 'alpha', 'D')),
    expect: ({ owner, actor }) => (owner === actor ? 'CONFLICT' : 'ok'),
  },
  {
    name: 'listEntries:RemoveEntry of the owner’s entry id',
    run: (l, c, r) =>
      l.call(r.actor, c.listEntries, 'RemoveEntry', { id: 'ENTRY-2', reason: 'courtDecision', noteHash: hashOf('attempt') }),
    expect: ownNamespace,
  },
  {
    name: 'listEntries:AnswerObjection to an objection on the owner’s entry',
    run: (l, c, r) =>
      l.call(r.actor, c.listEntries, 'AnswerObjection', {
        objectionCity: r.owner,
        objectionId: 'OBJ-1',
        outcome: 'upheld',
        noteHash: hashOf('attempt'),
      }),
    expect: onlyOwner,
  },
  {
    name: 'agencies:FileAgency of the owner’s agency',
    run: (l, c, r) => l.call(r.actor, c.agencies, 'FileAgency', agencyInput(1)),
    expect: ({ owner, actor }) => (owner === actor ? 'ok' : 'CONFLICT'),
  },
  {
    name: 'agencies:SetAgencyStatus of the owner’s agency',
    run: (l, c, r) => l.call(r.actor, c.agencies, 'SetAgencyStatus', { uscc: usccOf(1), status: 'revoked', reasonHash: hashOf('attempt') }),
    expect: onlyOwner,
  },
  {
    name: 'agencies:SetAllianceMembership of the owner’s agency',
    run: (l, c, r) => l.call(r.actor, c.agencies, 'SetAllianceMembership', { uscc: usccOf(1), member: true }),
    expect: onlyOwner,
  },
  {
    name: 'recognition:AcceptAgreement of the owner’s proposal',
    run: (l, c, r) => l.call(r.actor, c.recognition, 'AcceptAgreement', { agreementId: 'AGR-1' }),
    expect: ({ actor, partner }) => (actor === partner ? 'ok' : 'FORBIDDEN'),
  },
  {
    name: 'recognition:EndAgreement of the owner’s agreement',
    run: (l, c, r) => l.call(r.actor, c.recognition, 'EndAgreement', { agreementId: 'AGR-2', reasonHash: hashOf('attempt') }),
    expect: ({ owner, actor, partner }) => (actor === owner || actor === partner ? 'ok' : 'FORBIDDEN'),
  },
  {
    name: 'recognition:RecordRecognition on the document the owner recognised',
    run: (l, c, r) =>
      l.call(r.actor, c.recognition, 'RecordRecognition', {
        issuerCity: r.partner,
        documentId: 'P-DOC',
        decision: 'rejected',
        reasonHash: hashOf('attempt'),
      }),
    expect: ({ actor, partner }) => (actor === partner ? 'INVALID_ARGUMENT' : 'ok'),
  },
];

/** Writes the owner's records that the attempts aim at. */
async function ownerRecords(ledger: FakeLedger, c: Contracts, { owner, partner }: Roles): Promise<void> {
  for (const id of ['DOC-1', 'DOC-2', 'DOC-4']) await ledger.ok(owner, c.reports, 'AnchorDocument', anchorInput(owner, id));
  await ledger.ok(owner, c.reports, 'AnchorBatch', batchInput('BATCH-1'));
  await ledger.ok(owner, c.evaluations, 'RecordEvaluation', evaluationInput('EV-1'));
  await ledger.ok(owner, c.listEntries, 'CreateEntry', entryInput('ENTRY-1'));
  await ledger.ok(owner, c.listEntries, 'CreateEntry', entryInput('ENTRY-2'));
  await ledger.ok(owner, c.listEntries, 'RegisterObjection', {
    entryCity: owner,
    entryId: 'ENTRY-1',
    objectionId: 'OBJ-1',
    groundsHash: hashOf('g'),
  });
  await ledger.ok(owner, c.agencies, 'FileAgency', agencyInput(1));
  await ledger.ok(owner, c.recognition, 'ProposeAgreement', agreementInput('AGR-1', partner));
  await ledger.ok(owner, c.recognition, 'ProposeAgreement', agreementInput('AGR-2', partner));
  await anchorDocument(ledger, c, partner, 'P-DOC');
  await ledger.ok(owner, c.recognition, 'RecordRecognition', {
    issuerCity: partner,
    documentId: 'P-DOC',
    decision: 'accepted',
    reasonHash: hashOf('verified'),
  });
}

/** The keys whose key-level policy names `city` as owner, with their values. */
function ownedBy(ledger: FakeLedger, city: CityId): Map<string, string> {
  const policy = Buffer.from(cityEndorsementPolicy(cityById(city))).toString('hex');
  const snapshot = ledger.snapshot();
  const owned = new Map<string, string>();
  for (const [key, hex] of Object.entries(snapshot.validationParameters)) {
    if (hex === policy) owned.set(key, snapshot.values[key] as string);
  }
  return owned;
}

describe('access-control matrix (5 × 5 cities, every write on another city’s record)', () => {
  for (const owner of CITY_IDS) {
    for (const actor of CITY_IDS) {
      const partner = CITY_IDS[(CITY_IDS.indexOf(owner) + 1) % CITY_IDS.length] as CityId;
      const roles: Roles = { owner, actor, partner };

      it(`${actor} against ${owner}'s records`, async () => {
        const ledger = new FakeLedger();
        const c = contracts();
        await registerAllDocumentKeys(ledger, c);
        await ownerRecords(ledger, c, roles);
        const before = ownedBy(ledger, owner);
        assert.ok(before.size >= 20, 'the owner owns its records and their index entries');

        for (const attempt of ATTEMPTS) {
          const inv = await attempt.run(ledger, c, roles);
          const expected = attempt.expect(roles);
          const got = inv.error ? (inv.error.code ?? inv.error.message) : 'ok';
          assert.equal(got, expected, `${attempt.name}: ${inv.error?.message ?? 'succeeded'}`);
          if (inv.error) assert.equal(inv.writes.size, 0, `${attempt.name}: a refusal writes nothing`);
        }

        if (actor !== owner) {
          assert.deepEqual(ownedBy(ledger, owner), before, `no key owned by ${owner} changed`);
        } else {
          assert.notDeepEqual(ownedBy(ledger, owner), before, 'the owner itself did change its records');
        }
      });
    }
  }
});
