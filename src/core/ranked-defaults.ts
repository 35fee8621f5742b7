// Pure projections of a voter's ranked default delegates: the Redis store computes the new stored
// list from the old one with these, and DemocracyState.applyEvent uses the same functions, so a
// replay of the audit log and the live store can never disagree on the rules.
//
// A ranked list has at most `maxRankedDelegates` entries, no duplicates, never the voter itself,
// and no gaps: rank r is index r - 1.
import { maxRankedDelegates, type DelegateRank } from './events.js';
import { invariant } from './invariant.js';
import type { VoterId } from './voter.js';

/** A voter named themself as delegate: refused (an operating error the IVR reports). */
export class SelfDelegationError extends Error {
  override readonly name = 'SelfDelegationError';

  constructor(readonly voter: VoterId) {
    super(`voter ${voter} cannot delegate to themself`);
  }
}

export function assertNotSelf(voter: VoterId, delegate: VoterId): void {
  invariant(voter.length > 0 && delegate.length > 0, 'voter ids must not be empty');
  if (voter === delegate) throw new SelfDelegationError(voter);
}

/** Asserts the ranked-list invariants (length, no duplicates, no self, no empty ids). */
export function assertRankedDefaults(list: readonly VoterId[], voter: VoterId): void {
  invariant(list.length <= maxRankedDelegates, 'too many ranked delegates');
  invariant(new Set(list).size === list.length, 'duplicate ranked delegate');
  invariant(!list.includes(voter), 'voter ranks themself');
  invariant(list.every((delegate) => delegate.length > 0), 'empty delegate id');
}

/**
 * Puts `delegate` at `rank`: it is removed from wherever it was ranked, inserted at `rank` (those at
 * and below move down one rank), then the list is compacted: a rank beyond the end becomes the last
 * rank (no gaps) and a delegate pushed beyond rank 3 is dropped. Re-ranking thus never loses anyone.
 */
export function nextRankedDefaults(
  current: readonly VoterId[], delegate: VoterId, rank: DelegateRank, voter: VoterId,
): VoterId[] {
  assertNotSelf(voter, delegate);
  assertRankedDefaults(current, voter);
  invariant(Number.isInteger(rank) && rank >= 1 && rank <= maxRankedDelegates, 'rank out of range');
  const others = current.filter((ranked) => ranked !== delegate);
  const index = Math.min(rank - 1, others.length);
  const next = [...others.slice(0, index), delegate, ...others.slice(index)].slice(0, maxRankedDelegates);
  assertRankedDefaults(next, voter);
  invariant(next[index] === delegate, 'delegate not at its compacted rank');
  return next;
}

/** Removes one ranked delegate (a no-op when it is not ranked), or all of them without `delegate`. */
export function afterRecall(current: readonly VoterId[], delegate?: VoterId): VoterId[] {
  invariant(current.length <= maxRankedDelegates, 'too many ranked delegates');
  const next = delegate === undefined ? [] : current.filter((ranked) => ranked !== delegate);
  invariant(next.length >= current.length - 1 || delegate === undefined, 'recall removed too much');
  return next;
}

/**
 * The list of `voter` after the tentative voter `from` migrated onto `to`: `from` is replaced by
 * `to` at its rank, unless that would be self-delegation or a duplicate (then it is dropped and the
 * list compacted).
 */
export function repointedRankedDefaults(
  current: readonly VoterId[], from: VoterId, to: VoterId, voter: VoterId,
): VoterId[] {
  invariant(from !== to, 'migration onto itself');
  invariant(current.length <= maxRankedDelegates, 'too many ranked delegates');
  const next: VoterId[] = [];
  for (const ranked of current) {
    const target = ranked === from ? to : ranked;
    if (target !== voter && !next.includes(target)) next.push(target);
  }
  assertRankedDefaults(next, voter);
  return next;
}

/**
 * The ranked list `to` keeps when the tentative `from` migrates onto it: the registered voter's own
 * list wins; only when it is empty is the tentative list copied (without `to` itself, which would
 * be self-delegation).
 */
export function migratedRankedDefaults(
  toList: readonly VoterId[], fromList: readonly VoterId[], to: VoterId,
): VoterId[] {
  assertRankedDefaults(toList, to);
  invariant(fromList.length <= maxRankedDelegates, 'too many ranked delegates');
  const next = toList.length > 0 ? [...toList] : fromList.filter((ranked) => ranked !== to);
  assertRankedDefaults(next, to);
  return next;
}
