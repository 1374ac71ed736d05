import { z } from 'zod';
import {
  type AgreementView,
  agreementViewSchema,
  bookmarkField,
  cityIdField,
  endAgreementInput,
  type Page,
  pageSchema,
  proposeAgreementInput,
  type RecognitionRecord,
  recognitionRecordSchema,
  recordIdField,
  recordRecognitionInput,
} from '@jcc/domain';
import { HttpProblem } from '../http/problem.js';
import { route, type AnyRoute } from '../http/route.js';
import { idForRequest } from '../lib/route-ids.js';
import { documentPseudonym } from '../access-log/subject-of.js';
import type { Services } from '../services.js';
import { recognitionListRoutes } from './list-routes.js';

const agreement = proposeAgreementInput.shape;

/** Routes of mutual recognition (互认): agreements between cities, and decisions on documents. */
export function recognitionRoutes(s: Services): AnyRoute[] {
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
    ...recognitionListRoutes(s),
    route({
      method: 'post',
      path: '/api/v1/recognitions',
      operationId: 'recordRecognition',
      summary: "Record this city's decision (accepted/rejected) on another city's document",
      tags: ['recognition'],
      access: ['operator'],
      body: recordRecognitionInput,
      idempotency: 'cache',
      responses: { 201: { description: 'the recognition record', schema: recognitionRecordSchema } },
      async handler({ body, principal }) {
        if (body.issuerCity === s.city)
          throw new HttpProblem(400, 'invalid-request', 'Invalid request', 'a city does not recognise its own documents', {
            code: 'INVALID_ARGUMENT',
          });
        const record = await write<RecognitionRecord>('recognition:RecordRecognition', body, 'recognition', principal?.subject);
        const subjectPseudonym = await documentPseudonym(s, body.issuerCity, body.documentId);
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
        return { status: 201, body: record };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/recognitions/{issuerCity}/{documentId}',
      operationId: 'getRecognitions',
      summary: "Every city's recognition decisions on a document",
      tags: ['recognition'],
      access: ['operator', 'regulator'],
      params: z.strictObject({ issuerCity: cityIdField, documentId: recordIdField }),
      responses: {
        200: { description: 'the recognition records of the document', schema: z.object({ records: z.array(recognitionRecordSchema) }) },
      },
      async handler({ params }) {
        return { status: 200, body: await s.ledger.evaluate<{ records: RecognitionRecord[] }>('recognition:GetRecognitions', params) };
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
      body: z.strictObject({ reason: endAgreementInput.shape.reason }),
      idempotency: 'cache',
      responses: { 200: { description: 'the agreement', schema: agreementViewSchema } },
      async handler({ params, body, principal }) {
        return {
          status: 200,
          body: await write<AgreementView>(
            'recognition:EndAgreement',
            { agreementId: params.id, reason: body.reason },
            'agreement-end',
            principal?.subject,
          ),
        };
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
      tags: ['recognition'],
      access: ['operator', 'regulator'],
      params: idParams,
      responses: { 200: { description: 'the agreement', schema: agreementViewSchema }, 404: { description: 'unknown' } },
      async handler({ params }) {
        return { status: 200, body: await s.ledger.evaluate<AgreementView>('recognition:GetAgreement', { agreementId: params.id }) };
      },
    }),
  ];
}
