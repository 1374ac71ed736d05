import { z } from 'zod';
import { KEY_USES, cityIdField, type CityView } from '@jcc/domain';
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
  ];
}
