/**
 * Notifications on the real network: a webhook receiver running as a process
 * of its own on loopback, subscribed at Yantai, is told when Qingdao revokes
 * or supersedes a document Yantai recognised, with a signature the Standard
 * Webhooks reference implementation verifies; the same event arrives on
 * Yantai's Server-Sent Events stream; a receiver that is down for a while
 * (JCC_TEST_RECEIVER_OUTAGE_MS, default a minute), while Yantai's gateway is
 * killed and restarted with the delivery pending, still gets it afterwards.
 *
 * Yantai's gateway here is a process of its own (port JCC_TEST_NOTIFY_PORT,
 * default 18121, store `.data/test-gateways/yantai-notify`), so it can be
 * killed; the test gateways' environment allows loopback receivers and
 * retries after 0.5 s doubling up to 4 s.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the tests read answers as loosely typed JSON */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { spawnLogged } from '@jcc/network';
import {
  call,
  callAt,
  dataDir,
  exited,
  gateways,
  root,
  runTag,
  spawnedOperatorToken,
  spawnGateway,
  testUscc,
  token,
  until,
  waitReady,
} from './harness.js';

const PORT = Number(process.env.JCC_TEST_NOTIFY_PORT ?? 18121);
const RECEIVER_PORT = Number(process.env.JCC_TEST_RECEIVER_PORT ?? 18131);
const OUTAGE_MS = Number(process.env.JCC_TEST_RECEIVER_OUTAGE_MS ?? 60_000);
const STORE = join(dataDir, 'yantai-notify');
const url = `http://127.0.0.1:${PORT}`;
const receivedFile = join(dataDir, 'logs', `webhooks-${runTag}.jsonl`);
/** The receiver path of this run's subscription (the test store keeps subscriptions of earlier runs). */
const hookPath = `/hooks/jcc-${runTag}`;
const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString();

interface Received {
  receivedAt: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** The deliveries the receiver process recorded so far. */
function received(): Received[] {
  if (!existsSync(receivedFile)) return [];
  return readFileSync(receivedFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Received)
    .filter((r) => r.method === 'POST' && r.path === hookPath);
}

/** Starts the receiver process and waits until it listens. */
async function startReceiver(): Promise<ChildProcess> {
  const log = join(dataDir, 'logs', `webhook-receiver-${runTag}.log`);
  const before = existsSync(log) ? readFileSync(log, 'utf8').split('listening').length : 1;
  const child = spawnLogged({
    name: `webhook-receiver-${RECEIVER_PORT}`,
    program: process.execPath,
    args: ['--import', 'tsx', join(root, 'test', 'gateway', 'webhook-receiver.ts'), String(RECEIVER_PORT), receivedFile],
    cwd: root,
    env: process.env,
    log,
  });
  await until(
    async () => (existsSync(log) ? readFileSync(log, 'utf8').split('listening').length : 1),
    (n) => n > before,
    30_000,
    'the receiver to listen',
  );
  return child;
}

/** Reads a Server-Sent Events stream in the background, collecting its events. */
function openStream(operator: string, lastEventId?: string) {
  const events: Array<{ id: string; event: string; data: any }> = [];
  const abort = new AbortController();
  const done = (async () => {
    const res = await fetch(`${url}/api/v1/events`, {
      headers: {
        accept: 'text/event-stream',
        authorization: `Bearer ${operator}`,
        ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
      },
      signal: abort.signal,
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields: Record<string, string> = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const at = line.indexOf(':');
          if (at > 0) fields[line.slice(0, at)] = line.slice(at + 1).replace(/^ /, '');
        }
        if (fields.data !== undefined) events.push({ id: fields.id ?? '', event: fields.event ?? '', data: JSON.parse(fields.data) });
      }
    }
  })().catch((err: unknown) => {
    if (!abort.signal.aborted) throw err;
  });
  return { events, close: () => abort.abort(), done };
}

