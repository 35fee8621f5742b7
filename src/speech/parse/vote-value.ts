// A vote as said on the phone: yes, no, abstain, or absent (take back a vote and let delegation apply).
import type { VoteChoice } from '../../core/vote.js';
import { spokenWords } from './digits.js';

const phrases: readonly (readonly [VoteChoice, readonly string[]])[] = [
  ['yes', ['yes', 'yea', 'yeah', 'aye', 'i vote yes', 'vote yes', 'in favor', 'for']],
  ['no', ['no', 'nay', 'nope', 'i vote no', 'vote no', 'against', 'opposed']],
  ['abstain', ['abstain', 'i abstain', 'abstaining', 'i am abstaining', 'abstention', 'present', 'vote present']],
  // "Not voting" is the House's own word in its roll calls for a member who cast none.
  ['absent', ['absent', 'no vote', 'not voting', 'none', 'clear', 'clear my vote', 'withdraw', 'withdraw my vote',
    'take it back', 'let my delegate vote', 'delegate']],
];
const lookup = new Map<string, VoteChoice>(phrases.flatMap(([choice, said]) => said.map((text) => [text, choice])));

export function parseVoteValue(text: string): VoteChoice | null {
  const words = spokenWords(text).filter((word) => word !== 'please' && word !== 'um' && word !== 'uh');
  return lookup.get(words.join(' ')) ?? null;
}
