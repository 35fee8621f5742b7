// What the corpus says in each grammar context, with the value the runner must get back. Names come
// from the roll: voters whose "first last of city" is unique there (an ambiguous name has no single
// right answer), split into names used for tuning and held-out names never used for tuning.
import type { RegisteredVoter } from '../../core/voter.js';
import { type Prng, shuffled } from '../../roll/prng.js';
import { spokenSuffix } from '../lexicon/name-suffixes.js';
import { saidTown } from '../lexicon/town-abbreviations.js';
import type { GrammarContext, StaticGrammarContext } from '../recognizer.js';
import { amountWords, digitWords, numberWords, spelledLetters } from './spoken.js';

export interface Utterance {
  context: GrammarContext;
  /** What the TTS voice is given. */
  text: string;
  /** REGN_NUM for names, the normalized value otherwise (see test-audio/README.md). */
  expected: string;
  /** For names: the name without its town, and the town, for a corpus that says them apart (--town-first). */
  nameAlone?: string;
  town?: string;
}

export const spokenCommands = ['help', 'menu', 'money', 'politics', 'delegate', 'vote', 'audit', 'recall',
  'register', 'tell me about', 'numbers', 'me'] as const;

const yesNoSayings: ReadonlyArray<[string, string]> = [
  ['yes', 'yes'], ['no', 'no'], ['yeah', 'yes'], ['nope', 'no'], ['yes please', 'yes'], ['no thank you', 'no'],
  ['correct', 'yes'], ['that is right', 'yes'],
];
const voteValues = ['yes', 'no', 'abstain', 'absent'] as const;

function pick<T>(items: readonly T[], prng: Prng): T {
  const item = items[prng.int(items.length)];
  if (item === undefined) throw new RangeError('pick from an empty list');
  return item;
}

function randomDigits(count: number, prng: Prng): string {
  let digits = '';
  for (let i = 0; i < count; i++) digits += String(prng.int(10));
  return digits;
}

/** Voters whose spoken "first last of city" names exactly one voter of the roll, shuffled. */
export function uniquelyNamedVoters(voters: readonly RegisteredVoter[], prng: Prng): RegisteredVoter[] {
  const counts = new Map<string, number>();
  const key = (voter: RegisteredVoter): string => `${voter.name.first}|${voter.name.last}|${voter.city}`;
  for (const voter of voters) counts.set(key(voter), (counts.get(key(voter)) ?? 0) + 1);
  const unique = voters.filter((voter) => counts.get(key(voter)) === 1 && voter.city.length > 0
    && /^[a-z][a-z' -]*$/.test(`${voter.name.first}${voter.name.last}`));
  return shuffled(unique, prng);
}

/** The voter's name said, with `saidFirst` for the roll's first name when given (a short form: "bob" for Robert). */
export function nameUtterance(voter: RegisteredVoter, prng: Prng, saidFirst?: string): Utterance {
  const { middle, last } = voter.name;
  const first = saidFirst ?? voter.name.first;
  const roll = prng.float();
  const withMiddle = roll < 0.2 && middle.length > 1;
  const preposition = roll > 0.85 ? 'in' : 'of';
  // A voter with a suffix on the roll has it said about half the time ("john smith junior"), as callers do; from
  // the same draw, so the other voters' utterances stay as they were for a given seed.
  const suffix = spokenSuffix(voter.name.suffix);
  const withSuffix = suffix.length > 0 && roll >= 0.2 && roll < 0.6;
  const nameAlone = `${first}${withMiddle ? ` ${middle}` : ''} ${last}${withSuffix ? ` ${suffix.join(' ')}` : ''}`;
  // Towns as callers say them ("fort madison" for the roll's "ft madison"), not as the roll spells them.
  const town = saidTown(voter.city);
  return { context: 'name', text: `${nameAlone} ${preposition} ${town}`, expected: voter.id, nameAlone, town };
}

/**
 * Which short form of the voter's first name (nicknames.csv) a caller could say and still name only this voter:
 * no other voter of the town with the same surname has that name or that short form ([] when none does).
 */
export function sayableShortForms(voter: RegisteredVoter, sameSurnameInTown: readonly RegisteredVoter[],
  shortFormsOf: (first: string) => readonly string[]): string[] {
  const others = sameSurnameInTown.filter((other) => other.id !== voter.id);
  const taken = new Set(others.flatMap((other) => [other.name.first, ...shortFormsOf(other.name.first)]));
  return shortFormsOf(voter.name.first).filter((form) => /^[a-z]+$/.test(form) && !taken.has(form));
}

/** A town said on its own (context 'city'), sometimes after "in". */
export function townUtterance(voter: RegisteredVoter, prng: Prng): Utterance {
  const town = saidTown(voter.city);
  const text = prng.chance(0.2) ? `in ${town}` : town;
  return { context: 'city', text, expected: voter.city };
}

function billUtterance(prng: Prng): Utterance {
  if (prng.chance(0.7)) {
    const number = 1 + prng.int(9999);
    return { context: 'bill', text: `H R ${digitWords(String(number))}`, expected: `hr${number}` };
  }
  const number = 1 + prng.int(999);
  return { context: 'bill', text: `house resolution ${numberWords(number)}`, expected: `hres${number}` };
}

function amountUtterance(prng: Prng): Utterance {
  const dollars = pick([0, 1, 2, 5, 10, 12, 20, 25, 40, 50, 75, 100, 105, 250, 1000, 1500], prng);
  const cents = prng.chance(0.5) ? 0 : pick([1, 5, 10, 25, 50, 75, 99], prng);
  const total = dollars * 100 + cents === 0 ? 50 : dollars * 100 + cents;
  return { context: 'amount', text: amountWords(total), expected: String(total) };
}

/** One utterance of a non-name context; `voters` gives real surnames to spell. */
export function contextUtterance(context: StaticGrammarContext, voters: readonly RegisteredVoter[],
  prng: Prng): Utterance {
  switch (context) {
    case 'command': {
      const command = pick(spokenCommands, prng);
      return { context, text: command, expected: command };
    }
    case 'yesno': {
      const [text, expected] = pick(yesNoSayings, prng);
      return { context, text, expected };
    }
    case 'vote': {
      const value = pick(voteValues, prng);
      return { context, text: value, expected: value };
    }
    case 'bill': return billUtterance(prng);
    case 'amount': return amountUtterance(prng);
    case 'digits': {
      const digits = randomDigits(3 + prng.int(4), prng);
      return { context, text: digitWords(digits), expected: digits };
    }
    case 'phone': {
      const phone = `${pick(['515', '319', '563', '641', '712'], prng)}${2 + prng.int(8)}${randomDigits(6, prng)}`;
      const spoken = `${digitWords(phone.slice(0, 3))}, ${digitWords(phone.slice(3, 6))}, ${digitWords(phone.slice(6))}`;
      return { context, text: spoken, expected: phone };
    }
    case 'spelled': {
      const surname = pick(voters, prng).name.last.replace(/[^a-z]/g, '');
      return { context, text: spelledLetters(surname), expected: surname };
    }
  }
}