describe('notifications: webhooks and the event stream', function () {
  this.timeout(OUTAGE_MS + 300_000);
  let child: ChildProcess | undefined;
  let receiver: ChildProcess | undefined;
  let operator: string;
  let qingdao: string;
  let secret: string;
  let subscriptionId: string;
  let lastStreamed: string | undefined;

  const yantai = (method: string, path: string, body?: unknown) =>
    callAt(url, method, path, { token: operator, ...(body ? { body } : {}) });

  /** Qingdao issues a report (anchored alone) and Yantai, at the gateway under test, records that it accepts it. */
  const recognisedDocument = async (tag: string): Promise<string> => {
    const issued = await call('qingdao', 'POST', '/api/v1/reports', {
      token: qingdao,
      body: {
        subject: { kind: 'enterprise', uscc: testUscc(`N${tag}${runTag}`) },
        reportType: 'publicCreditReport',
        content: { purpose: `notification test ${tag}` },
        validUntil: inAYear(),
        anchor: 'single',
      },
    });
    assert.equal(issued.status, 202, JSON.stringify(issued.body));
    const id = issued.body.id as string;
    await until(
      () => call('qingdao', 'GET', `/api/v1/reports/${id}`, { token: qingdao }),
      (r) => r.body?.state === 'anchored',
      60_000,
      'anchored',
    );
    const rec = await yantai('POST', '/api/v1/recognitions', {
      issuerCity: 'qingdao',
      documentId: id,
      decision: 'accepted',
      reason: 'accepted for a Yantai tender',
    });
    assert.equal(rec.status, 201, JSON.stringify(rec.body));
    return id;
  };

  before(async function () {
    await gateways();
    rmSync(receivedFile, { force: true });
    child = spawnGateway('yantai', PORT, STORE);
    await waitReady(url, 240_000);
    operator = await spawnedOperatorToken('yantai', STORE);
    qingdao = await token('qingdao', 'operator');
    // Subscriptions an interrupted earlier run left in this test store go first.
    for (const old of (await yantai('GET', '/api/v1/subscriptions')).body.records)
      assert.equal((await yantai('DELETE', `/api/v1/subscriptions/${old.id}`)).status, 204);
    receiver = await startReceiver();
  });

  after(async function () {
    for (const c of [child, receiver]) {
      if (c && c.exitCode === null && c.signalCode === null) {
        c.kill('SIGTERM');
        await exited(c);
      }
    }
  });

  it('refuses receivers outside the SSRF guard, and subscriptions for unknown events', async function () {
    for (const target of [
      'http://93.184.216.34/hooks',
      'https://169.254.169.254/latest/meta-data/',
      'https://10.0.0.1/hooks',
      'https://[::ffff:127.0.0.1]/hooks',
      'https://user:pw@93.184.216.34/',
    ]) {
      const res = await yantai('POST', '/api/v1/subscriptions', { url: target, events: ['document.revoked'] });
      assert.equal(res.status, 400, `${target}: ${JSON.stringify(res.body)}`);
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
    }
    const unknown = await yantai('POST', '/api/v1/subscriptions', { url: `http://127.0.0.1:${RECEIVER_PORT}/x`, events: ['everything'] });
    assert.equal(unknown.status, 400);
    const notMine = await call('yantai', 'GET', '/api/v1/subscriptions', { token: await token('qingdao', 'operator') });
    assert.ok([401, 403].includes(notMine.status), `a Qingdao operator may not read Yantai subscriptions: ${notMine.status}`);
    const regulator = await call('yantai', 'GET', '/api/v1/subscriptions', { token: await token('yantai', 'regulator') });
    assert.equal(regulator.status, 403);
    const notStream = await yantai('GET', '/api/v1/events');
    assert.equal(notStream.status, 406, 'the stream answers text/event-stream only');
  });

  it('delivers a signed webhook within seconds when Qingdao revokes a document Yantai recognised, and streams the same event', async function () {
    const created = await yantai('POST', '/api/v1/subscriptions', {
      url: `http://127.0.0.1:${RECEIVER_PORT}${hookPath}`,
      events: ['document.revoked', 'document.superseded'],
      description: 'notification test',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.match(created.body.secret, /^whsec_/);
    secret = created.body.secret;
    subscriptionId = created.body.id;
    const shown = await yantai('GET', `/api/v1/subscriptions/${subscriptionId}`);
    assert.equal(shown.status, 200);
    assert.equal(shown.body.secret, undefined, 'the secret is shown once, at creation');
    assert.ok((await yantai('GET', '/api/v1/subscriptions')).body.records.some((s: any) => s.id === subscriptionId));

    const stream = openStream(operator);
    const id = await recognisedDocument('r');
    const revokedAt = Date.now();
    const revoked = await call('qingdao', 'POST', `/api/v1/reports/${id}/revoke`, { token: qingdao, body: { reason: 'issued in error' } });
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));

    const delivery = (
      await until(
        async () => received().filter((r) => JSON.parse(r.body).data?.documentId === id),
        (list) => list.length > 0,
        30_000,
        'the webhook delivery',
      )
    )[0] as Received;
    const seconds = (Date.parse(delivery.receivedAt) - revokedAt) / 1000;
    console.log(`      delivered ${seconds.toFixed(2)} s after Qingdao's revocation was answered (machine shared with other helpers)`);
    assert.match(delivery.headers['content-type'] ?? '', /^application\/json/);
    const verified = new Webhook(secret).verify(delivery.body, delivery.headers) as any;
    assert.equal(verified.type, 'document.revoked');
    assert.equal(verified.city, 'yantai');
    assert.equal(verified.data.issuerCity, 'qingdao');
    // The reason stays in Qingdao's gateway: the notification carries its salted hash and says where it is kept.
    assert.equal(verified.data.reason, undefined);
    assert.equal(verified.data.reasonHash, revoked.body.reasonHash);
    assert.equal(verified.data.reasonHeldBy, 'qingdao');
    assert.equal(verified.data.recognition.decision, 'accepted');
    assert.equal(verified.id, delivery.headers['webhook-id']);
    assert.throws(() => new Webhook(secret).verify(delivery.body.replace('"qingdao"', '"yantai"'), delivery.headers));

    const streamed = await until(
      async () => stream.events.find((e) => e.data.id === verified.id),
      (e) => e !== undefined,
      30_000,
      'the same event on the SSE stream',
    );
    assert.equal(streamed?.event, 'document.revoked');
    assert.deepEqual(streamed?.data, verified);
    assert.match(streamed?.id ?? '', /^\d+$/);
    lastStreamed = streamed?.id;
    stream.close();
    await stream.done;
  });

  it('still delivers after the receiver was down for a while and the gateway was killed and restarted with the delivery pending', async function () {
    assert.ok(subscriptionId, 'the subscription of the previous test');
    receiver?.kill('SIGTERM');
    await exited(receiver as ChildProcess);
    const outageStarted = Date.now();
    const replaced = await recognisedDocument('s1');
    const replacement = await call('qingdao', 'POST', '/api/v1/reports', {
      token: qingdao,
      body: {
        subject: { kind: 'enterprise', uscc: testUscc(`N2${runTag}`) },
        reportType: 'publicCreditReport',
        content: { purpose: 'replacement' },
        validUntil: inAYear(),
        anchor: 'single',
      },
    });
    assert.equal(replacement.status, 202);
    await until(
      () => call('qingdao', 'GET', `/api/v1/reports/${replacement.body.id}`, { token: qingdao }),
      (r) => r.body?.state === 'anchored',
      60_000,
      'replacement anchored',
    );
    const superseded = await call('qingdao', 'POST', `/api/v1/reports/${replaced}/supersede`, {
      token: qingdao,
      body: { replacementId: replacement.body.id, reason: 'corrected report' },
    });
    assert.equal(superseded.status, 200, JSON.stringify(superseded.body));

    const isOurs = (d: any) => d.subscriptionId === subscriptionId && d.notification.data.documentId === replaced;
    const failing = await until(
      async () => (await yantai('GET', '/api/v1/deliveries?state=pending')).body.records.find(isOurs),
      (d) => d !== undefined && d.attempts >= 2,
      60_000,
      'failed attempts against the receiver that is down',
    );
    assert.match(failing.lastError, /ECONNREFUSED|refused/i);

    // Killed with the delivery pending: no clean shutdown.
    child?.kill('SIGKILL');
    await exited(child as ChildProcess);
    child = spawnGateway('yantai', PORT, STORE);
    await waitReady(url, 240_000);
    const kept = (await yantai('GET', `/api/v1/deliveries?subscription=${subscriptionId}`)).body.records.find(isOurs);
    assert.ok(kept, 'the pending delivery survived the kill and the restart');
    assert.equal(kept.state, 'pending');

    const left = OUTAGE_MS - (Date.now() - outageStarted);
    if (left > 0) await new Promise((r) => setTimeout(r, left));
    assert.equal(received().filter((r) => JSON.parse(r.body).data?.documentId === replaced).length, 0, 'nothing got through the outage');
    receiver = await startReceiver();
    const back = Date.now();
    const deliveries = await until(
      async () => received().filter((r) => JSON.parse(r.body).data?.documentId === replaced),
      (list) => list.length > 0,
      60_000,
      'the delivery after the outage',
    );
    console.log(
      `      receiver down ${((back - outageStarted) / 1000).toFixed(0)} s; delivered ${((Date.parse(deliveries[0]!.receivedAt) - back) / 1000).toFixed(2)} s after it came back`,
    );
    for (const d of deliveries) {
      const verified = new Webhook(secret).verify(d.body, d.headers) as any;
      assert.equal(verified.type, 'document.superseded');
      assert.equal(verified.data.replacementId, replacement.body.id);
    }
    assert.equal(new Set(deliveries.map((d) => d.headers['webhook-id'])).size, 1, 'one notification, one webhook-id');
    await until(
      async () => (await yantai('GET', `/api/v1/deliveries?subscription=${subscriptionId}`)).body.records.filter(isOurs),
      (list) => list.length === 0,
      30_000,
      'the delivery to leave the outbox',
    );

    // The stream resumes after the last event this client saw, across the restart.
    const resumed = openStream(operator, lastStreamed);
    const event = await until(
      async () => resumed.events.find((e) => e.data.data?.documentId === replaced),
      (e) => e !== undefined,
      30_000,
      'the missed event on the resumed stream',
    );
    assert.equal(event?.event, 'document.superseded');
    assert.ok(Number(event?.id) > Number(lastStreamed));
    assert.ok(!resumed.events.some((e) => Number(e.id) <= Number(lastStreamed)), 'nothing at or before Last-Event-ID');
    resumed.close();
    await resumed.done;

    const deleted = await yantai('DELETE', `/api/v1/subscriptions/${subscriptionId}`);
    assert.equal(deleted.status, 204);
    assert.equal((await yantai('GET', `/api/v1/subscriptions/${subscriptionId}`)).status, 404);
  });
});
