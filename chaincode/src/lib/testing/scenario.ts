import { grow, headInput, testLog } from './treeHeads.js';
import type { FakeLedger } from './fakeLedger.js';
import {
  agencyInput,
  agreementInput,
  anchorInput,
  batchInput,
  entryInput,
  evaluationInput,
  hashOf,
  pseudonymOf,
  registerAllDocumentKeys,
  usccOf,
  type Contracts,
} from './fixtures.js';

/**
 * A day of the consortium: every transaction of every contract, by several
 * cities, with idempotent repeats and refused attempts among them. Tests of
 * ledger-wide properties run it and then inspect `ledger.history`.
 */
export async function runFullScenario(ledger: FakeLedger, c: Contracts): Promise<void> {
  await registerAllDocumentKeys(ledger, c);
  await ledger.call('yantai', c.cities, 'RegisterKey', {
    use: 'gateway',
    jwk: { kty: 'OKP', crv: 'Ed25519', x: Buffer.alloc(32, 7).toString('base64url'), kid: 'yt-gw' },
    validFrom: '2026-01-01T00:00:00Z',
  });
  await ledger.call('yantai', c.cities, 'RotateKey', {
    use: 'gateway',
    jwk: { kty: 'OKP', crv: 'Ed25519', x: Buffer.alloc(32, 8).toString('base64url'), kid: 'yt-gw-2' },
    validFrom: '2026-02-01T00:00:00Z',
    previousKid: 'yt-gw',
  });
  await ledger.call('yantai', c.cities, 'RevokeKey', { kid: 'yt-gw', reason: 'superseded' });
  await ledger.call('yantai', c.cities, 'GetKeySet', { city: 'yantai' });
  const regulator = {
    id: 'reg-1',
    role: 'regulator',
    jwk: { kty: 'OKP', crv: 'Ed25519', x: Buffer.alloc(32, 9).toString('base64url'), kid: 'reg-1-k1' },
    validFrom: '2026-01-01T00:00:00Z',
    validTo: '2027-01-01T00:00:00Z',
  };
  await ledger.call('qingdao', c.identities, 'ProposeIdentity', regulator);
  await ledger.call('qingdao', c.identities, 'ProposeIdentity', regulator);
  await ledger.call('yantai', c.identities, 'ApproveIdentity', { id: 'reg-1' });
  await ledger.call('weihai', c.identities, 'ApproveIdentity', { id: 'reg-1' });
  await ledger.call('weihai', c.identities, 'RevokeIdentity', { id: 'reg-1', reason: 'keyCompromise' });
  await ledger.call('rizhao', c.identities, 'GetIdentity', { id: 'reg-1' });
  await ledger.call('rizhao', c.identities, 'ListIdentities', {});
  await ledger.call('weihai', c.cities, 'SetGatewayUrl', { url: 'https://credit.weihai.example/' });
  await ledger.call('weihai', c.cities, 'SetGatewayUrl', { url: 'https://credit.weihai.example/' });
  await ledger.call('rizhao', c.cities, 'GetCity', { city: 'weihai' });
  await ledger.call('rizhao', c.cities, 'ListCities', {});
  await ledger.call('rizhao', c.cities, 'GetKey', { city: 'yantai', kid: 'yt-gw' });

  await ledger.call('qingdao', c.reports, 'AnchorDocument', anchorInput('qingdao', 'QD-1'));
  await ledger.call('qingdao', c.reports, 'AnchorDocument', anchorInput('qingdao', 'QD-1'));
  await ledger.call('qingdao', c.reports, 'AnchorDocument', anchorInput('qingdao', 'QD-2'));
  await ledger.call('yantai', c.reports, 'AnchorDocument', anchorInput('yantai', 'YT-1'));
  await ledger.call('qingdao', c.reports, 'AnchorBatch', batchInput('QD-B-1'));
  await ledger.call('qingdao', c.reports, 'AnchorBatch', batchInput('QD-B-1'));
  await ledger.call('qingdao', c.reports, 'RevokeDocument', { id: 'QD-1', reasonHash: hashOf('内容有误') });
  await ledger.call('qingdao', c.reports, 'RevokeDocument', { id: 'QD-1', reasonHash: hashOf('again') });
  await ledger.call('qingdao', c.reports, 'RevokeDocument', { id: 'QD-B-doc', reasonHash: hashOf('withdrawn'), batchId: 'QD-B-1' });
  await ledger.call('qingdao', c.reports, 'SupersedeDocument', { id: 'QD-2', replacementId: 'QD-1', reasonHash: hashOf('reissued') });
  await ledger.call('yantai', c.reports, 'RevokeDocument', { id: 'QD-2', reasonHash: hashOf('not ours') });
  await ledger.call('weifang', c.reports, 'GetDocument', { city: 'qingdao', id: 'QD-1' });
  await ledger.call('weifang', c.reports, 'GetBatch', { city: 'qingdao', batchId: 'QD-B-1' });
  await ledger.call('weifang', c.reports, 'ListDocumentsBySubject', { subjectPseudonym: pseudonymOf('alpha'), pageSize: 2 });

  await ledger.call('weifang', c.evaluations, 'RecordEvaluation', evaluationInput('WF-E-1'));
  await ledger.call('weifang', c.evaluations, 'RecordEvaluation', evaluationInput('WF-E-1'));
  await ledger.call('weifang', c.evaluations, 'RecordEvaluations', {
    records: [evaluationInput('WF-E-1'), evaluationInput('WF-E-2'), evaluationInput('WF-E-3')],
  });
  await ledger.call('weifang', c.evaluations, 'RecordEvaluations', { records: [evaluationInput('WF-E-2')] });
  await ledger.call('rizhao', c.evaluations, 'RecordEvaluation', evaluationInput('WF-E-1', 'alpha', 'C'));
  await ledger.call('qingdao', c.evaluations, 'GetEvaluation', { city: 'weifang', id: 'WF-E-1' });
  await ledger.call('qingdao', c.evaluations, 'QueryEvaluationsBySubject', { subjectPseudonym: pseudonymOf('alpha'), pageSize: 2 });
  const chunk = {
    scheme: 'jiaodong-2026',
    periodStart: '2026-01-01',
    periodEnd: '2026-06-30',
    validUntil: '2027-06-30T00:00:00Z',
    rows: [
      ['QD-C-1', pseudonymOf('alpha'), 'A', hashOf('evidence QD-C-1')],
      ['QD-C-2', pseudonymOf('beta'), 'B', hashOf('evidence QD-C-2'), 'QD-C-0'],
    ],
  };
  const recorded = await ledger.call('qingdao', c.evaluations, 'RecordEvaluationChunk', chunk);
  await ledger.call('qingdao', c.evaluations, 'RecordEvaluationChunk', chunk);
  await ledger.call('weihai', c.evaluations, 'GetEvaluationChunk', {
    city: 'qingdao',
    chunkId: (recorded.result as { chunkId: string }).chunkId,
  });

  await ledger.call('qingdao', c.listEntries, 'CreateEntry', entryInput('QD-L-1'));
  await ledger.call('qingdao', c.listEntries, 'CreateEntry', entryInput('QD-L-1'));
  await ledger.call('qingdao', c.listEntries, 'CreateEntry', entryInput('QD-L-2', 'beta', 'red'));
  await ledger.call('yantai', c.listEntries, 'RegisterObjection', {
    entryCity: 'qingdao',
    entryId: 'QD-L-1',
    objectionId: 'YT-O-1',
    groundsHash: hashOf('g1'),
  });
  await ledger.call('yantai', c.listEntries, 'RegisterObjection', {
    entryCity: 'qingdao',
    entryId: 'QD-L-1',
    objectionId: 'YT-O-1',
    groundsHash: hashOf('g1'),
  });
  await ledger.call('weihai', c.listEntries, 'RegisterObjection', {
    entryCity: 'qingdao',
    entryId: 'QD-L-1',
    objectionId: 'WH-O-1',
    groundsHash: hashOf('g2'),
  });
  await ledger.call('yantai', c.listEntries, 'AnswerObjection', {
    objectionCity: 'yantai',
    objectionId: 'YT-O-1',
    outcome: 'upheld',
    noteHash: hashOf('not the issuer'),
  });
  await ledger.call('qingdao', c.listEntries, 'AnswerObjection', {
    objectionCity: 'weihai',
    objectionId: 'WH-O-1',
    outcome: 'rejected',
    noteHash: hashOf('证据不足'),
  });
  await ledger.call('qingdao', c.listEntries, 'AnswerObjection', {
    objectionCity: 'yantai',
    objectionId: 'YT-O-1',
    outcome: 'upheld',
    noteHash: hashOf('异议成立'),
  });
  await ledger.call('qingdao', c.listEntries, 'RemoveEntry', {
    id: 'QD-L-2',
    reason: 'creditRepair',
    noteHash: hashOf('信用修复完成'),
    evidenceHash: hashOf('repair'),
  });
  await ledger.call('qingdao', c.listEntries, 'RemoveEntry', { id: 'QD-L-2', reason: 'expired', noteHash: hashOf('again') });
  await ledger.call('rizhao', c.listEntries, 'GetEntry', { city: 'qingdao', id: 'QD-L-1' });
  await ledger.call('rizhao', c.listEntries, 'QueryEntriesBySubject', { subjectPseudonym: pseudonymOf('alpha') });

  await ledger.call('weihai', c.agencies, 'FileAgency', agencyInput(1));
  await ledger.call('weihai', c.agencies, 'FileAgency', agencyInput(1));
  await ledger.call('qingdao', c.agencies, 'FileAgency', agencyInput(1));
  await ledger.call('qingdao', c.agencies, 'FileAgency', agencyInput(2));
  await ledger.call('rizhao', c.agencies, 'RecordSupervision', {
    uscc: usccOf(1),
    actionId: 'RZ-S-1',
    action: 'inspection',
    summaryHash: hashOf('联合检查'),
    date: '2026-11-20',
  });
  await ledger.call('rizhao', c.agencies, 'RecordSupervision', {
    uscc: usccOf(1),
    actionId: 'RZ-S-1',
    action: 'inspection',
    summaryHash: hashOf('联合检查'),
    date: '2026-11-20',
  });
  await ledger.call('rizhao', c.agencies, 'SetAgencyStatus', {
    uscc: usccOf(1),
    status: 'suspended',
    reasonHash: hashOf('not the filing city'),
  });
  await ledger.call('weihai', c.agencies, 'SetAgencyStatus', { uscc: usccOf(1), status: 'suspended', reasonHash: hashOf('整改') });
  await ledger.call('weihai', c.agencies, 'SetAllianceMembership', { uscc: usccOf(1), member: true });
  await ledger.call('yantai', c.agencies, 'GetAgency', { uscc: usccOf(1) });
  await ledger.call('yantai', c.agencies, 'ListAgencies', { status: 'suspended' });

  await ledger.call('qingdao', c.recognition, 'ProposeAgreement', agreementInput('QY-1', 'yantai'));
  await ledger.call('qingdao', c.recognition, 'ProposeAgreement', agreementInput('QY-1', 'yantai'));
  await ledger.call('weihai', c.recognition, 'AcceptAgreement', { agreementId: 'QY-1' });
  await ledger.call('yantai', c.recognition, 'AcceptAgreement', { agreementId: 'QY-1' });
  await ledger.call('qingdao', c.recognition, 'ProposeAgreement', agreementInput('QW-1', 'weihai'));
  await ledger.call('weihai', c.recognition, 'EndAgreement', { agreementId: 'QW-1', reasonHash: hashOf('不再续签') });
  await ledger.call('yantai', c.recognition, 'RecordRecognition', {
    issuerCity: 'qingdao',
    documentId: 'QD-2',
    decision: 'accepted',
    reasonHash: hashOf('核验一致'),
    agreementId: 'QY-1',
  });
  await ledger.call('yantai', c.recognition, 'RecordRecognition', {
    issuerCity: 'qingdao',
    documentId: 'QD-2',
    decision: 'accepted',
    reasonHash: hashOf('核验一致'),
    agreementId: 'QY-1',
  });
  await ledger.call('yantai', c.recognition, 'RecordRecognition', {
    issuerCity: 'qingdao',
    documentId: 'QD-2',
    decision: 'rejected',
    reasonHash: hashOf('已被替代'),
  });
  await ledger.call('weifang', c.recognition, 'GetAgreement', { agreementId: 'QY-1' });
  await ledger.call('weifang', c.recognition, 'ListAgreements', { city: 'qingdao' });
  await ledger.call('weifang', c.recognition, 'GetRecognitions', { issuerCity: 'qingdao', documentId: 'QD-2' });
  await ledger.call('weifang', c.recognition, 'IsRecognised', {
    issuerCity: 'qingdao',
    documentId: 'QD-1',
    docType: 'creditReport',
    recognisingCity: 'yantai',
    at: '2026-12-01T00:00:00Z',
  });
  const log = await testLog(ledger, c, 'weihai');
  grow(log, 3);
  await ledger.call('weihai', c.accessLog, 'AnchorTreeHead', headInput(log, 0));
  grow(log, 2);
  await ledger.call('weihai', c.accessLog, 'AnchorTreeHead', headInput(log, 3));
  await ledger.call('rizhao', c.accessLog, 'GetTreeHead', { city: 'weihai' });
  const last = ledger.history.findLast((i) => i.events.length > 0);
  if (last) await ledger.call('rizhao', c.cities, 'GetEventSeals', { events: [{ city: 'weihai', txId: last.txId }] });
}
