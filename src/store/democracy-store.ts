// Redis projection of the democracy state (delegations, votes, bills, tentative voters).
// Key layout, all under the jurisdiction hash tag:
//   {ia}:del              hash voter → JSON array of ranked default delegates (1..3)
//   {ia}:bdel:<bill>      hash voter → bill delegate
//   {ia}:vote:<bill>      hash voter → yes | no | abstain
//   {ia}:bills            hash bill id → JSON Bill
//   {ia}:tentative        hash phone → tentative voter id (private: phones never leave the store)
//   {ia}:tentative:next   counter for tentative ids
// The audit log is the history; these keys are the "now" view, written only through commit.ts.
import type { Redis } from 'ioredis';
import type { Bill, BillId } from '../core/bill.js';
import type { VoteValue } from '../core/vote.js';
import type { VoterId } from '../core/voter.js';
import type { JurisdictionKeys } from './keys.js';

export const scanBatchCount = 10_000;

export class DemocracyStore {
  constructor(readonly redis: Redis, readonly keys: JurisdictionKeys) {}

  get defaultsKey(): string {
    return this.keys.key('del');
  }

  billDelegatesKey(bill: BillId): string {
    return this.keys.key('bdel', bill);
  }

  votesKey(bill: BillId): string {
    return this.keys.key('vote', bill);
  }

  get billsKey(): string {
    return this.keys.key('bills');
  }

  get tentativeKey(): string {
    return this.keys.key('tentative');
  }

  /** Raw stored value (for guards) and parsed list of ranked default delegates. */
  async defaultsOf(voter: VoterId): Promise<{ raw: string | null; delegates: VoterId[] }> {
    const raw = await this.redis.hget(this.defaultsKey, voter);
    return { raw, delegates: raw === null ? [] : (JSON.parse(raw) as VoterId[]) };
  }

  async billDelegateOf(voter: VoterId, bill: BillId): Promise<VoterId | null> {
    return this.redis.hget(this.billDelegatesKey(bill), voter);
  }

  async voteOf(voter: VoterId, bill: BillId): Promise<VoteValue | null> {
    return (await this.redis.hget(this.votesKey(bill), voter)) as VoteValue | null;
  }

  async bill(id: BillId): Promise<Bill | null> {
    const raw = await this.redis.hget(this.billsKey, id);
    return raw === null ? null : (JSON.parse(raw) as Bill);
  }

  async bills(): Promise<Bill[]> {
    const all = await this.redis.hvals(this.billsKey);
    return all.map((raw) => JSON.parse(raw) as Bill)
      .sort((a, b) => b.week.localeCompare(a.week) || a.id.localeCompare(b.id));
  }

  async tentativeIdOf(phone: string): Promise<VoterId | null> {
    return this.redis.hget(this.tentativeKey, phone);
  }

  async allTentative(): Promise<Array<{ phone: string; id: VoterId }>> {
    const all = await this.redis.hgetall(this.tentativeKey);
    return Object.entries(all).map(([phone, id]) => ({ phone, id }));
  }

  async nextTentativeSequence(): Promise<number> {
    return this.redis.incr(this.keys.key('tentative', 'next'));
  }

  /** Streams every voter's ranked defaults without loading the hash in one reply. */
  async *scanDefaults(): AsyncGenerator<Array<[VoterId, VoterId[]]>> {
    yield* this.scanHash(this.defaultsKey, (raw) => JSON.parse(raw) as VoterId[]);
  }

  async *scanBillDelegates(bill: BillId): AsyncGenerator<Array<[VoterId, VoterId]>> {
    yield* this.scanHash(this.billDelegatesKey(bill), (raw) => raw);
  }

  async *scanVotes(bill: BillId): AsyncGenerator<Array<[VoterId, VoteValue]>> {
    yield* this.scanHash(this.votesKey(bill), (raw) => raw as VoteValue);
  }

  private async *scanHash<T>(key: string, decode: (raw: string) => T): AsyncGenerator<Array<[string, T]>> {
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(key, cursor, 'COUNT', scanBatchCount);
      cursor = next;
      const batch: Array<[string, T]> = [];
      for (let i = 0; i + 1 < flat.length; i += 2) batch.push([flat[i] as string, decode(flat[i + 1] as string)]);
      if (batch.length > 0) yield batch;
    } while (cursor !== '0');
  }
}
