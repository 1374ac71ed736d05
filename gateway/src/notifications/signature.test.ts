import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { newSecret, signedHeaders } from './signature.js';

describe('webhook signatures (Standard Webhooks)', () => {
  it('verify with the reference implementation, and fail for another body, id or secret', () => {
    const secret = newSecret();
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    const body = JSON.stringify({ id: 'ntf_x', type: 'document.revoked', data: { documentId: '青岛-1' } });
    const headers = signedHeaders(secret, 'ntf_x', body, Date.now());
    assert.match(headers['webhook-signature'] ?? '', /^v1,[A-Za-z0-9+/]+=*$/);
    assert.deepEqual(new Webhook(secret).verify(body, headers), JSON.parse(body));
    assert.throws(() => new Webhook(secret).verify(body.replace('revoked', 'superseded'), headers));
    assert.throws(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'ntf_y' }));
    assert.throws(() => new Webhook(newSecret()).verify(body, headers));
  });

  it('carry the time of the attempt, which the reference refuses when it is stale', () => {
    const secret = newSecret();
    const body = '{}';
    const stale = signedHeaders(secret, 'ntf_x', body, Date.now() - 3600_000);
    assert.throws(() => new Webhook(secret).verify(body, stale), /timestamp/i);
  });
});
