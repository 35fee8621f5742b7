// Naming a person (SPEC §6 "Naming a person"): on a call that speaks, "Say the name and town of …, or
// say or enter their 10-digit phone number": the voice name path (two-pass recognition, then the
// phonetic matcher against the roll), a spoken phone number (the phone grammar listens to the same
// audio at the same time, see spokenNameOrPhone; its readings of numbers on the roll come first,
// spoken-phone.ts), or a keyed phone. Pound, or the simpler prompt after two failures, offers
// dial-by-name: the surname's letters on the keypad, then a short list.
// Keypad-only calls get phone or dial-by-name, and so do calls on a roll too large for names by voice
// (NAME_VOICE_VOTERS_MAX), which may say the number too, unless that roll is named town first
// (NAME_TOWN_FIRST): the town on its own, read back, then the name among its voters. One voter is returned
// for the verb to confirm; several are told apart by key 1-9.
import { publicName, type RegisteredVoter } from '../core/voter.js';
import { matchKeypadName, matchName, type NameIndex, type NameMatch } from '../speech/matcher/index.js';
import { townTaken } from '../speech/names/city-answer.js';
import { parsePhoneNumber } from '../speech/parse/index.js';
import type { Hypothesis } from '../speech/recognizer.js';
import { distinctLabels, keyedPhone, listIndex, spokenDigits, titleCase, whichOne } from './choices.js';
import type { GrammarChoice } from './listener.js';
import type { IvrSession } from './session.js';
import { interpretSpeech, type SpokenAnswers, type SpokenMeaning } from './spoken-answer.js';
import { numbersOnRoll, spokenPhoneNumber } from './spoken-phone.js';
import { spokenTown } from './spoken-town.js';

/** At most this many voters sharing a phone (or a name) are offered (one key each). */
export const sharedPhoneChoicesMax = 9;

/** The roll's name index in force (RollNameDirectory), for voice names and dial-by-name. */
export interface NameLookup {
  current(): Promise<NameDirectory | null>;
  /** The index if it is built, else null (a large roll's build takes minutes: the keypad is asked meanwhile). */
  currentIfReady?(): Promise<NameDirectory | null>;
}

export interface NameDirectory {
  readonly index: NameIndex;
  /** false: the roll is too large for names by voice (NAME_VOICE_VOTERS_MAX); absent: by voice. */
  readonly byVoice?: boolean;
  /** On a roll too large for names by voice: the town is asked first, then the name within it (NAME_TOWN_FIRST). */
  readonly townFirst?: boolean;
}

type Named =
  | { readonly kind: 'phone'; readonly phone: string }
  | { readonly kind: 'spell' }
  | { readonly kind: 'match'; readonly match: NameMatch };

type TownOrPhone = { readonly kind: 'town'; readonly town: string } | Named;

function keyedAnswer(keys: string): Named | null {
  if (keys === '' || keys === '#') return { kind: 'spell' };
  const phone = keyedPhone(keys);
  return phone === null ? null : { kind: 'phone', phone };
}

/**
 * Whether the dialog offers a spoken name's match: one voter (confirmed next) or a list of several
 * (chosen by key). Not a "list" of one: the matcher found a single voter but too poor a fit to be sure
 * of, and taking it would put that voter up for confirmation anyway, past the matcher's own threshold
 * (on held-out corpus voices most such lone candidates were the wrong voter). The corpus judge asks too.
 */
export function offersSpokenMatch(match: NameMatch): boolean {
  return match.kind === 'one' || (match.kind === 'several' && match.candidates.length > 1);
}

/** What the dialog does with a spoken name: a match it offers is an answer; otherwise it asks again. */
export function spokenName(index: NameIndex, hypotheses: readonly Hypothesis[]): SpokenMeaning<Named> {
  const match = matchName(index, hypotheses);
  if (offersSpokenMatch(match)) return { kind: 'sure', answer: { kind: 'match', match } };
  return { kind: 'none', said: hypotheses[0]?.text ?? '' };
}

/**
 * A name or a phone number, heard by two grammars on the same audio. The phone grammar takes exactly
 * ten digits, so a name rarely completes a path through it, while the name path forces every utterance
 * onto real voters and a spoken number often comes out as some voter's name that the matcher accepts.
 * So a complete ten-digit reading means a number: taken when sure, read back otherwise ("I heard you say
 * 5 1 5, …"), which a caller who said a name simply denies. Only without one is the name path asked.
 * Measured in phone-or-name.test.ts (names first was tried: a third of the numbers became voters).
 */
export function spokenNameOrPhone(index: NameIndex, names: readonly Hypothesis[],
  phones: readonly Hypothesis[]): SpokenMeaning<Named> {
  // The phone readings mean what a spoken phone number means anywhere (readings of one number pooled).
  const phone = interpretSpeech(spokenPhoneNumber, phones);
  if (phone.kind === 'none') return spokenName(index, names);
  const answer: Named = { kind: 'phone', phone: phone.answer };
  return phone.kind === 'sure' ? { kind: 'sure', answer } : { kind: 'unsure', answer, said: phone.said };
}

