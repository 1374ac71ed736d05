import assert from 'node:assert/strict';
import { generatedIsCurrent } from '../../scripts/openapi/generate.js';

describe('client types generated from the OpenAPI document', () => {
  it('are current: client/src/generated/gateway-api.ts equals what the route declarations give (else run npm run client:generate)', async function () {
    this.timeout(60_000);
    assert.equal(await generatedIsCurrent(), true, 'client/src/generated/gateway-api.ts is stale: run npm run client:generate');
  });
});
