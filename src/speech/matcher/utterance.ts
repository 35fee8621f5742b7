// What a caller said when naming a person, split into its parts: "delegate jim smith of ames",
// "mary ann smith jones in story county", "john doe on main street in story county", "d o e from 50010".
// The parts are still words; the matcher decides which roll names they sound like.
import { parseDigitWords } from '../parse/digits.js';
import { joinSpelledLetters, plainLetters } from '../../core/plain-letters.js';
import { heardSuffixWords, ordinalSuffixWords, suffixKey } from '../lexicon/name-suffixes.js';

export interface NameUtterance {
  /** The name's words in order, spelled letters joined ("d o e" → "doe"), hyphens split. */
  readonly nameWords: readonly string[];
  readonly place?: string;
  readonly county?: string;
  readonly zip?: string;
  /** Street words, normalised to the roll's abbreviations ("main st"). */
  readonly street?: string;
  /** A suffix said after the name, as suffixKey gives it ("junior", "the third"). */
  readonly suffix?: string;
}

/** Words before the name that only carry the command ("delegate to", "i want"). */
const leadingFillers = new Set(['delegate', 'delegates', 'to', 'i', 'want', 'would', 'like', 'please', 'um', 'uh',
  'my', 'vote', 'name', 'is', 'it', "it's", 'its', 'the', 'voter', 'call', 'find', 'for', 'person']);
const placeWords = new Set(['of', 'in', 'from', 'at', 'near']);
const streetWords = new Set(['on']);
/** The place words a reading cut short ends in. */
const cutShortEnds = new Set(['of', 'in']);
/** A street's type, said in full, and the roll's abbreviation of it. */
const streetTypeAbbreviations: Readonly<Record<string, string>> = {
  street: 'st', avenue: 'ave', drive: 'dr', road: 'rd', lane: 'ln', court: 'ct', place: 'pl', boulevard: 'blvd',
  circle: 'cir', way: 'way', terrace: 'ter', parkway: 'pkwy',
};
const streetAbbreviations: Readonly<Record<string, string>> = {
  ...streetTypeAbbreviations, north: 'n', south: 's', east: 'e', west: 'w',
  northeast: 'ne', northwest: 'nw', southeast: 'se', southwest: 'sw', first: '1st', second: '2nd', third: '3rd',
  fourth: '4th', fifth: '5th', sixth: '6th', seventh: '7th', eighth: '8th', ninth: '9th', tenth: '10th',
};

/** The words that make "on …" a street: a type in full or abbreviated, and highways and trails (kept as said). */
const streetTypes = new Set([...Object.entries(streetTypeAbbreviations).flat(), 'highway', 'hwy', 'trail', 'trl']);

function splitLocation(words: readonly string[]): Omit<NameUtterance, 'nameWords'> {
  const location: { place?: string; county?: string; zip?: string; street?: string } = {};
  let rest = [...words];
  const countyAt = rest.lastIndexOf('county');
  if (countyAt > 0) {
    const before = rest.slice(0, countyAt);
    const start = Math.max(before.lastIndexOf('in'), before.lastIndexOf('of'), before.lastIndexOf('from')) + 1;
    location.county = before.slice(start).join(' ');
    rest = before.slice(0, Math.max(0, start - 1));
  }
  const streetAt = rest.indexOf('on');
  if (streetAt >= 0) {
    const end = rest.findIndex((word, index) => index > streetAt && placeWords.has(word));
    const street = rest.slice(streetAt + 1, end === -1 ? undefined : end);
    location.street = street.map((word) => streetAbbreviations[word] ?? word).join(' ');
    rest = end === -1 ? rest.slice(0, streetAt) : [...rest.slice(0, streetAt), ...rest.slice(end)];
  }
  const placeAt = rest.findIndex((word) => placeWords.has(word));
  const placeText = placeAt === -1 ? [] : rest.slice(placeAt + 1).filter((word) => !placeWords.has(word));
  const zip = parseDigitWords(placeText);
  if (zip !== null && zip.length === 5) location.zip = zip;
  else if (placeText.length > 0) location.place = placeText.join(' ');
  return location;
}

export function parseNameUtterance(text: string): NameUtterance {
  const words = utteranceWords(text);
  return parseWords(words.slice(leadingFillerCount(words)));
}

/** The name and location of words already split and stripped: the location from the first place word. */
function parseWords(words: readonly string[]): NameUtterance {
  // The location starts at the first place word or "on <street>" after the name's first word.
  return parsedAt(words, words.findIndex((word, index) => index > 0 && isLocationWord(word)));
}

