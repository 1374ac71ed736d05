import type { Context } from 'fabric-contract-api';
import { cityByMspId, CodedError, type City } from '@jcc/domain';

/**
 * The city whose organisation signed the transaction proposal: the
 * submitter's MSP id (`QingdaoMSP`, ...) mapped to one of the five cities.
 * The city is never taken from the input.
 *
 * @throws CodedError `UNKNOWN_CITY` when the MSP is not one of the five cities.
 */
export function submittingCity(ctx: Context): City {
  const mspId = ctx.clientIdentity.getMSPID();
  const city = cityByMspId(mspId);
  if (!city) throw new CodedError('UNKNOWN_CITY', `MSP ${mspId} is not the MSP of any of the five cities`);
  return city;
}
