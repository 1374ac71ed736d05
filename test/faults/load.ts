/**
 * A steady mixed load through the real gateways while a fault is injected: report
 * issuance in both anchoring modes (accepted with 202, anchored later from the outbox),
 * synchronous ledger writes (credit evaluations, 201 only once committed) and
 * verification. It records what each client saw, for the scenario's figures.
 */
import type { CityId } from '@jcc/domain';
import { call, runTag, testUscc, token } from '../gateway/harness.js';

/** A document the gateway accepted (202) during the load. */
export interface AcceptedDocument {
  city: CityId;
  id: string;
  mode: 'single' | 'batch';
  at: number;
}

/** What the clients of one load run saw. */
export interface LoadRecord {
  accepted: AcceptedDocument[];
  /** Successful synchronous writes (evaluations committed), with their times. */
  writes: number[];
  verifications: { ok: number; failed: number };
  /** Errors clients saw, by `status title` (or the network error), with counts. */
  errors: Record<string, number>;
}

/** Where the load goes. */
export interface LoadPlan {
  /** City issuing single-anchored reports. */
  single: CityId;
  /** City issuing batch-anchored reports. */
  batch: CityId;
  /** City recording evaluations (synchronous writes). */
  writes: CityId;
  /** City verifying a known document. */
  verify: CityId;
  /** The document the verifier checks again and again. */
  jws: string;
}

const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString();

/**
 * One synchronous ledger write, as the load sends them: a credit evaluation at `city`, answered `201` only once
 * committed; `name` makes it (and its idempotency key) this write's own.
 */
export async function synchronousWrite(city: CityId, operator: string, name: string): Promise<{ status: number; title: string }> {
  const res = await call(city, 'POST', '/api/v1/evaluations', {
    token: operator,
    headers: { 'idempotency-key': `fault-ev-${name}-${runTag}` },
    body: {
      subject: { kind: 'enterprise', uscc: testUscc(`E${name}`) },
      scheme: 'fault-suite',
      grade: 'A',
      periodStart: '2026-01-01',
      periodEnd: '2026-06-30',
      validUntil: inAYear(),
      evidence: `fault suite ${name}`,
    },
  });
  return { status: res.status, title: String(res.body?.title ?? '') };
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A mixed load that runs until {@link MixedLoad.stop}. */
export class MixedLoad {
  readonly record: LoadRecord = { accepted: [], writes: [], verifications: { ok: 0, failed: 0 }, errors: {} };
  #running = true;
  #loops: Promise<void>[] = [];
  #n = 0;

  constructor(
    private readonly plan: LoadPlan,
    private readonly tag: string,
  ) {}

  /** Starts the client loops. */
  start(): this {
    this.#loops = [
      this.#issueLoop(this.plan.single, 'single'),
      this.#issueLoop(this.plan.batch, 'batch'),
      this.#issueLoop(this.plan.batch, 'batch'),
      this.#writeLoop(),
      this.#verifyLoop(),
    ];
    return this;
  }

  /** Stops the loops and returns what they saw. */
  async stop(): Promise<LoadRecord> {
    this.#running = false;
    await Promise.all(this.#loops);
    return this.record;
  }

  #error(key: string): void {
    this.record.errors[key] = (this.record.errors[key] ?? 0) + 1;
  }

  async #guard(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      this.#error(err instanceof Error ? `${err.name}: ${err.message.slice(0, 80)}` : String(err));
      await pause(200);
    }
  }

  async #issueLoop(city: CityId, mode: 'single' | 'batch'): Promise<void> {
    const operator = await token(city, 'operator', { ttlSeconds: 3600 });
    while (this.#running) {
      await this.#guard(async () => {
        const n = ++this.#n;
        const res = await call(city, 'POST', '/api/v1/reports', {
          token: operator,
          headers: { 'idempotency-key': `fault-${this.tag}-${runTag}-${n}` },
          body: {
            subject: { kind: 'enterprise', uscc: testUscc(`F${this.tag}${n}`) },
            reportType: 'publicCreditReport',
            content: { load: this.tag, n },
            validUntil: inAYear(),
            anchor: mode,
          },
        });
        if (res.status === 202) this.record.accepted.push({ city, id: res.body.id, mode, at: Date.now() });
        else {
          this.#error(`issue ${res.status} ${res.body?.title ?? ''}`.trim());
          await pause(200);
        }
      });
      await pause(mode === 'single' ? 100 : 20);
    }
  }

  /**
   * Synchronous writes on a clock: a new evaluation every 500 ms (at most 8 in flight), so
   * that while one waits for its commit, later ones show what a client gets meanwhile.
   */
  async #writeLoop(): Promise<void> {
    const city = this.plan.writes;
    const operator = await token(city, 'operator', { ttlSeconds: 3600 });
    const inFlight = new Set<Promise<void>>();
    const one = async (): Promise<void> => {
      const res = await synchronousWrite(city, operator, `${this.tag}-${++this.#n}`);
      if (res.status === 201) this.record.writes.push(Date.now());
      else this.#error(`evaluation ${res.status} ${res.title}`.trim());
    };
    while (this.#running) {
      if (inFlight.size < 8) {
        const p: Promise<void> = this.#guard(one).finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      await pause(500);
    }
    await Promise.all(inFlight);
  }

  async #verifyLoop(): Promise<void> {
    while (this.#running) {
      await this.#guard(async () => {
        const res = await call(this.plan.verify, 'POST', '/api/v1/verify', { body: { jws: this.plan.jws } });
        if (res.status === 200 && res.body.valid === true) this.record.verifications.ok += 1;
        else {
          this.record.verifications.failed += 1;
          this.#error(`verify ${res.status} ${res.status === 200 ? 'invalid' : (res.body?.title ?? '')}`.trim());
        }
      });
      await pause(50);
    }
  }
}
