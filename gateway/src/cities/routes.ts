import { z } from 'zod';
import {
  KEY_REVOCATION_REASONS,
  KEY_USES,
  cityIdField,
  proposeIdentityInput,
  recordIdField,
  type CityView,
  type IdentityView,
} from '@jcc/domain';
import { identityTransaction, ledgerIdentity } from '../auth/identities.js';
import { HttpProblem } from '../http/problem.js';
import { route, type AnyRoute } from '../http/route.js';
import { rotateKey } from '../keys/registration.js';
import type { Services } from '../services.js';

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
      responses: { 200: { description: '{records}' } },
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
      responses: { 200: { description: 'the city' } },
      async handler({ params }) {
        return { status: 200, body: await s.ledger.evaluate<CityView>('cities:GetCity', params) };
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/keys/rotate',
      operationId: 'rotateKey',
      summary: "Rotate this city's document or gateway key",
      description:
        'Generates a new Ed25519 key, registers it on the ledger (cities:RegisterKey) and makes it current. Earlier keys stay registered, so documents and tokens they signed still verify.',
      tags: ['cities'],
      access: ['operator'],
      body: z.strictObject({ use: z.enum(KEY_USES) }),
      responses: { 201: { description: 'the new key record' } },
      async handler({ body, principal }) {
        const record = await rotateKey(s.ledger, s.keys, body.use);
        s.log.info({ action: 'key-rotation', use: body.use, kid: record.kid, by: principal?.subject }, 'key rotated');
        return { status: 201, body: record };
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
      responses: { 200: { description: 'the identity' }, 404: { description: 'no such identity' } },
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
      responses: { 201: { description: 'the identity' } },
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
      responses: { 200: { description: 'the identity' } },
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
      responses: { 200: { description: 'the identity, revoked' } },
      async handler({ params, body, principal }) {
        const input = { id: params.id, ...(body.reason ? { reason: body.reason } : {}) };
        const committed = await s.ledger.submit<IdentityView>(identityTransaction('RevokeIdentity'), input);
        s.log.info({ action: 'identity-revocation', id: params.id, by: principal?.subject }, 'identity revoked');
        return { status: 200, body: committed.result };
      },
    }),
  ];
}
