import type { Context } from 'fabric-contract-api';
import { timestampFromMillis } from '@jcc/domain';

/**
 * The transaction's timestamp (set by the submitting client in the proposal
 * header, identical on every endorsing peer) in milliseconds since the epoch.
 * The only clock the chaincode reads.
 */
export function txMillis(ctx: Context): number {
  const { seconds, nanos } = ctx.stub.getTxTimestamp();
  const wholeSeconds = typeof seconds === 'number' ? seconds : seconds.toNumber();
  return wholeSeconds * 1000 + Math.floor(nanos / 1_000_000);
}

/** The transaction's timestamp as an RFC 3339 UTC timestamp with milliseconds. */
export function txTimestamp(ctx: Context): string {
  return timestampFromMillis(txMillis(ctx));
}
