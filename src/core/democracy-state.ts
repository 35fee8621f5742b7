// The delegation state of the democracy, in memory: ranked default delegates, bill delegates and
// direct votes, keyed by voter id. It is rebuilt by replaying DomainEvents in audit-log order, which
// makes tallies computable "now" and as of any sequence number (SPEC §3). Registration is not an
// event payload: the current roll is given at construction (and replaced with setRoll when a roll
// generation becomes current), because only registered voters' actions carry power.
import type { Bill, BillId } from './bill.js';
import type { DelegateRank, DomainEvent } from './events.js';
import { invariant } from './invariant.js';
import {
  afterRecall, assertNotSelf, assertRankedDefaults, migratedRankedDefaults, nextRankedDefaults,
  repointedRankedDefaults,
} from './ranked-defaults.js';
import type { VoteValue } from './vote.js';
import { isTentativeId, type VoterId } from './voter.js';

// The store and the IVR import the projections from here (one home for delegation rules).
export {
  afterRecall, assertNotSelf, migratedRankedDefaults, nextRankedDefaults, repointedRankedDefaults,
  SelfDelegationError,
} from './ranked-defaults.js';

/** Which voters are registered in the current roll. Tallies count over all of them. */
export interface Roll {
  isRegistered(voter: VoterId): boolean;
  readonly registeredCount: number;
}

export function rollOfVoters(voters: Iterable<VoterId>): Roll {
  const registered = new Set(voters);
  return { isRegistered: (voter) => registered.has(voter), registeredCount: registered.size };
}

/** How a voter reaches a candidate: the bill delegate, or a ranked default delegate. */
export type CandidateKind = 'bill' | DelegateRank;

export interface Candidate {
  readonly delegate: VoterId;
  readonly kind: CandidateKind;
}

export interface DirectVote {
  readonly bill: BillId;
  readonly value: VoteValue;
}

type Delegators = Map<VoterId, Set<VoterId>>;

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set === undefined) map.set(key, new Set([value]));
  else set.add(value);
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set === undefined) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}

export class DemocracyState {
  private currentRoll: Roll;
  private readonly defaults = new Map<VoterId, readonly VoterId[]>();
  private readonly billDelegates = new Map<BillId, Map<VoterId, VoterId>>();
  private readonly votes = new Map<BillId, Map<VoterId, VoteValue>>();
  private readonly billRecords = new Map<BillId, Bill>();
  // Reverse indexes for migration only. Only tentative voters ever migrate, so only delegations
  // that point at tentative ids are indexed: the index stays tiny even with millions of voters.
  private readonly tentativeDelegators: Delegators = new Map();
  private readonly tentativeBillDelegators = new Map<BillId, Delegators>();
  private generation: number | null = null;

  constructor(roll: Roll) {
    this.currentRoll = roll;
    this.assertRoll(roll);
  }

  get registeredCount(): number {
    return this.currentRoll.registeredCount;
  }

  /** Generation of the last `roll` event applied, or null before any. */
  get rollGeneration(): number | null {
    return this.generation;
  }

  isRegistered(voter: VoterId): boolean {
    return this.currentRoll.isRegistered(voter);
  }

  setRoll(roll: Roll): void {
    this.assertRoll(roll);
    this.currentRoll = roll;
  }

  applyEvent(event: DomainEvent): void {
    switch (event.type) {
      case 'delegate':
        this.setDefaults(event.voter,
          nextRankedDefaults(this.rankedDefaults(event.voter), event.delegate, event.rank, event.voter));
        return;
      case 'delegate-bill':
        assertNotSelf(event.voter, event.delegate);
        this.setBillDelegate(event.bill, event.voter, event.delegate);
        return;
      case 'recall':
        this.setDefaults(event.voter, afterRecall(this.rankedDefaults(event.voter), event.delegate));
        return;
      case 'recall-bill':
        this.setBillDelegate(event.bill, event.voter, undefined);
        return;
      case 'vote':
        this.setVote(event.bill, event.voter, event.choice === 'absent' ? undefined : event.choice);
        return;
      case 'bill':
        this.billRecords.set(event.bill.id, event.bill);
        return;
      case 'roll':
        invariant(Number.isSafeInteger(event.generation) && event.generation >= 0, 'bad roll generation');
        this.generation = event.generation;
        return;
      case 'migrate':
        this.migrate(event.from, event.to);
        return;
      default: {
        const unknown: never = event;
        throw new TypeError(`unknown domain event ${JSON.stringify(unknown)}`);
      }
    }
  }

  rankedDefaults(voter: VoterId): readonly VoterId[] {
    return this.defaults.get(voter) ?? [];
  }

  billDelegate(bill: BillId, voter: VoterId): VoterId | undefined {
    return this.billDelegates.get(bill)?.get(voter);
  }

  directVote(bill: BillId, voter: VoterId): VoteValue | undefined {
    return this.votes.get(bill)?.get(voter);
  }

  /**
   * The voter's candidates on `bill` in the order the effective-vote walk tries them: the bill
   * delegate, then ranked defaults 1..3. Raw: registration of the voter and delegates is not
   * checked here, and a bill delegate may also be ranked (the walk tries it once).
   */
  candidates(bill: BillId, voter: VoterId): Candidate[] {
    const result: Candidate[] = [];
    const billDelegate = this.billDelegate(bill, voter);
    if (billDelegate !== undefined) result.push({ delegate: billDelegate, kind: 'bill' });
    this.rankedDefaults(voter).forEach((delegate, index) => {
      result.push({ delegate, kind: (index + 1) as DelegateRank });
    });
    return result;
  }

