// Tallies, influencers and audits "now" or as of an audit-log sequence number (SPEC §3).
import type { BillId } from '../core/bill.js';
import { explain, renderExplanation, type Explanation } from '../core/explain.js';
import { tallyBill, type Tally } from '../core/tally.js';
import type { VoteChoice } from '../core/vote.js';
import { publicName, type VoterId } from '../core/voter.js';
import type { AppContext } from './context.js';
import { UnknownBillError } from './democracy-service.js';
import { loadState } from './state-loader.js';

export interface NamedInfluencer {
  voter: VoterId;
  name: string;
  weight: number;
  value: VoteChoice;
}

export interface TallyReport {
  tally: Tally;
  /** The audit-log sequence number the tally is as of. */
  seq: number;
  influencers: NamedInfluencer[];
}

type Services = Pick<AppContext, 'store' | 'roll' | 'auditLog'>;

/** Public names for voter ids; ids not in the roll (tentative) show as "an unregistered voter". */
export async function namesOf(
  services: Pick<AppContext, 'roll'>, ids: readonly VoterId[],
): Promise<Map<VoterId, string>> {
  const unique = [...new Set(ids)];
  const voters = await services.roll.getVoters(unique);
  return new Map(unique.map((id, i) => {
    const voter = voters[i];
    return [id, voter === null || voter === undefined ? 'an unregistered voter' : publicName(voter)];
  }));
}

export async function tallyReport(
  services: Services, bill: BillId, options: { at: number | null; influencers: number },
): Promise<TallyReport> {
  if ((await services.store.bill(bill)) === null) throw new UnknownBillError(`no bill ${bill}; list bills with "bills list"`);
  const { state, seq } = await loadState(services, [bill], options.at);
  const result = tallyBill(state, bill, { influencers: options.influencers });
  const names = await namesOf(services, result.influencers.map((influencer) => influencer.voter));
  return {
    tally: result.tally,
    seq,
    influencers: result.influencers.map((influencer) => ({ ...influencer, name: names.get(influencer.voter) ?? '' })),
  };
}

function voterIdsIn(value: unknown, into: Set<VoterId>): void {
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) into.add(value);
  else if (Array.isArray(value)) for (const item of value) voterIdsIn(item, into);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) voterIdsIn(item, into);
}

export interface AuditReport {
  explanation: Explanation;
  lines: string[];
  seq: number;
}

/** The delegation chain of a voter, on one bill or in general, rendered as sentences. */
export async function auditReport(
  services: Services, voter: VoterId, bill: BillId | null, at: number | null,
): Promise<AuditReport> {
  if (bill !== null && (await services.store.bill(bill)) === null) throw new UnknownBillError(`no bill ${bill}`);
  const bills = bill === null ? (await services.store.bills()).map((record) => record.id) : [bill];
  const { state, seq } = await loadState(services, bills, at);
  const explanation = bill === null ? explain(state, voter) : explain(state, voter, bill);
  const ids = new Set<VoterId>();
  voterIdsIn(explanation, ids);
  const names = await namesOf(services, [...ids]);
  return { explanation, seq, lines: renderExplanation(explanation, (id) => names.get(id) ?? 'an unknown voter') };
}
