import type { Answer, RequestBody } from '@jcc/client';
import { PollTimeoutError, until } from '@jcc/network/polling';
import { CliError, ExitCode } from './exit.js';
import type { GatewayClient } from './http.js';

/** Names of the verification checks, in the order the gateways report them. */
export const CHECK_NAMES = ['signature', 'issuerKey', 'anchored', 'status', 'notExpired', 'recognised'] as const;

/** The verdict of `POST /api/v1/verify` (and of `jcc verify --offline`, which has the same shape). */
export type VerificationResult = Answer<'verifyDocument'>;

/** One check of a verdict. */
export type VerificationCheck = VerificationResult['checks'][number];

/** Where and how a document's hash is anchored. */
export type AnchorInfo = VerificationResult['anchor'];

/** A subject as the issuing city knows it. */
export type SubjectInput = IssueReportRequest['subject'];

/** Body of `POST /api/v1/reports`. */
export type IssueReportRequest = RequestBody<'issueReport'>;

/** Answer of `POST /api/v1/reports` (202). */
export type IssueReportResponse = Answer<'issueReport', 202>;

/** A proof bundle: the signed document and, for batch-anchored documents, its inclusion proof. */
export type DocumentBundle = RequestBody<'verifyDocument'>;

/** `GET /api/v1/reports/{id}`. */
export type ReportRecord = Answer<'getReport'>;

/** `GET /api/v1/public/agencies/{uscc}`. */
export type AgencyRecord = Answer<'publicAgency'>;

/** Verifies a document through a gateway (public endpoint). */
export async function verifyOnline(client: GatewayClient, bundle: DocumentBundle): Promise<VerificationResult> {
  const body: DocumentBundle = bundle.proof ? { jws: bundle.jws, proof: bundle.proof } : { jws: bundle.jws };
  return client.call((api) => api.POST('/api/v1/verify', { body }));
}

/** Issues a public credit report (operator token). `idempotencyKey` makes a retry safe. */
export async function issueReport(
  client: GatewayClient,
  request: IssueReportRequest,
  idempotencyKey?: string,
): Promise<IssueReportResponse> {
  return client.call(
    (api) =>
      api.POST('/api/v1/reports', {
        body: request,
        ...(idempotencyKey ? { params: { header: { 'Idempotency-Key': idempotencyKey } } } : {}),
      }),
    'required',
  );
}

/** Reads a report's state, anchor and proof. */
export async function getReport(client: GatewayClient, id: string): Promise<ReportRecord> {
  return client.call((api) => api.GET('/api/v1/reports/{id}', { params: { path: { id } } }), 'required');
}

/** Revokes a report of the token's city. */
export async function revokeReport(client: GatewayClient, id: string, reason: string): Promise<Answer<'revokeReport'>> {
  return client.call((api) => api.POST('/api/v1/reports/{id}/revoke', { params: { path: { id } }, body: { reason } }), 'required');
}

/** Public registry look-up of a credit-service agency; 404 becomes a not-found error. */
export async function getPublicAgency(client: GatewayClient, uscc: string): Promise<AgencyRecord> {
  return client.call((api) => api.GET('/api/v1/public/agencies/{uscc}', { params: { path: { uscc } } }));
}

/** The bundle `{jws, proof?}` to save for offline verification, from a report record. */
export function bundleFromReport(report: ReportRecord): DocumentBundle {
  if (report.jws === undefined)
    throw new CliError(
      ExitCode.NOT_FOUND,
      `the gateway removed the body of ${report.id} (retention, since ${report.bodyRemovedAt ?? '?'})`,
    );
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
