import { canonicalJson } from '@jcc/domain';

/** The JSON text a transaction returns: canonical JSON (RFC 8785) of its result. */
export function jsonResult(value: object): string {
  return canonicalJson(value);
}
