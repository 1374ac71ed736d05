import { z } from 'zod';
import {
  cityIdField,
  type CityView,
  cityViewSchema,
  type IdentityView,
  identityViewSchema,
  KEY_REVOCATION_REASONS,
  KEY_USES,
  keyRecordSchema,
  proposeIdentityInput,
  recordIdField,
  timestampField,
} from '@jcc/domain';
import { identityTransaction, ledgerIdentity } from '../auth/identities.js';
import { HttpProblem } from '../http/problem.js';
import { route, type AnyRoute } from '../http/route.js';
import { KeyLifecycleError, revokeKey, rotateKey } from '../keys/registration.js';
import type { Services } from '../services.js';

/** What `cities:RotateKey` answers: the new key record and the previous one, closed. */
const rotatedKeySchema = keyRecordSchema.extend({ previous: keyRecordSchema });

/** Routes of the cities and their registered keys. */
export function cityRoutes(s: Services): AnyRoute[] {
  return [
    route({
      method: 'get',
      path: '/api/v1/cities',
      operationId: 'listCities',
      summary: 'The five cities with their registered keys (JWK) and gateway URLs, as the ledger holds them',
      tags: ['cities', 'public'],
      access: 'public',
      rateLimited: true,
      responses: { 200: { description: 'the five cities', schema: z.object({ records: z.array(cityViewSchema) }) } },
      async handler() {
        return { status: 200, body: await s.ledger.evaluate<{ records: CityView[] }>('cities:ListCities', {}) };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/cities/{city}',
      operationId: 'getCity',
      summary: 'One city with its registered keys and gateway URL',
      tags: ['cities', 'public'],
      access: 'public',
      rateLimited: true,
      params: z.strictObject({ city: cityIdField }),
      responses: { 200: { description: 'the city', schema: cityViewSchema } },
      async handler({ params }) {
        return { status: 200, body: await s.ledger.evaluate<CityView>('cities:GetCity', params) };
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/keys/rotate',
      operationId: 'rotateKey',
      summary: "Rotate this city's document or gateway key (Ed25519, or the SM2 document key)",
      description:
        "Generates a new key (Ed25519, or with algorithm SM2SM3 a new SM2 document key), registers it with cities:RotateKey and makes it current. The previous key is closed for signing: its validTo becomes the new key's validFrom and supersededBy names the new key; documents and tokens it signed before stay verifiable. Answers the new key record with the closed one as `previous`.",
      tags: ['cities'],
      access: ['operator'],
      body: z.strictObject({ use: z.enum(KEY_USES), algorithm: z.enum(['EdDSA', 'SM2SM3']).default('EdDSA') }),
      responses: {
        201: {
          description: 'the new key record, with the previous one (closed) as `previous`',
          schema: rotatedKeySchema,
        },
      },
      async handler({ body, principal }) {
        const record = await rotateKey(s.ledger, s.keys, body.use, body.algorithm).catch(lifecycleProblem);
        s.log.info(
          {
            action: 'key-rotation',
            use: body.use,
            algorithm: body.algorithm,
            kid: record.kid,
            previous: record.previous.kid,
            by: principal?.subject,
          },
          'key rotated',
        );
        return { status: 201, body: record };
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/keys/{kid}/revocation',
      operationId: 'revokeKey',
      summary: "Revoke one of this city's keys, with a reason code",
      description:
        'cities:RevokeKey from revokedAt (default: now), with a reason code (keyCompromise, superseded, cessationOfOperation, unspecified). Documents issued at or after revokedAt fail issuerKey everywhere. A key this gateway signs with now is rotated first (answered as `rotated`), so the gateway never signs with a revoked key.',
      tags: ['cities'],
      access: ['operator'],
      params: z.strictObject({ kid: recordIdField }),
      body: z.strictObject({ reason: z.enum(KEY_REVOCATION_REASONS).default('unspecified'), revokedAt: timestampField.optional() }),
      responses: {
        200: {
          description: 'the revoked key, and the key rotated to when the gateway was signing with it',
          schema: z.object({ revoked: keyRecordSchema, rotated: rotatedKeySchema.optional() }),
        },
        404: { description: 'no such key of this city' },
      },
      async handler({ params, body, principal }) {
        const input = { kid: params.kid, reason: body.reason, ...(body.revokedAt ? { revokedAt: body.revokedAt } : {}) };
        const outcome = await revokeKey(s.ledger, s.keys, input).catch(lifecycleProblem);
        s.log.info(
          { action: 'key-revocation', kid: params.kid, reason: body.reason, rotatedTo: outcome.rotated?.kid, by: principal?.subject },
          'key revoked',
        );
        return { status: 200, body: outcome };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/identities/{id}',
      operationId: 'getIdentity',
      summary: 'A regulator or alliance identity: its public key, validity, approving cities and whether it is active',
      tags: ['identities', 'public'],
      access: 'public',
      rateLimited: true,
      params: z.strictObject({ id: recordIdField }),
      responses: { 200: { description: 'the identity', schema: identityViewSchema }, 404: { description: 'no such identity' } },
      async handler({ params }) {
        const identity = await ledgerIdentity(s.ledger, params.id);
        if (!identity) throw new HttpProblem(404, 'not-found', 'Not found', `no identity "${params.id}" is registered`);
        return { status: 200, body: identity };
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/identities',
      operationId: 'proposeIdentity',
      summary: 'Propose a regulator or alliance identity (its public JWK and validity); this city vouches for it',
      description: 'The identity is active once 3 of the 5 cities vouched for it (identities:ProposeIdentity, then ApproveIdentity).',
      tags: ['identities'],
      access: ['operator'],
      body: proposeIdentityInput,
      responses: { 201: { description: 'the identity', schema: identityViewSchema } },
      async handler({ body, principal }) {
        const committed = await s.ledger.submit<IdentityView>(identityTransaction('ProposeIdentity'), body);
        s.log.info({ action: 'identity-proposal', id: body.id, role: body.role, by: principal?.subject }, 'identity proposed');
        return { status: 201, body: committed.result };
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/identities/{id}/approval',
      operationId: 'approveIdentity',
      summary: 'This city vouches for a proposed identity, with the key as proposed',
      tags: ['identities'],
      access: ['operator'],
      params: z.strictObject({ id: recordIdField }),
      responses: { 200: { description: 'the identity', schema: identityViewSchema } },
      async handler({ params, principal }) {
        const committed = await s.ledger.submit<IdentityView>(identityTransaction('ApproveIdentity'), params);
        s.log.info({ action: 'identity-approval', id: params.id, by: principal?.subject }, 'identity approved');
        return { status: 200, body: committed.result };
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/identities/{id}/revocation',
      operationId: 'revokeIdentity',
      summary: 'Revoke an identity this city vouched for; its tokens are refused everywhere',
      tags: ['identities'],
      access: ['operator'],
      params: z.strictObject({ id: recordIdField }),
      body: z.strictObject({ reason: z.enum(KEY_REVOCATION_REASONS).optional() }),
      responses: { 200: { description: 'the identity, revoked', schema: identityViewSchema } },
      async handler({ params, body, principal }) {
        const input = { id: params.id, ...(body.reason ? { reason: body.reason } : {}) };
        const committed = await s.ledger.submit<IdentityView>(identityTransaction('RevokeIdentity'), input);
        s.log.info({ action: 'identity-revocation', id: params.id, by: principal?.subject }, 'identity revoked');
        return { status: 200, body: committed.result };
      },
    }),
  ];
}

/** A rotation or revocation this store cannot do is the client's mistake (400), anything else goes on. */
function lifecycleProblem(err: unknown): never {
  if (err instanceof KeyLifecycleError) throw new HttpProblem(400, 'bad-request', 'Bad request', err.message);
  throw err;
}
