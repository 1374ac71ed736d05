import { CITY_IDS, SM2_CURVE, sha256, sha256Hex, sm2PrivateJwkFromScalar, usccCheckCharacter, type CityId } from '@jcc/domain';
import { AccessLogContract } from '../../contracts/accessLog.js';
import { AgenciesContract } from '../../contracts/agencies.js';
import { CitiesContract } from '../../contracts/cities.js';
import { EvaluationsContract } from '../../contracts/evaluations.js';
import { IdentitiesContract } from '../../contracts/identities.js';
import { ListEntriesContract } from '../../contracts/listEntries.js';
import { RecognitionContract } from '../../contracts/recognition.js';
import { ReportsContract } from '../../contracts/reports.js';
import type { FakeLedger } from './fakeLedger.js';

/**
 * Sample inputs for the unit tests. Everything is derived from a seed
 * string, so tests stay deterministic and readable.
 */

/** One instance of each contract. */
export function contracts() {
  return {
    cities: new CitiesContract(),
    reports: new ReportsContract(),
    evaluations: new EvaluationsContract(),
    listEntries: new ListEntriesContract(),
    agencies: new AgenciesContract(),
    recognition: new RecognitionContract(),
    identities: new IdentitiesContract(),
    accessLog: new AccessLogContract(),
  };
}

/** The contracts, as returned by {@link contracts}. */
export type Contracts = ReturnType<typeof contracts>;

/** A SHA-256 hex digest derived from `seed`. */
export function hashOf(seed: string): string {
  return sha256Hex(seed);
}

/** A subject pseudonym derived from `seed`. */
export function pseudonymOf(seed: string): string {
  return `ps1-${sha256Hex(`subject ${seed}`)}`;
}

/** A valid USCC derived from `n` (0..9999). */
export function usccOf(n: number): string {
  const body = `91370200MA${String(n).padStart(4, '0')}X9K`;
  return body + usccCheckCharacter(body);
}

/** 43 base64url characters encoding 32 bytes derived from `seed`. */
function coordinate(seed: string): string {
  return Buffer.from(sha256(seed)).toString('base64url');
}

/** A public Ed25519 JWK with this kid. */
export function ed25519Jwk(kid: string, seed = kid) {
  return { kty: 'OKP', crv: 'Ed25519', x: coordinate(`x ${seed}`), kid };
}

/** A public P-256 JWK with this kid. */
export function p256Jwk(kid: string, seed = kid) {
  return { kty: 'EC', crv: 'P-256', x: coordinate(`x ${seed}`), y: coordinate(`y ${seed}`), kid, alg: 'ES256' };
}

/** A public SM2 JWK (a real point of the curve, derived from `seed`) with this kid. */
export function sm2Jwk(kid = 'sm2', seed = kid) {
  const d = (BigInt('0x' + Buffer.from(sha256(`d ${seed}`)).toString('hex')) % (SM2_CURVE.n - 2n)) + 1n;
  const { d: _private, ...publicJwk } = sm2PrivateJwkFromScalar(d);
  return { ...publicJwk, kid };
}

/** The kid of the document key {@link registerDocumentKey} registers for a city. */
export function documentKid(city: CityId): string {
  return `${city}-doc-1`;
}

/** `RegisterKey` input of a city's document key, valid from 2026-01-01. */
export function documentKeyInput(city: CityId) {
  return { use: 'document', jwk: ed25519Jwk(documentKid(city)), validFrom: '2026-01-01T00:00:00Z' };
}

/** Registers a document key for `city`. */
export async function registerDocumentKey(ledger: FakeLedger, c: Contracts, city: CityId): Promise<void> {
  await ledger.ok(city, c.cities, 'RegisterKey', documentKeyInput(city));
}

/** Registers a document key for every city. */
export async function registerAllDocumentKeys(ledger: FakeLedger, c: Contracts): Promise<void> {
  for (const city of CITY_IDS) await registerDocumentKey(ledger, c, city);
}

/** `AnchorDocument` input for a document of `city`. */
export function anchorInput(city: CityId, id: string, subject = 'alpha') {
  return {
    id,
    docType: 'creditReport',
    subjectPseudonym: pseudonymOf(subject),
    contentHash: hashOf(`document ${city} ${id}`),
    issuedAt: '2026-11-01T00:00:00Z',
    validUntil: '2027-11-01T00:00:00Z',
    kid: documentKid(city),
  };
}

/**
 * Anchors document `id` of `issuer` alone ({@link anchorInput}), registering
 * the issuer's document key first (a no-op when it is registered): what a
 * test needs before another city recognises the document, since the ledger
 * refuses recognising a document it does not hold.
 */
export async function anchorDocument(ledger: FakeLedger, c: Contracts, issuer: CityId, id: string, subject = 'alpha'): Promise<void> {
  await registerDocumentKey(ledger, c, issuer);
  await ledger.ok(issuer, c.reports, 'AnchorDocument', anchorInput(issuer, id, subject));
}

/** `AnchorBatch` input. */
export function batchInput(batchId: string) {
  return {
    batchId,
    root: hashOf(`root ${batchId}`),
    leafCount: 1000,
    leafScheme: 'rfc9162-sha256/v1',
    firstIssuedAt: '2026-11-01T00:00:00Z',
    lastIssuedAt: '2026-11-02T00:00:00.500Z',
  };
}

/** `RecordEvaluation` input. */
export function evaluationInput(id: string, subject = 'alpha', grade = 'A') {
  return {
    id,
    subjectPseudonym: pseudonymOf(subject),
    scheme: 'jiaodong-2026',
    grade,
    periodStart: '2026-01-01',
    periodEnd: '2026-06-30',
    validUntil: '2027-06-30T00:00:00Z',
    evidenceHash: hashOf(`evidence ${id}`),
  };
}

/** `CreateEntry` input. */
export function entryInput(id: string, subject = 'alpha', listType = 'black') {
  return {
    id,
    subjectPseudonym: pseudonymOf(subject),
    listType,
    legalBasisHash: hashOf(`legal basis ${id}`),
    measuresHash: hashOf(`measures ${id}`),
    startDate: '2026-11-01',
    endDate: '2029-11-01',
    documentHash: hashOf(`entry ${id}`),
  };
}

/** `FileAgency` input. */
export function agencyInput(n: number, name = `Agency ${n}`) {
  return { uscc: usccOf(n), name, services: ['credit reports', 'credit ratings'], allianceMember: false };
}

/** `ProposeAgreement` input. */
export function agreementInput(agreementId: string, counterparty: CityId, docTypes = ['creditReport', 'evaluation']) {
  return { agreementId, counterparty, docTypes, validFrom: '2026-01-01T00:00:00Z', validTo: '2031-01-01T00:00:00Z' };
}
