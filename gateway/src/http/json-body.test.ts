import assert from 'node:assert/strict';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { JSON_MEDIA_TYPES, jsonBody } from './json-body.js';
import { toProblem } from './problem.js';

/** POSTs `body` with exactly these headers; resolves with status and text. */
function post(port: number, path: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('JSON body of the API routes', () => {
  const limit = 64;
  let server: Server;
  let port: number;
  before(async () => {
    const app = express();
    const echo = (req: Request, res: Response): void => {
      res.json({ body: req.body as unknown });
    };
    // The route parser, and Express's body parser alone (what the direct reader must match).
    app.post('/route', ...jsonBody(limit), echo);
    app.post('/parser', express.json({ limit, type: JSON_MEDIA_TYPES }), echo);
    app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
      const { problem } = toProblem(err);
      res.status(problem.status).json({ type: problem.type, status: problem.status });
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  const bodies: Array<[string, string]> = [
    ['an object', '{"jws":"a.b.c","n":[1,2,{"x":null}]}'],
    ['an array after white space', ' \n [1, "two"]'],
    ['an empty body', ''],
    ['a byte order mark', '\uFEFF{"a":1}'],
    ['a string', '"text"'],
    ['a number', '12'],
    ['null', 'null'],
    ['broken JSON', '{"a":'],
    ['UTF-8 text', '{"name":"青岛市信用中心"}'],
    ['a body over the limit', `{"a":"${'x'.repeat(100)}"}`],
  ];
  const types = ['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset="UTF-8"', 'application/problem+json'];
  for (const [what, text] of bodies)
    it(`reads ${what} as Express's body parser does`, async () => {
      for (const type of types) {
        const raw = Buffer.from(text, 'utf8');
        const headers = { 'content-type': type, 'content-length': String(raw.length) };
        const direct = await post(port, '/route', raw, headers);
        const parser = await post(port, '/parser', raw, headers);
        assert.deepEqual(direct, parser, `${type}: ${text}`);
      }
    });

  it('refuses a body that breaks the input rules after reading it', async () => {
    const raw = Buffer.from('{"a":1e400}');
    const reply = await post(port, '/route', raw, { 'content-type': 'application/json', 'content-length': String(raw.length) });
    assert.equal(reply.status, 400);
    assert.match(reply.text, /invalid-json/);
  });
});