  /** Every voter's direct votes, bill by bill in the order bills were first voted on. */
  directVotesOf(voter: VoterId): DirectVote[] {
    const result: DirectVote[] = [];
    for (const [bill, billVotes] of this.votes) {
      const value = billVotes.get(voter);
      if (value !== undefined) result.push({ bill, value });
    }
    return result;
  }

  /** Voters with at least one ranked default delegate. */
  defaultsEntries(): IterableIterator<[VoterId, readonly VoterId[]]> {
    return this.defaults.entries();
  }

  billDelegatesOn(bill: BillId): ReadonlyMap<VoterId, VoterId> {
    return this.billDelegates.get(bill) ?? new Map();
  }

  votesOn(bill: BillId): ReadonlyMap<VoterId, VoteValue> {
    return this.votes.get(bill) ?? new Map();
  }

  bills(): ReadonlyMap<BillId, Bill> {
    return this.billRecords;
  }

  private assertRoll(roll: Roll): void {
    invariant(Number.isSafeInteger(roll.registeredCount), 'registered count must be an integer');
    invariant(roll.registeredCount >= 0, 'registered count must not be negative');
  }

  private setDefaults(voter: VoterId, next: readonly VoterId[]): void {
    assertRankedDefaults(next, voter);
    const previous = this.rankedDefaults(voter);
    for (const delegate of previous) {
      if (isTentativeId(delegate)) removeFrom(this.tentativeDelegators, delegate, voter);
    }
    for (const delegate of next) {
      if (isTentativeId(delegate)) addTo(this.tentativeDelegators, delegate, voter);
    }
    if (next.length === 0) this.defaults.delete(voter);
    else this.defaults.set(voter, next);
  }

  private setBillDelegate(bill: BillId, voter: VoterId, delegate: VoterId | undefined): void {
    invariant(delegate !== voter, 'bill delegate is the voter');
    const previous = this.billDelegate(bill, voter);
    if (previous !== undefined && isTentativeId(previous)) {
      const delegators = this.tentativeBillDelegators.get(bill);
      invariant(delegators !== undefined, 'tentative bill delegate not indexed');
      removeFrom(delegators, previous, voter);
    }
    if (delegate !== undefined && isTentativeId(delegate)) {
      const delegators = this.tentativeBillDelegators.get(bill) ?? new Map<VoterId, Set<VoterId>>();
      addTo(delegators, delegate, voter);
      this.tentativeBillDelegators.set(bill, delegators);
    }
    const billMap = this.billDelegates.get(bill) ?? new Map<VoterId, VoterId>();
    if (delegate === undefined) billMap.delete(voter);
    else billMap.set(voter, delegate);
    if (billMap.size > 0) this.billDelegates.set(bill, billMap);
    else this.billDelegates.delete(bill);
  }

  private setVote(bill: BillId, voter: VoterId, value: VoteValue | undefined): void {
    const billVotes = this.votes.get(bill) ?? new Map<VoterId, VoteValue>();
    if (value === undefined) billVotes.delete(voter);
    else billVotes.set(voter, value);
    if (billVotes.size > 0) this.votes.set(bill, billVotes);
    else this.votes.delete(bill);
    invariant(this.directVote(bill, voter) === value, 'vote not stored');
  }

  /**
   * The tentative voter `from` becomes the registered voter `to` (SPEC §1). Delegations that named
   * `from` are re-pointed first, so that `to`'s own list is already clean when the gaps are filled;
   * then each of `from`'s records fills `to`'s only where `to` has none; then `from` is cleared.
   */
  private migrate(from: VoterId, to: VoterId): void {
    invariant(isTentativeId(from), 'only a tentative voter migrates');
    invariant(!isTentativeId(to), 'a tentative voter migrates onto a registered voter');
    this.repointDelegators(from, to);
    this.setDefaults(to, migratedRankedDefaults(this.rankedDefaults(to), this.rankedDefaults(from), to));
    this.setDefaults(from, []);
    for (const bill of [...this.billDelegates.keys()]) {
      const delegate = this.billDelegate(bill, from);
      if (delegate === undefined) continue;
      const fills = this.billDelegate(bill, to) === undefined && delegate !== to;
      if (fills) this.setBillDelegate(bill, to, delegate);
      this.setBillDelegate(bill, from, undefined);
    }
    for (const bill of [...this.votes.keys()]) {
      const value = this.directVote(bill, from);
      if (value === undefined) continue;
      if (this.directVote(bill, to) === undefined) this.setVote(bill, to, value);
      this.setVote(bill, from, undefined);
    }
    invariant(this.rankedDefaults(from).length === 0, 'migrated voter keeps delegates');
    invariant(!this.tentativeDelegators.has(from), 'delegations still name the migrated voter');
  }

  private repointDelegators(from: VoterId, to: VoterId): void {
    for (const voter of [...(this.tentativeDelegators.get(from) ?? [])]) {
      this.setDefaults(voter, repointedRankedDefaults(this.rankedDefaults(voter), from, to, voter));
    }
    for (const [bill, delegators] of [...this.tentativeBillDelegators]) {
      for (const voter of [...(delegators.get(from) ?? [])]) {
        this.setBillDelegate(bill, voter, voter === to ? undefined : to);
      }
      invariant(!delegators.has(from), 'bill delegations still name the migrated voter');
    }
  }
}