/**
 * A town or a phone number, heard by two grammars on the same audio (as spokenNameOrPhone): a complete ten-digit
 * reading means a number; otherwise the town, always read back (spokenTown).
 */
export function spokenTownOrPhone(towns: readonly Hypothesis[], phones: readonly Hypothesis[]):
  SpokenMeaning<TownOrPhone> {
  const phone = interpretSpeech(spokenPhoneNumber, phones);
  if (phone.kind !== 'none') {
    const answer: TownOrPhone = { kind: 'phone', phone: phone.answer };
    return phone.kind === 'sure' ? { kind: 'sure', answer } : { kind: 'unsure', answer, said: phone.said };
  }
  const town = interpretSpeech(spokenTown, towns);
  if (town.kind === 'none') return town;
  const answer: TownOrPhone = { kind: 'town', town: town.answer };
  if (town.kind === 'sure') return { kind: 'sure', answer };
  const runnerUp = town.runnerUp === undefined ? {}
    : { runnerUp: { answer: { kind: 'town', town: town.runnerUp.answer } as const, said: town.runnerUp.said } };
  return { kind: 'unsure', answer, said: town.said, ...runnerUp };
}

export async function pickVoter(session: IvrSession, whose: string): Promise<RegisteredVoter | null> {
  const names = session.services.names;
  const directory = names === undefined ? null : await (names.currentIfReady?.() ?? names.current());
  if (directory === null) return pickVoterByPhone(session, whose);
  const { index } = directory;
  const byVoice = directory.byVoice !== false;
  if (session.speaks && !byVoice && directory.townFirst === true) return pickVoterTownFirst(session, whose, index);
  const named = await session.ask<Named>(session.speaks && byVoice ? {
    prompt: `Say the name and town of ${whose}, or say or enter their 10-digit phone number.`,
    long: `Say the first and last name and the town of ${whose}, for example: Mary Smith of Ames. `
      + 'Or say their 10-digit phone number, or enter it on your keypad.',
    simpler: 'Enter their 10-digit phone number, or press pound to spell their last name on the keypad.',
    maxKeys: 10, terminators: '#', accept: keyedAnswer,
    speech: { context: 'name', alongside: { context: 'phone' }, interpret: () => null,
      interpretAll: (names, phones) => spokenNameOrPhone(index, names, phones),
      narrow: numbersOnRoll(session.context.roll, 'alongside') },
  } : session.speaks ? {
    // The roll is too large for names by voice: a spoken or keyed phone number, or the surname's letters.
    prompt: `Say or enter the 10-digit phone number of ${whose}, or press pound to spell their last name.`,
    long: `Say or enter the 10-digit phone number of ${whose}, area code first. `
      + 'Or press pound to spell their last name on the keypad.',
    simpler: 'Enter their 10-digit phone number, or press pound to spell their last name on the keypad.',
    maxKeys: 10, terminators: '#', accept: keyedAnswer,
    speech: { ...spokenPhoneAnswer, narrow: numbersOnRoll(session.context.roll, 'hypotheses') },
  } : {
    prompt: `Enter the 10-digit phone number of ${whose}, or press pound to spell their last name.`,
    long: `Enter the 10-digit phone number of ${whose}, area code first, on your keypad. `
      + 'Or press pound to spell their last name on the keypad.',
    simpler: 'Enter ten digits: the area code, then the number. Or press pound to spell the last name.',
    maxKeys: 10, terminators: '#', accept: keyedAnswer,
  });
  if (named.kind === 'phone') return votersOfPhone(session, named.phone);
  const match = named.kind === 'match' ? named.match : await dialByName(session, index);
  return resolveMatch(session, match);
}

/**
 * A roll too large to hear "first last of town" in one answer (NAME_TOWN_FIRST): the town (or a phone number,
 * or pound for dial-by-name), read back for a yes, then the name alone, heard among that town's voters only.
 */
async function pickVoterTownFirst(session: IvrSession, whose: string, index: NameIndex):
  Promise<RegisteredVoter | null> {
  const first = await session.ask<TownOrPhone>({
    prompt: `Say the town of ${whose}, or say or enter their 10-digit phone number.`,
    long: `Say the town or city where ${whose} is registered, for example: Ames. `
      + 'Or say their 10-digit phone number, or enter it on your keypad. Or press pound to spell their last name.',
    simpler: 'Enter their 10-digit phone number, or press pound to spell their last name on the keypad.',
    maxKeys: 10, terminators: '#', accept: keyedAnswer,
    speech: { context: 'city', alongside: { context: 'phone' }, interpret: () => null,
      interpretAll: spokenTownOrPhone, narrow: numbersOnRoll(session.context.roll, 'alongside'),
      // The town's name grammars are built and compiled while the town is read back.
      nextSpeech: (answer) => (answer.kind === 'town' ? nameWithinTown(answer.town) : null) },
  });
  if (first.kind === 'phone') return votersOfPhone(session, first.phone);
  if (first.kind === 'spell') return resolveMatch(session, await dialByName(session, index));
  if (first.kind === 'match') return resolveMatch(session, first.match);
  const town = titleCase(first.town.replace(/-/g, ' '));
  const named = await session.ask<Named>({
    prompt: `Say the first and last name of ${whose} in ${town}.`,
    long: `Say the first and last name of ${whose}, who is registered in ${town}, for example: Mary Smith. `
      + 'Or enter their 10-digit phone number, or press pound to spell their last name on the keypad.',
    simpler: 'Enter their 10-digit phone number, or press pound to spell their last name on the keypad.',
    maxKeys: 10, terminators: '#', accept: keyedAnswer,
    speech: { ...nameWithinTown(first.town), interpret: () => null, interpretAll: (heard) => spokenName(index, heard) },
  });
  if (named.kind === 'phone') return votersOfPhone(session, named.phone);
  return resolveMatch(session, named.kind === 'match' ? named.match : await dialByName(session, index));
}

