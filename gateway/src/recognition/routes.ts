import { z } from 'zod';
import {
  type AgreementView,
  agreementViewSchema,
  bookmarkField,
  cityIdField,
  offLedgerTextField,
  type Page,
  pageSchema,
  proposeAgreementInput,
  type RecognitionRecord,
  recordIdField,
  recordRecognitionInput,
  sha256HexField,
} from '@jcc/domain';
import { HttpProblem } from '../http/problem.js';
import { route, type AnyRoute } from '../http/route.js';
import { idForRequest } from '../lib/route-ids.js';
import { locateDocument } from '../access-log/subject-of.js';
import type { Services } from '../services.js';
import { recognitionListRoutes } from './list-routes.js';
import { RecognitionTexts, servedAgreementSchema, servedRecognitionSchema, withEndReason, withReasons } from './texts.js';
import { revealedTextSchema } from '../list-entries/free-text.js';

const agreement = proposeAgreementInput.shape;
const recognition = recordRecognitionInput.shape;

/** Body of `POST /api/v1/recognitions`. */
export const recordRecognitionBody = z.strictObject({
  issuerCity: recognition.issuerCity,
  documentId: recognition.documentId,
  decision: recognition.decision,
  reason: offLedgerTextField.describe('why (free text; kept in this gateway, the ledger gets its salted SHA-256)'),
  agreementId: recognition.agreementId,
  batchId: recognition.batchId.describe("the document's batch; default: found at the issuing gateway"),
});

/** Body of `POST /api/v1/agreements/{id}/end`. */
export const endAgreementBody = z.strictObject({
  reason: offLedgerTextField.describe('why (free text; kept in this gateway, the ledger gets its salted SHA-256)'),
});

