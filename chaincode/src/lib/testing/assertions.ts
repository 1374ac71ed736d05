import assert from 'node:assert/strict';
import type { ErrorCode } from '@jcc/domain';
import type { FakeLedger, Invocation } from './fakeLedger.js';
import type { WorldSnapshot } from './fakeWorldState.js';

/** A chaincode event with its payload parsed. */
export interface ParsedEvent {
  name: string;
  payload: Record<string, unknown>;
}

/** The single event of an invocation, parsed; fails unless there is exactly one. */
export function singleEvent(invocation: Invocation): ParsedEvent {
  assert.equal(invocation.events.length, 1, `expected exactly one event, got ${invocation.events.map((e) => e.name).join(', ') || 'none'}`);
  const event = invocation.events[0] as Invocation['events'][number];
  return { name: event.name, payload: JSON.parse(Buffer.from(event.payload).toString('utf8')) as Record<string, unknown> };
}

/** Fails unless the invocation succeeded; returns its result. */
export function succeeded<T = Record<string, unknown>>(invocation: Invocation): T {
  if (invocation.error) assert.fail(`expected success, got ${invocation.error.message}`);
  return invocation.result as T;
}

/**
 * Fails unless the invocation was refused with `code` (and a message
 * matching `pattern`, when given), having written nothing and emitted nothing.
 */
export function refused(invocation: Invocation, code: ErrorCode, pattern?: RegExp): void {
  assert.ok(invocation.error, `expected ${code}, but the transaction succeeded`);
  assert.equal(invocation.error.code, code, invocation.error.message);
  assert.ok(invocation.error.message.startsWith(`${code}: `), `message starts with the code: ${invocation.error.message}`);
  if (pattern) assert.match(invocation.error.message, pattern);
  assert.equal(invocation.writes.size, 0, 'a refused transaction writes nothing');
  assert.equal(invocation.validationParameters.size, 0, 'a refused transaction sets no endorsement policy');
  assert.equal(invocation.events.length, 0, 'a refused transaction emits no event');
}

/** Fails unless the invocation succeeded without writing or emitting anything (an idempotent no-op or a query). */
export function noOp(invocation: Invocation): void {
  succeeded(invocation);
  assert.equal(invocation.writes.size, 0, 'no write');
  assert.equal(invocation.validationParameters.size, 0, 'no endorsement policy');
  assert.equal(invocation.events.length, 0, 'no event');
}

/** Runs `action` and fails unless the committed world state is the same afterwards. */
export async function assertUnchanged(ledger: FakeLedger, action: () => Promise<unknown>): Promise<void> {
  const before: WorldSnapshot = ledger.snapshot();
  await action();
  assert.deepEqual(ledger.snapshot(), before, 'the world state is unchanged');
}
