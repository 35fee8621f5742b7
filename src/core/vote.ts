// Vote values. "absent" is not stored: casting it removes one's direct vote (back to delegating).
export const voteValues = ['yes', 'no', 'abstain'] as const;
export type VoteValue = (typeof voteValues)[number];
export type VoteChoice = VoteValue | 'absent';

export function isVoteChoice(value: string): value is VoteChoice {
  return value === 'absent' || (voteValues as readonly string[]).includes(value);
}
