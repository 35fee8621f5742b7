// A phone number said digit by digit, and what the roll tells about its readings. A person named by phone
// (a delegate, a voter to audit) is a registered voter, so a reading whose number is on the roll outweighs
// likelier readings of numbers nobody is registered with: the engine's digits are often one off (nine/five,
// eight/six), and the right number is then often among the other readings. The caller confirms the voter by
// name afterwards, so a wrong neighbour costs a "no". Money keeps the number as heard: it may go to a phone
// not yet on the roll (money-transfer.ts).
// Measured with bench/phone-on-roll.ts on generated corpora (make-corpus --names 0 --per-context 130
// --contexts phone), each number put among the phones of a generated sample roll of 3,000 / 550,000 /
// 2,200,000 voters; right / wrong number taken. Tuning voices (seeds 131 and 132, 156 numbers; the rule and
// its floor chosen here): as heard 21 / 23; on the roll first 65 / 15, 65 / 15, 64 / 18. Held-out voices, once
// after deciding (seed 133, 52 numbers): as heard 7 / 6; on the roll first 25 / 1, 25 / 1, 25 / 2. (Phone numbers
// were decoded with the shipped model then; with the telephone transform since, context-mllr.ts has the figures.)
import { parsePhoneNumber } from '../speech/parse/index.js';
import type { Hypothesis } from '../speech/recognizer.js';
import { spokenDigits } from './choices.js';
import { shareOutAmong } from './share-out.js';
import { interpretSpeech, type HeardReadings, type SpokenAnswers } from './spoken-answer.js';

/** A phone number said digit by digit (the phone grammar); an unsure one is read back as digits. */
export const spokenPhoneNumber: SpokenAnswers<string> = {
  context: 'phone', interpret: (text) => parsePhoneNumber(text), describe: (phone) => spokenDigits(phone),
};

/**
 * Below this share of the N-best's confidence the readings of numbers on the roll are not preferred: what the
 * engine barely considered does not become a voter because the roll happens to hold it (a name said, heard by
 * the phone grammar alongside). On the 156 numbers above it passes over 1 of the 66 right voters.
 */
export const onRollConfidenceMin = 0.05;

/**
 * The readings a naming question weighs, given which of their numbers are on the roll: a sure number stands
 * as heard (on the roll or not: "no voter has that number" is then the right answer), and so do readings of
 * which none is on the roll (or too few, onRollConfidenceMin); otherwise only the readings of numbers on the
 * roll, their confidences shared out again among themselves (the N-best's belief, given that the number is a
 * voter's).
 */
export function preferNumbersOnRoll(readings: readonly Hypothesis[], onRoll: Pick<ReadonlySet<string>, 'has'>):
  readonly Hypothesis[] {
  if (interpretSpeech(spokenPhoneNumber, readings).kind === 'sure') return readings;
  return shareOutAmong(readings, readings.filter((reading) => onRoll.has(parsePhoneNumber(reading.text) ?? '')),
    onRollConfidenceMin);
}

/** The roll lookup preferNumbersOnRoll needs (RollStore.phonesOnRoll). */
export interface PhonesOnRoll {
  phonesOnRoll(phones: readonly string[]): Promise<Set<string>>;
}

/**
 * SpokenAnswers.narrow for a question whose phone readings (its own, or the `alongside` grammar's) name a
 * voter: one roll lookup for every number read, then preferNumbersOnRoll.
 */
export function numbersOnRoll(roll: PhonesOnRoll, readingsIn: keyof HeardReadings):
  (heard: HeardReadings) => Promise<HeardReadings> {
  return async (heard) => {
    const readings = heard[readingsIn];
    const phones = readings.map((reading) => parsePhoneNumber(reading.text))
      .filter((phone): phone is string => phone !== null);
    if (phones.length === 0) return heard;
    return { ...heard, [readingsIn]: preferNumbersOnRoll(readings, await roll.phonesOnRoll(phones)) };
  };
}
