import { Context } from 'fabric-contract-api';
import type { ChaincodeStub } from './fakeStub.js';

/**
 * A fabric-contract-api `Context` around a fake stub, with a client identity
 * of the given MSP (the only part of the identity creditchain reads).
 */

/** The client identity interface of `ctx.clientIdentity`. */
export type ClientIdentity = Context['clientIdentity'];

/** A client identity that belongs to `mspId`. */
export class FakeClientIdentity implements ClientIdentity {
  constructor(private readonly mspId: string) {}

  getMSPID(): string {
    return this.mspId;
  }

  getID(): string {
    return `x509::/C=CN/O=${this.mspId}/CN=operator::/C=CN/O=${this.mspId}/CN=ca`;
  }

  getIDBytes(): Uint8Array {
    return Buffer.from(this.getID());
  }

  getAttributeValue(): string | null {
    return null;
  }

  assertAttributeValue(): boolean {
    return false;
  }
}

/** A transaction context as fabric-contract-api builds it, over `stub`, submitted by a member of `mspId`. */
export function fakeContext(stub: ChaincodeStub, mspId: string): Context {
  const ctx = new Context();
  ctx.stub = stub;
  ctx.clientIdentity = new FakeClientIdentity(mspId);
  return ctx;
}
