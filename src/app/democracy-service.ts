// Use cases of the democracy: delegate, vote, recall, add bills. Each reads the current state,
// lets the pure core decide, and commits the change with its audit-log entry in one atomic step.
import type { Bill, BillId } from '../core/bill.js';
import { assertMayRecord, NotAllowedError, type Caller } from '../core/caller.js';
import { afterRecall, nextRankedDefaults } from '../core/democracy-state.js';
import type { DelegateRank, DomainEvent } from '../core/events.js';
import type { AuditDraft, AuditEntry, Channel } from '../core/audit-entry.js';
import type { VoteChoice } from '../core/vote.js';
import { publicName, type VoterId } from '../core/voter.js';
import { printedNumber } from '../bills/bill-number.js';
import { CommitConflictError, commitRetryCountMax, type Committer, type CommitRequest, type Guard, type Write } from '../store/commit.js';
import type { DemocracyStore } from '../store/democracy-store.js';
import type { RollStore } from '../store/roll-store.js';
import { activationRetryCountMax, mergeParts, type ActivationRewards, type CommitParts } from './money-service.js';

export class UnknownVoterError extends Error {
  override name = 'UnknownVoterError';
}

export class UnknownBillError extends Error {
  override name = 'UnknownBillError';
}

export interface ChangeResult {
  changed: boolean;
  entries: AuditEntry[];
}

/** "H.R. 1234" for numbered bills, the title for floor items without a number. */
export function billLabel(bill: Bill): string {
  return printedNumber(bill.id) ?? (bill.number.length > 0 ? bill.number : `"${bill.title}"`);
}

export class DemocracyService {
  constructor(
    private readonly store: DemocracyStore,
    private readonly roll: RollStore,
    private readonly committer: Committer,
    /** Activation serial and reward ride in the same commit as a first delegation (SPEC §4). */
    private readonly activation: ActivationRewards | null = null,
  ) {}

  /** Only a verified registered voter activates; tentative voters activate when they migrate. */
  private async activationParts(caller: Caller): Promise<CommitParts | null> {
    if (this.activation === null || !caller.verified || !caller.registered) return null;
    return this.activation.partsFor([{ voter: caller.voterId, actor: caller.actor, channel: caller.channel }]);
  }

  /** Public name of a registered voter; throws for ids not in the current roll. */
  async nameOf(id: VoterId): Promise<string> {
    const voter = await this.roll.getVoter(id);
    if (voter === null) throw new UnknownVoterError(`voter ${id} is not in the current roll`);
    return publicName(voter);
  }

  private async requireBill(id: BillId): Promise<Bill> {
    const bill = await this.store.bill(id);
    if (bill === null) throw new UnknownBillError(`no bill ${id}; list bills with "bills list"`);
    return bill;
  }

  private draft(caller: Caller, text: string, event: DomainEvent): AuditDraft {
    return { actor: caller.actor, actorId: caller.voterId, channel: caller.channel, text, event };
  }

  /** A request that re-reads nothing: retrying it would meet the same guards, so a conflict is final. */
  private async commitOnce(request: CommitRequest): Promise<ChangeResult> {
    const result = await this.committer.commit(request);
    if (!result.ok) throw new CommitConflictError(`changed concurrently: ${result.conflict.key}`);
    return { changed: true, entries: result.entries };
  }

  async delegate(
    caller: Caller, delegate: VoterId, options: { rank?: DelegateRank; bill?: BillId } = {},
  ): Promise<ChangeResult> {
    assertMayRecord(caller);
    if (delegate === caller.voterId) throw new NotAllowedError('a voter cannot delegate to themselves');
    const delegateName = await this.nameOf(delegate);
    if (options.bill !== undefined) return this.delegateOnBill(caller, delegate, delegateName, options.bill);
    const rank = options.rank ?? 1;
    const { value, entries } = await this.committer.commitWithRetry(async () => {
      const current = await this.store.defaultsOf(caller.voterId);
      const next = nextRankedDefaults(current.delegates, delegate, rank, caller.voterId);
      const changed = JSON.stringify(next) !== JSON.stringify(current.delegates);
      const suffix = rank === 1 ? '' : ` (choice ${rank})`;
      const request: CommitRequest = {
        guards: [{ kind: 'hash', key: this.store.defaultsKey, field: caller.voterId, expected: current.raw }],
        writes: changed ? [{ op: 'hset', key: this.store.defaultsKey, field: caller.voterId, value: JSON.stringify(next) }] : [],
        entries: changed ? [this.draft(caller, `delegates${suffix} -> ${delegateName}`,
          { type: 'delegate', voter: caller.voterId, delegate, rank })] : [],
      };
      return { request: mergeParts(request, await this.activationParts(caller)), value: changed };
    }, { retryCountMax: activationRetryCountMax });
    return { changed: value, entries };
  }

