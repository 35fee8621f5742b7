// The bill question's grammar at run time (SPEC §6 vote: "bill by number or title keywords"): the
// committed bill-number grammar (grammars/bill.gram) plus, for each of this week's bills, its salient
// title words. A caller says "farm credit", "the rural broadband act" or "H R 1 2 3 4". Each bill's words
// form their own rule, so one reading draws its words from one title (two titles' words do not mix
// into a phrase no bill has). Rebuilt whenever the list changes: the grammar key is a hash of the bills.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lexicon, Pronunciation } from '../lexicon/lexicon.js';
import { jsgfWords, type GrammarDefinition } from './grammar-definition.js';
import { grammarsDir } from './static-grammars.js';

export interface TitledBill {
  readonly id: string;
  readonly title: string;
}

/**
 * Words of a title that say nothing about which bill it is: function words and the boilerplate of
 * legislative titles ("To amend title 38, United States Code, to …", "Providing for consideration of …").
 */
const titleStopWords: ReadonlySet<string> = new Set([
  'a', 'about', 'all', 'also', 'an', 'and', 'any', 'are', 'as', 'at', 'be', 'by', 'for', 'from', 'has', 'have',
  'in', 'into', 'is', 'it', 'its', 'not', 'of', 'on', 'or', 'other', 'such', 'than', 'that', 'the', 'their',
  'these', 'this', 'those', 'through', 'to', 'under', 'upon', 'was', 'were', 'which', 'who', 'with', 'within',
  'act', 'acts', 'amend', 'amended', 'amending', 'amendment', 'amendments', 'bill', 'bills', 'certain', 'code',
  'concerning', 'consideration', 'further', 'joint', 'concurrent', 'provide', 'provides', 'providing', 'purposes',
  'regarding', 'relating', 'resolution', 'section', 'sections', 'states', 'title', 'united', 'year', 'years',
]);

/** Shorter words are too easily heard in noise and rarely name a bill ("go", "us"). */
const keywordLettersMin = 3;
/** Words a reading may take from one title (callers say two or three). */
export const keywordsPerReadingMax = 4;
/** Said around the keywords without naming a bill. */
const leadWords = ['the'];
const tailWords = ['act', 'bill', 'resolution'];

/** A title's salient words, lower case, in order, each once. */
export function titleKeywords(title: string): string[] {
  const words = title.toLowerCase().replace(/['’]s\b/g, '').split(/[^a-z]+/)
    .filter((word) => word.length >= keywordLettersMin && !titleStopWords.has(word));
  return [...new Set(words)];
}

/** Every word the grammar for `bills` may need a pronunciation of (title keywords and the words around them). */
export function billGrammarWords(bills: readonly TitledBill[]): string[] {
  return [...new Set([...bills.flatMap((bill) => titleKeywords(bill.title)), ...leadWords, ...tailWords])];
}

/** Grammar key of a bill list: equal lists, equal keys; any change to an id or title, a new key. */
export function billGrammarKey(bills: readonly TitledBill[]): string {
  const hash = createHash('sha256');
  for (const bill of bills) hash.update(`${bill.id}\u0000${bill.title}\u0000`);
  return `week-${hash.digest('hex').slice(0, 16)}`;
}

function pronunciationsOf(words: Iterable<string>, lexicon: Lexicon): Map<string, readonly Pronunciation[]> {
  const known = new Map<string, readonly Pronunciation[]>();
  for (const word of words) {
    const found = lexicon.pronunciations(word);
    if (found.length > 0) known.set(word, found);
  }
  return known;
}

/**
 * The committed bill grammar with this week's title words. Words no lexicon can say are left out (a
 * bill whose words are all unsayable keeps its number); `unpronounceable` lists them.
 */
export function buildBillGrammar(bills: readonly TitledBill[], lexicon: Lexicon,
  billGrammarPath: string = join(grammarsDir(), 'bill.gram')): { grammar: GrammarDefinition; unpronounceable: string[] } {
  const committed = readFileSync(billGrammarPath, 'utf8');
  const publicRule = /public <bill> = /;
  if (!publicRule.test(committed)) throw new Error(`${billGrammarPath} has no "public <bill> = " rule to extend`);
  const keywordsOf = bills.map((bill) => titleKeywords(bill.title));
  const pronunciations = pronunciationsOf(new Set([...keywordsOf.flat(), ...leadWords, ...tailWords]), lexicon);
  const unpronounceable = [...new Set(keywordsOf.flat())].filter((word) => !pronunciations.has(word)).sort();
  // A word the decoder cannot say makes the whole grammar fail to compile: only sayable words go in.
  const optionalGroup = (words: readonly string[]): string => {
    const sayable = words.filter((word) => pronunciations.has(word));
    return sayable.length === 0 ? '' : `[${sayable.join(' | ')}]`;
  };
  const rules: string[] = [];
  keywordsOf.forEach((keywords, index) => {
    const sayable = keywords.filter((word) => pronunciations.has(word));
    if (sayable.length === 0) return;
    const word = `<title_${index}_word>`;
    const optional = Array.from({ length: keywordsPerReadingMax - 1 }, () => `[${word}]`).join(' ');
    rules.push(`${word} = ${sayable.join(' | ')};`,
      `<title_${index}> = ${[optionalGroup(leadWords), word, optional, optionalGroup(tailWords)].filter(Boolean).join(' ')};`);
  });
  const titles = rules.length / 2;
  const titleRefs = keywordsOf.map((_keywords, index) => `<title_${index}>`)
    .filter((ref) => rules.some((rule) => rule.startsWith(`${ref} =`)));
  const source = titles === 0 ? committed
    : `${committed.replace(publicRule, 'public <bill> = <by_title> | ')}\n<by_title> = ${titleRefs.join(' | ')};\n`
      + `${rules.join('\n')}\n`;
  const words = jsgfWords(source);
  // Words of the committed grammar are in the decoder's dictionary already; title words may not be.
  const used = new Map([...pronunciations].filter(([word]) => words.includes(word)));
  return { grammar: { context: 'bill', grammarKey: billGrammarKey(bills), format: 'jsgf', source,
    pronunciations: used, words }, unpronounceable };
}