/** Routes of mutual recognition (互认): agreements between cities, and decisions on documents. */
export function recognitionRoutes(s: Services): AnyRoute[] {
  const texts = new RecognitionTexts(s);
  const idParams = z.strictObject({ id: recordIdField });
  const write = async <T>(
    transaction: Parameters<Services['ledger']['submit']>[0],
    input: object,
    action: string,
    by: string | undefined,
  ): Promise<T> => {
    const committed = await s.ledger.submit<T>(transaction, input);
    // Verification at this gateway reads the index: let it catch up with our own write first.
    await s.index.waitForTransaction(committed.transactionId, 5000);
    s.log.info({ action, txId: committed.transactionId, by }, 'recognition changed');
    return committed.result;
  };
  return [
    ...recognitionListRoutes(s, texts),
    route({
      method: 'post',
      path: '/api/v1/recognitions',
      operationId: 'recordRecognition',
      summary: "Record this city's decision (accepted/rejected) on another city's document",
      tags: ['recognition'],
      access: ['operator'],
      body: recordRecognitionBody,
      idempotency: 'cache',
      responses: {
        201: { description: 'the recognition record', schema: servedRecognitionSchema },
        422: { description: 'UNKNOWN_REFERENCE: the document is not on the ledger (nor in the batch named); nothing is recorded' },
      },
      async handler({ body, principal }) {
        if (body.issuerCity === s.city)
          throw new HttpProblem(400, 'invalid-request', 'Invalid request', 'a city does not recognise its own documents', {
            code: 'INVALID_ARGUMENT',
          });
        // A batch-anchored document is known to the ledger only through its batch: name it (from the issuing gateway's proof).
        const { subjectPseudonym, batchId } = await locateDocument(s, body.issuerCity, body.documentId);
        const { reason, ...rest } = body;
        const input = { ...rest, ...(body.batchId === undefined && batchId ? { batchId } : {}) };
        const record = await texts.keep({ reason: [`${s.city}|${body.issuerCity}|${body.documentId}|recognitionReason`, reason] }, (h) =>
          write<RecognitionRecord>('recognition:RecordRecognition', { ...input, reasonHash: h.reason }, 'recognition', principal?.subject),
        );
        if (subjectPseudonym)
          await s.accessLog.record({
            action: 'recognition',
            subjectPseudonym,
            principal,
            document: { city: body.issuerCity, id: body.documentId },
          });
        else
          s.log.warn(
            { issuerCity: body.issuerCity, documentId: body.documentId },
            'access log: the subject of a recognised document is unknown',
          );
        return { status: 201, body: await withReasons(texts, record) };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/recognitions/{issuerCity}/{documentId}',
      operationId: 'getRecognitions',
      summary: "Every city's recognition decisions on a document",
      description:
        "Each record has `text`: its reasons (the current one, then its history's), each `{text, salt}` read from the recognising city's gateway and checked here against the ledger's hash (SHA-256 of salt, ':' and the text), or `{heldBy, detail}` when that gateway could not give it.",
      tags: ['recognition'],
      access: ['operator', 'regulator'],
      params: z.strictObject({ issuerCity: cityIdField, documentId: recordIdField }),
      responses: {
        200: { description: 'the recognition records of the document', schema: z.object({ records: z.array(servedRecognitionSchema) }) },
      },
      async handler({ params }) {
        const { records } = await s.ledger.evaluate<{ records: RecognitionRecord[] }>('recognition:GetRecognitions', params);
        return { status: 200, body: { records: await Promise.all(records.map((r) => withReasons(texts, r))) } };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/recognition-texts/{hash}',
      operationId: 'getRecognitionText',
      summary: 'A reason this city wrote for a recognition decision or for ending an agreement, by its ledger hash',
      description:
        "Served to this city's operators, regulators and other cities' gateways (which check it against the ledger's hash before passing it on to their readers). Holds only the recognition contract's texts.",
      tags: ['recognition', 'gateway-to-gateway'],
      access: ['operator', 'regulator', 'gateway'],
      params: z.strictObject({ hash: sha256HexField }),
      responses: {
        200: { description: 'the text and its salt', schema: revealedTextSchema },
        404: { description: 'this gateway holds no text under that hash' },
      },
      async handler({ params }) {
        const text = await texts.local(params.hash);
        if (!text) throw new HttpProblem(404, 'not-found', 'Not found', `no recognition text ${params.hash} here`, { code: 'NOT_FOUND' });
        return { status: 200, body: text };
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/agreements',
      operationId: 'proposeAgreement',
      summary: 'Propose a recognition agreement to another city',
      tags: ['recognition'],
      access: ['operator'],
      body: z.strictObject({
        agreementId: agreement.agreementId.optional().describe('default: derived from the Idempotency-Key, else new'),
        counterparty: agreement.counterparty,
        docTypes: agreement.docTypes,
        validFrom: agreement.validFrom,
        validTo: agreement.validTo,
      }),
      idempotency: 'cache',
      responses: { 201: { description: 'the agreement', schema: agreementViewSchema } },
      async handler({ body, principal, idempotencyKey }) {
        const agreementId = body.agreementId ?? idForRequest(s.city, 'agr', principal, idempotencyKey);
        return {
          status: 201,
          body: await write<AgreementView>(
            'recognition:ProposeAgreement',
            { ...body, agreementId },
            'agreement-propose',
            principal?.subject,
          ),
        };
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/agreements/{id}/accept',
      operationId: 'acceptAgreement',
      summary: 'Accept an agreement this city is the counterparty of (takes effect now)',
      tags: ['recognition'],
      access: ['operator'],
      params: idParams,
      idempotency: 'cache',
      responses: { 200: { description: 'the agreement', schema: agreementViewSchema } },
      async handler({ params, principal }) {
        return {
          status: 200,
          body: await write<AgreementView>(
            'recognition:AcceptAgreement',
            { agreementId: params.id },
            'agreement-accept',
            principal?.subject,
          ),
        };
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/agreements/{id}/end',
      operationId: 'endAgreement',
      summary: 'End an agreement this city is party to',
      tags: ['recognition'],
      access: ['operator'],
      params: idParams,
      body: endAgreementBody,
      idempotency: 'cache',
      responses: { 200: { description: 'the agreement', schema: servedAgreementSchema } },
      async handler({ params, body, principal }) {
        const view = await texts.keep({ reason: [`${s.city}|${params.id}|endReason`, body.reason] }, (h) =>
          write<AgreementView>(
            'recognition:EndAgreement',
            { agreementId: params.id, reasonHash: h.reason },
            'agreement-end',
            principal?.subject,
          ),
        );
        return { status: 200, body: await withEndReason(texts, view) };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/agreements',
      operationId: 'listAgreements',
      summary: 'Agreements a city is party to (default: this city)',
      tags: ['recognition'],
      access: ['operator', 'regulator'],
      query: z.strictObject({
        city: cityIdField.optional(),
        pageSize: z.coerce.number().int().optional().describe('1-200, default 50'),
        bookmark: bookmarkField.optional(),
      }),
      responses: { 200: { description: 'one page of agreements', schema: pageSchema(agreementViewSchema) } },
      async handler({ query }) {
        return {
          status: 200,
          body: await s.ledger.evaluate<Page<AgreementView>>('recognition:ListAgreements', { ...query, city: query.city ?? s.city }),
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/agreements/{id}',
      operationId: 'getAgreement',
      summary: 'One agreement',
      description:
        "An ended agreement has `text.endReason`: `{text, salt}` read from the gateway of the city that ended it and checked here against the ledger's `endReasonHash`, or `{heldBy, detail}` when that gateway could not give it.",
      tags: ['recognition'],
      access: ['operator', 'regulator'],
      params: idParams,
      responses: { 200: { description: 'the agreement', schema: servedAgreementSchema }, 404: { description: 'unknown' } },
      async handler({ params }) {
        const view = await s.ledger.evaluate<AgreementView>('recognition:GetAgreement', { agreementId: params.id });
        return { status: 200, body: await withEndReason(texts, view) };
      },
    }),
  ];
}