  private async delegateOnBill(
    caller: Caller, delegate: VoterId, delegateName: string, billId: BillId,
  ): Promise<ChangeResult> {
    const bill = await this.requireBill(billId);
    const key = this.store.billDelegatesKey(billId);
    if ((await this.store.billDelegateOf(caller.voterId, billId)) === delegate) return { changed: false, entries: [] };
    const { entries } = await this.committer.commitWithRetry(async () => ({
      request: mergeParts({
        guards: [],
        writes: [{ op: 'hset', key, field: caller.voterId, value: delegate }],
        entries: [this.draft(caller, `delegates on ${billLabel(bill)} -> ${delegateName}`,
          { type: 'delegate-bill', voter: caller.voterId, bill: billId, delegate })],
      }, await this.activationParts(caller)),
      value: null,
    }), { retryCountMax: activationRetryCountMax });
    return { changed: true, entries };
  }

  /**
   * The commit is guarded on the vote it replaces, so it applies at most once: when a failover loses
   * the reply and ioredis sends the same script again to the new primary, the guard no longer holds
   * if the first one landed, and the retry finds the vote already cast (no second audit entry).
   */
  async vote(caller: Caller, billId: BillId, choice: VoteChoice): Promise<ChangeResult> {
    assertMayRecord(caller);
    const bill = await this.requireBill(billId);
    const key = this.store.votesKey(billId);
    const text = choice === 'absent' ? `withdraws their vote on ${billLabel(bill)}` : `votes ${choice} on ${billLabel(bill)}`;
    for (let tries = 0; tries < commitRetryCountMax; tries += 1) {
      const current = await this.store.voteOf(caller.voterId, billId);
      if ((current ?? 'absent') === choice) return { changed: false, entries: [] };
      const write: Write = choice === 'absent'
        ? { op: 'hdel', key, field: caller.voterId }
        : { op: 'hset', key, field: caller.voterId, value: choice };
      const result = await this.committer.commit({ guards: [{ kind: 'hash', key, field: caller.voterId, expected: current }],
        writes: [write], entries: [this.draft(caller, text, { type: 'vote', voter: caller.voterId, bill: billId, choice })] });
      if (result.ok) return { changed: true, entries: result.entries };
    }
    throw new CommitConflictError(`vote on ${billId} changed concurrently ${commitRetryCountMax} times; try again`);
  }

  /** Removes one ranked delegate, all of them, or the delegate on one bill. */
  async recall(caller: Caller, options: { delegate?: VoterId; bill?: BillId } = {}): Promise<ChangeResult> {
    assertMayRecord(caller);
    if (options.bill !== undefined) return this.recallOnBill(caller, options.bill);
    const recalledName = options.delegate === undefined ? null : await this.nameOf(options.delegate);
    const { value, entries } = await this.committer.commitWithRetry(async () => {
      const current = await this.store.defaultsOf(caller.voterId);
      const next = afterRecall(current.delegates, options.delegate);
      const changed = next.length !== current.delegates.length;
      const guards: Guard[] = [{ kind: 'hash', key: this.store.defaultsKey, field: caller.voterId, expected: current.raw }];
      const writes: Write[] = !changed ? [] : next.length === 0
        ? [{ op: 'hdel', key: this.store.defaultsKey, field: caller.voterId }]
        : [{ op: 'hset', key: this.store.defaultsKey, field: caller.voterId, value: JSON.stringify(next) }];
      const text = recalledName === null ? 'recalls all delegates' : `recalls ${recalledName}`;
      const event: DomainEvent = options.delegate === undefined
        ? { type: 'recall', voter: caller.voterId } : { type: 'recall', voter: caller.voterId, delegate: options.delegate };
      return { request: { guards, writes, entries: changed ? [this.draft(caller, text, event)] : [] }, value: changed };
    });
    return { changed: value, entries };
  }

  private async recallOnBill(caller: Caller, billId: BillId): Promise<ChangeResult> {
    const bill = await this.requireBill(billId);
    const current = await this.store.billDelegateOf(caller.voterId, billId);
    if (current === null) return { changed: false, entries: [] };
    return this.commitOnce({
      guards: [],
      writes: [{ op: 'hdel', key: this.store.billDelegatesKey(billId), field: caller.voterId }],
      entries: [this.draft(caller, `recalls ${await this.nameOf(current)} on ${billLabel(bill)}`,
        { type: 'recall-bill', voter: caller.voterId, bill: billId })],
    });
  }

  /** Adds or updates bills (feed import or manual entry); unchanged bills write nothing. */
  async addBills(bills: readonly Bill[], channel: Channel): Promise<{ added: number; updated: number }> {
    let added = 0;
    let updated = 0;
    for (const bill of bills) {
      const current = await this.store.bill(bill.id);
      const value = JSON.stringify(bill);
      if (current !== null && JSON.stringify(current) === value) continue;
      const verb = current === null ? 'adds' : 'updates';
      const label = billLabel(bill);
      const title = bill.title.length > 0 && !label.includes(bill.title) ? `: ${bill.title}` : '';
      await this.commitOnce({
        guards: [{ kind: 'hash', key: this.store.billsKey, field: bill.id, expected: current === null ? null : JSON.stringify(current) }],
        writes: [{ op: 'hset', key: this.store.billsKey, field: bill.id, value }],
        entries: [{ actor: 'operator', actorId: null, channel, text: `${verb} bill ${label}${title}`, event: { type: 'bill', bill } }],
      });
      if (current === null) added += 1;
      else updated += 1;
    }
    return { added, updated };
  }
}
