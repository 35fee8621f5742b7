// Yes or no as callers say it. Anything else (including both, "yes no") is not an answer: the
// dialog asks again rather than guess.
import { spokenWords } from './digits.js';

const yesWords = new Set(['yes', 'yeah', 'yep', 'yup', 'yea', 'aye', 'correct', 'right', 'sure', 'affirmative', 'okay',
  'ok', 'absolutely', 'definitely', 'certainly']);
const noWords = new Set(['no', 'nope', 'nah', 'nay', 'wrong', 'incorrect', 'negative']);
/** Words that may surround the answer without changing it ("yes please", "that's right"). */
const neutralWords = new Set(['please', 'that', "that's", 'thats', 'is', 'it', "it's", 'its', 'um', 'uh', 'oh',
  'thank', 'you', 'thanks', 'sir', "ma'am", 'maam', 'i', 'think', 'so', 'very', 'much', 'not']);

export type YesNo = 'yes' | 'no';

export function parseYesNo(text: string): YesNo | null {
  const words = spokenWords(text);
  let answer: YesNo | null = null;
  let negated = false;
  for (const word of words) {
    const said: YesNo | null = yesWords.has(word) ? 'yes' : noWords.has(word) ? 'no' : null;
    if (said === null) {
      if (word === 'not') negated = true;
      else if (!neutralWords.has(word)) return null;
      continue;
    }
    if (answer !== null && answer !== said) return null;
    answer = said;
  }
  // "that's not right" means no; "not wrong" is too clever to trust.
  if (negated) return answer === 'yes' ? 'no' : null;
  return answer;
}