/**
 * parseNameUtterance's parse first, then the others the matcher reads as well, so the voter whose whole name
 * was said is found:
 * - the location starting at each later place word in turn: a name may hold one (Hyoung-In Pineda of Waterloo
 *   is said "hyoung in pineda of waterloo", Nicholas Near of Ankeny "nicholas near of ankeny", Sarah On
 *   Develbiss "sarah on develbiss of waterloo"), or end it when nothing follows ("mark at" for Mark At). A street
 *   ("on main street in ames") is never read as part of a name;
 * - the words before the name kept when they may be the name's own ("my chi hayden": the given name My-Chi, or
 *   My, not "my" before a name), from the last one stripped back.
 * An utterance with one place word and no such leading word has only the first, and costs the matcher nothing more.
 */
export function nameParses(text: string): NameUtterance[] {
  const whole = utteranceWords(text);
  const stripped = leadingFillerCount(whole);
  const words = whole.slice(stripped);
  const parses = [parseWords(words), ...laterLocations(words)];
  for (let kept = stripped - 1; kept >= 0; kept -= 1) parses.push(parseWords(whole.slice(kept)));
  return parses;
}

function laterLocations(words: readonly string[]): NameUtterance[] {
  const first = words.findIndex((word, index) => index > 0 && isLocationWord(word));
  if (first === -1) return [];
  // A first "on" may be the name's own too (a middle name On: "sarah on develbiss of waterloo", or with no
  // place said, "sarah on develbiss") unless a street's type follows it ("on main street"); the street parse
  // stays first either way.
  const firstIsOn = streetWords.has(words[first] as string);
  if (firstIsOn && saysStreetType(words.slice(first + 1))) return [];
  const parses: NameUtterance[] = [];
  for (let index = first + 1; index < words.length; index += 1) {
    const word = words[index] as string;
    if (streetWords.has(word)) break;
    if (placeWords.has(word)) parses.push(parsedAt(words, index));
  }
  // The name may run to the end: through a first "on" with no place after it ("dara on mcclure"), or up to a
  // place word said last, which names no place (Mark At, Gautambhai Near, said with no town). Not "of" or "in":
  // those end the recognizer's readings cut short ("mary jones of"), never a name the roll is likely to have.
  const placeAfter = words.slice(first + 1).some(isLocationWord);
  const last = words[words.length - 1] as string;
  if ((firstIsOn && !placeAfter) || (placeWords.has(last) && !cutShortEnds.has(last))) parses.push(parsedAt(words, -1));
  return parses;
}

/** Whether the words after "on", up to a place word, name a street's type ("main street", "oak ave"). */
function saysStreetType(words: readonly string[]): boolean {
  for (const word of words) {
    if (placeWords.has(word)) return false;
    if (streetTypes.has(word)) return true;
  }
  return false;
}

function utteranceWords(text: string): string[] {
  return plainLetters(text).replace(/[^a-z0-9' -]/g, ' ').split(/[\s]+/).filter((word) => word.length > 0);
}

/** How many words lead the name only ("delegate", "i want"), always leaving one. */
function leadingFillerCount(words: readonly string[]): number {
  let count = 0;
  while (count < words.length - 1 && leadingFillers.has(words[count] as string)) count += 1;
  return count;
}

function isLocationWord(word: string): boolean {
  return placeWords.has(word) || streetWords.has(word);
}

/** The name before `locationAt` (-1: no location), the location from it. */
function parsedAt(words: readonly string[], locationAt: number): NameUtterance {
  const nameText = locationAt === -1 ? words : words.slice(0, locationAt);
  const location = locationAt === -1 ? {} : splitLocation(words.slice(locationAt));
  const nameWords = joinSpelledLetters(nameText.flatMap((word) => word.split('-')))
    .filter((word) => word.length > 0 && !/^\d+$/.test(word));
  // The suffix said last is the one kept ("smith junior" and the rare "smith the third junior" alike).
  let suffix = '';
  while (nameWords.length > 1 && heardSuffixWords.has(nameWords[nameWords.length - 1] as string)) {
    const word = nameWords.pop() as string;
    if (suffix === '') suffix = suffixKey(word);
    if (ordinalSuffixWords.has(word) && nameWords.length > 1 && nameWords[nameWords.length - 1] === 'the') nameWords.pop();
  }
  return { nameWords, ...location, ...(suffix === '' ? {} : { suffix }) };
}
