import type { AgencyRecord, CityId, SupervisionRecord } from '@jcc/domain';
import type { FreeTexts, RevealedText } from '../list-entries/free-text.js';

/**
 * The free text of the agency registry kept off the ledger (issue 11 §2,
 * finding 8): the reason of an agency's last status change stays in the
 * filing city's gateway, the summary of a supervision action in the
 * recording city's gateway; the ledger holds their salted hashes
 * (`statusReasonHash`, `summaryHash`, see {@link FreeTexts}).
 */

/** The scope of an agency's status reason (salt derivation; see {@link FreeTexts.keep}). */
export function statusReasonScope(city: CityId, uscc: string): string {
  return `${city}|agency|${uscc}|statusReason`;
}

/** The scope of a supervision summary. */
export function supervisionSummaryScope(city: CityId, uscc: string, actionId: string): string {
  return `${city}|agency|${uscc}|${actionId}|summary`;
}

/** The texts a gateway holds for one agency: its status reason and supervision summaries (by `<city>/<actionId>`). */
export interface AgencyTexts {
  statusReason?: RevealedText;
  supervision?: Record<string, RevealedText>;
}

/** The agency texts this gateway holds for `view` (those its city wrote). */
export async function agencyTexts(
  texts: FreeTexts,
  view: Pick<AgencyRecord, 'statusReasonHash'> & { supervision: SupervisionRecord[] },
): Promise<AgencyTexts> {
  const out: AgencyTexts = {};
  const statusReason = await texts.reveal(view.statusReasonHash);
  if (statusReason) out.statusReason = statusReason;
  for (const record of view.supervision) {
    const summary = await texts.reveal(record.summaryHash);
    if (summary) (out.supervision ??= {})[`${record.city}/${record.actionId}`] = summary;
  }
  return out;
}
