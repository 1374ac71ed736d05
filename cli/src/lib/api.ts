import type { InclusionProof } from '@jcc/domain';
import { PollTimeoutError, until } from '@jcc/network/polling';
import type { GatewayClient } from './http.js';

/** Names of the verification checks, in the order the gateways report them. */
export const CHECK_NAMES = ['signature', 'issuerKey', 'anchored', 'status', 'notExpired', 'recognised'] as const;

/** One check of a verdict. */
export interface VerificationCheck {
  check: string;
  ok: boolean;
  state?: string;
  detail?: string;
  /** The detail as a message code with parameters (rendered in Chinese or English by `renderCheckMessage`). */
  message?: { code: string; params: Record<string, string | number> };
}

/** Where and how a document's hash is anchored. */
export interface AnchorInfo {
  mode: 'single' | 'batch' | null;
  txId?: string | null;
  blockNumber?: number | null;
  root?: string;
  batchId?: string;
  leafIndex?: number;
  treeSize?: number;
}

/** The verdict of `POST /api/v1/verify` (and of `jcc verify --offline`, which has the same shape). */
export interface VerificationResult {
  valid: boolean;
  checks: VerificationCheck[];
  issuer?: { city: string; mspId?: string; name?: string; nameZh?: string } | null;
  document?: { id?: string; type?: string; issuedAt?: string; validUntil?: string } | null;
  anchor?: AnchorInfo | null;
  recognition?: unknown;
}

/** A subject as the issuing city knows it. */
export type SubjectInput = { kind: 'enterprise'; uscc: string } | { kind: 'person'; idNumber: string };

/** Body of `POST /api/v1/reports`. */
export interface IssueReportRequest {
  subject: SubjectInput;
  reportType: string;
  content: Record<string, unknown>;
  validUntil: string;
  anchor: 'single' | 'batch';
}

/** Answer of `POST /api/v1/reports` (202). */
export interface IssueReportResponse {
  id: string;
  jws: string;
  statusUrl?: string;
}

/** A proof bundle: the signed document and, for batch-anchored documents, its inclusion proof. */
export interface DocumentBundle {
  jws: string;
  proof?: InclusionProof & { batchId?: string };
}

/** `GET /api/v1/reports/{id}`. */
export interface ReportRecord {
  id: string;
  type?: string;
  state: 'pending' | 'anchored' | 'revoked' | 'superseded' | 'expired' | string;
  issuedAt?: string;
  validUntil?: string;
  jws: string;
  anchor?: AnchorInfo | null;
  proof?: (InclusionProof & { batchId?: string }) | null;
  [extra: string]: unknown;
}

/** `GET /api/v1/public/agencies/{uscc}`. */
export interface AgencyRecord {
  uscc: string;
  name: string;
  filingCity: string;
  status: string;
  allianceMember: boolean;
  services: string[];
  supervision: { city?: string; actionId?: string; action: string; summary?: string; date?: string }[];
  [extra: string]: unknown;
}

/** Verifies a document through a gateway (public endpoint). */
export async function verifyOnline(client: GatewayClient, bundle: DocumentBundle): Promise<VerificationResult> {
  const body: DocumentBundle = bundle.proof ? { jws: bundle.jws, proof: bundle.proof } : { jws: bundle.jws };
  return (await client.request<VerificationResult>('POST', '/api/v1/verify', { body })).body;
}

/** Issues a public credit report (operator token). `idempotencyKey` makes a retry safe. */
export async function issueReport(
  client: GatewayClient,
  request: IssueReportRequest,
  idempotencyKey?: string,
): Promise<IssueReportResponse> {
  const headers: Record<string, string> = idempotencyKey ? { 'idempotency-key': idempotencyKey } : {};
  return (await client.request<IssueReportResponse>('POST', '/api/v1/reports', { body: request, headers, auth: 'required' })).body;
}

/** Reads a report's state, anchor and proof. */
export async function getReport(client: GatewayClient, id: string): Promise<ReportRecord> {
  return (await client.request<ReportRecord>('GET', `/api/v1/reports/${encodeURIComponent(id)}`, { auth: 'required' })).body;
}

/** Revokes a report of the token's city. */
export async function revokeReport(client: GatewayClient, id: string, reason: string): Promise<unknown> {
  return (await client.request<unknown>('POST', `/api/v1/reports/${encodeURIComponent(id)}/revoke`, { body: { reason }, auth: 'required' }))
    .body;
}

/** Public registry look-up of a credit-service agency; 404 becomes a not-found error. */
export async function getPublicAgency(client: GatewayClient, uscc: string): Promise<AgencyRecord> {
  return (await client.request<AgencyRecord>('GET', `/api/v1/public/agencies/${encodeURIComponent(uscc)}`)).body;
}

/** The bundle `{jws, proof?}` to save for offline verification, from a report record. */
export function bundleFromReport(report: ReportRecord): DocumentBundle {
  return report.proof ? { jws: report.jws, proof: report.proof } : { jws: report.jws };
}

/**
 * Polls `GET /api/v1/reports/{id}` until the report leaves the `pending`
 * state or `timeoutMs` passes; returns the last record read.
 */
export async function waitForAnchor(client: GatewayClient, id: string, timeoutMs: number, intervalMs = 500): Promise<ReportRecord> {
  try {
    return await until(
      () => getReport(client, id),
      (report) => report.state !== 'pending',
      { timeoutMs, intervalMs, what: `report ${id} anchored`, stopOn: () => true },
    );
  } catch (err) {
    if (err instanceof PollTimeoutError) return err.last as ReportRecord;
    throw err;
  }
}