/** The name said alone, heard among the voters of the town (slug) the caller gave. */
function nameWithinTown(town: string): GrammarChoice {
  return { context: 'name', cityHeard: townTaken(town) };
}

/** Dial-by-name: the surname's first letters on the keypad (2 = a b c … 9 = w x y z). */
async function dialByName(session: IvrSession, index: NameIndex): Promise<NameMatch> {
  const digits = await session.ask({
    prompt: 'Spell the last name on your keypad, one key per letter, then press pound.',
    long: 'Spell the last name on your keypad, one key per letter: 2 for A B C, 3 for D E F, and so on. '
      + 'Then press pound.',
    maxKeys: 12, terminators: '#',
    accept: (keys) => {
      const letters = keys.replace(/#$/, '');
      return /^[2-9]{1,12}$/.test(letters) ? letters : null;
    },
  });
  return matchKeypadName(index, digits, { candidatesMax: sharedPhoneChoicesMax });
}

async function resolveMatch(session: IvrSession, match: NameMatch): Promise<RegisteredVoter | null> {
  if (match.kind === 'none') {
    await session.say(match.reason === 'too-many'
      ? 'Too many voters have that name. Please use their phone number.'
      : 'I found no registered voter by that name.');
    return null;
  }
  const ids = match.kind === 'one' ? [match.voter.id]
    : match.candidates.slice(0, sharedPhoneChoicesMax).map((candidate) => candidate.voter.id);
  const found = await session.context.roll.getVoters(ids);
  const voters = found.filter((voter): voter is RegisteredVoter => voter !== null);
  if (voters.length === 0) {
    await session.say('I found no registered voter by that name.');
    return null;
  }
  if (voters.length === 1) return voters[0] ?? null;
  return chooseAmong(session, voters, 'I found several voters.', publicName);
}

/** A spoken phone number as the answer to "name a person" when names are not asked by voice. */
const spokenPhoneAnswer: SpokenAnswers<Named> = {
  context: 'phone',
  interpret: (text) => {
    const phone = parsePhoneNumber(text);
    return phone === null ? null : { kind: 'phone', phone };
  },
  describe: (named) => (named.kind === 'phone' ? spokenDigits(named.phone) : ''),
};

/** "Enter" on the keypad; "Say or enter" when the call speaks. */
export function sayOrEnter(session: IvrSession): string {
  return session.speaks ? 'Say or enter' : 'Enter';
}

export async function pickVoterByPhone(session: IvrSession, whose: string): Promise<RegisteredVoter | null> {
  const phone = await session.ask({
    prompt: `${sayOrEnter(session)} the 10-digit phone number of ${whose}.`,
    long: session.speaks ? `Say or enter the 10-digit phone number of ${whose}, area code first.`
      : `Enter the 10-digit phone number of ${whose}, area code first, on your keypad.`,
    simpler: 'Enter ten digits: the area code, then the number.', maxKeys: 10,
    accept: keyedPhone, speech: { ...spokenPhoneNumber, narrow: numbersOnRoll(session.context.roll, 'hypotheses') },
  });
  return votersOfPhone(session, phone);
}

async function votersOfPhone(session: IvrSession, phone: string): Promise<RegisteredVoter | null> {
  const voters = (await session.context.roll.votersByPhone(phone)).slice(0, sharedPhoneChoicesMax);
  if (voters.length === 0) {
    await session.say(`I found no registered voter with the phone number ${spokenDigits(phone)}.`);
    return null;
  }
  if (voters.length === 1) return voters[0] ?? null;
  return chooseAmong(session, voters, 'Several voters share that phone.');
}

export async function chooseAmong(
  session: IvrSession, voters: readonly RegisteredVoter[], preface: string,
  label: (voter: RegisteredVoter) => string = (voter) => titleCase(voter.name.first.toLowerCase()),
): Promise<RegisteredVoter> {
  const names = distinctLabels(voters, voters.map(label));
  const index = await session.ask({
    prompt: `${preface} ${whichOne(names)}`, maxKeys: 1, accept: (keys) => listIndex(keys, voters.length),
  });
  const voter = voters[index];
  if (voter === undefined) throw new RangeError('listIndex returned an index outside the list');
  return voter;
}
