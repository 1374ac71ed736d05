import assert from 'node:assert/strict';
import { CliError, ExitCode, exitCodeForHttpStatus } from './exit.js';
import { describeHttpError, GatewayClient, normaliseGatewayUrl } from './http.js';

/** A request as the fake fetch received it. */
interface SeenRequest {
  url: string;
  headers: Headers;
  body: string;
}

/** A fetch that answers every request with `status` and `body`, recording the requests. */
function fakeFetch(status: number, body: unknown, seen: SeenRequest[] = []): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push({ url: request.url, headers: request.headers, body: await request.text() });
    return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
}

async function rejectsWith(promise: Promise<unknown>, exitCode: number, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof CliError, String(err));
    assert.equal(err.exitCode, exitCode);
    assert.match(err.message, pattern);
    return true;
  });
}

describe('gateway client', () => {
  it('normalises the base URL and refuses unusable ones', () => {
    assert.equal(normaliseGatewayUrl('http://127.0.0.1:8101/'), 'http://127.0.0.1:8101');
    assert.throws(() => normaliseGatewayUrl('127.0.0.1:8101x'), /not a URL|http/);
    assert.throws(() => normaliseGatewayUrl('ftp://x'), /http/);
    assert.throws(() => normaliseGatewayUrl('http://x/?a=1'), /query/);
  });

  it('maps HTTP statuses to exit codes', () => {
    assert.equal(exitCodeForHttpStatus(404), ExitCode.NOT_FOUND);
    assert.equal(exitCodeForHttpStatus(401), ExitCode.REFUSED);
    assert.equal(exitCodeForHttpStatus(409), ExitCode.REFUSED);
    assert.equal(exitCodeForHttpStatus(503), ExitCode.UNAVAILABLE);
  });

  it('describes a problem document in one line', () => {
    assert.equal(
      describeHttpError(404, 'Not Found', { title: 'Not Found', status: 404, detail: 'no report qd-1' }),
      '404 Not Found: no report qd-1',
    );
    assert.equal(
      describeHttpError(400, 'Bad Request', {
        title: 'Invalid request',
        detail: 'see errors',
        errors: [{ path: '/subject/uscc', message: 'bad check character' }],
      }),
      '400 Bad Request Invalid request: see errors (/subject/uscc bad check character)',
    );
    assert.equal(describeHttpError(502, 'Bad Gateway', '<html>'), '502 Bad Gateway');
  });

  it('sends the bearer token and JSON body, and returns the parsed answer', async () => {
    const seen: SeenRequest[] = [];
    const client = new GatewayClient({
      baseUrl: 'http://gw:1/',
      token: 'T',
      timeoutMs: 1000,
      fetchImpl: fakeFetch(200, { valid: true }, seen),
    });
    const answer = await client.request<{ valid: boolean }>('POST', '/api/v1/verify', { body: { jws: 'x' } });
    assert.deepEqual(answer, { status: 200, body: { valid: true } });
    assert.equal(seen[0]?.url, 'http://gw:1/api/v1/verify');
    assert.equal(seen[0]?.headers.get('authorization'), 'Bearer T');
    assert.equal(seen[0]?.headers.get('content-type'), 'application/json');
    assert.equal(seen[0]?.body, '{"jws":"x"}');
  });

  it('turns errors into exit codes: 404 → 4, 403 → 5, 500 → 3, no connection → 3, missing token → 2', async () => {
    const client = (status: number, body: unknown, token?: string) =>
      new GatewayClient({ baseUrl: 'http://gw:1', token, timeoutMs: 1000, fetchImpl: fakeFetch(status, body) });
    await rejectsWith(client(404, { title: 'Not Found', detail: 'no report x' }).request('GET', '/r'), ExitCode.NOT_FOUND, /no report x/);
    await rejectsWith(
      client(403, { title: 'Forbidden', detail: 'role alliance may not' }).request('GET', '/r'),
      ExitCode.REFUSED,
      /role alliance/,
    );
    await rejectsWith(client(500, { title: 'Internal Server Error' }).request('GET', '/r'), ExitCode.UNAVAILABLE, /500/);
    const refused = new GatewayClient({
      baseUrl: 'http://gw:1',
      timeoutMs: 1000,
      fetchImpl: (async () => {
        throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:1') });
      }) as typeof fetch,
    });
    await rejectsWith(
      refused.request('GET', '/r'),
      ExitCode.UNAVAILABLE,
      /cannot reach the gateway at http:\/\/gw:1: connect ECONNREFUSED/,
    );
    await rejectsWith(client(200, {}).request('GET', '/r', { auth: 'required' }), ExitCode.USAGE, /JCC_TOKEN/);
  });
});
