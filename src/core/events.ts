// Domain events: every state change of the democracy is one of these, recorded in the audit log.
// Replaying them in order (see democracy-state.ts) rebuilds the state as of any sequence number.
import type { Bill, BillId } from './bill.js';
import type { VoteChoice } from './vote.js';
import type { VoterId } from './voter.js';

export const maxRankedDelegates = 3;
export type DelegateRank = 1 | 2 | 3;

export type DomainEvent =
  /** Put `delegate` at `rank` of the voter's ranked default delegates (moving it if already ranked). */
  | { type: 'delegate'; voter: VoterId; delegate: VoterId; rank: DelegateRank }
  /** Per-bill delegate, consulted before the ranked defaults for that bill. */
  | { type: 'delegate-bill'; voter: VoterId; bill: BillId; delegate: VoterId }
  /** Remove one ranked default delegate, or all of them when `delegate` is omitted. */
  | { type: 'recall'; voter: VoterId; delegate?: VoterId }
  | { type: 'recall-bill'; voter: VoterId; bill: BillId }
  /** A direct vote; 'absent' removes the direct vote. */
  | { type: 'vote'; voter: VoterId; bill: BillId; choice: VoteChoice }
  | { type: 'bill'; bill: Bill }
  /** A new roll generation became current. */
  | { type: 'roll'; generation: number; voters: number; source: string }
  /** A tentative voter's record moved onto the registered voter `to` (SPEC §1). */
  | { type: 'migrate'; from: VoterId; to: VoterId };

export type DomainEventType = DomainEvent['type'];
