// Verb "register": in what county do you live (its number, 1-99 in alphabetical order) → the county
// auditor's phone number, read three times, the last slowly, so the caller can add this phone to
// their registration. An auditor's office number is public, so it may be spoken in full.
import type { County } from '../roll/jurisdiction.js';
import { slowDigits, spokenDigits, titleCase } from './choices.js';
import type { IvrSession } from './session.js';
import type { Verb } from './verb.js';

export const countyNumberMax = 99;

export function countyByKeys(counties: readonly County[], keys: string): County | null {
  if (!/^\d{1,2}$/.test(keys)) return null;
  const id = Number(keys);
  if (id < 1 || id > countyNumberMax) return null;
  return counties.find((county) => county.id === id) ?? null;
}

/** The three readings of the auditor's number: twice grouped, the last digit by digit. */
export function auditorReadings(county: County): [string, string, string] {
  const name = `${titleCase(county.name)} County`;
  return [
    `To register this phone, call the ${name} auditor at ${spokenDigits(county.auditorPhone)}.`,
    `Again, the ${name} auditor: ${spokenDigits(county.auditorPhone)}.`,
    `Once more, slowly: ${slowDigits(county.auditorPhone)}`,
  ];
}

export const registerVerb: Verb = {
  name: 'register',
  async exec(session: IvrSession): Promise<void> {
    const counties = session.services.jurisdiction.counties;
    const county = await session.ask({
      prompt: 'In what county do you live? Enter its number, then press pound.',
      long: 'In what county do you live? Counties are numbered 1 to 99 in alphabetical order. '
        + 'Enter your county\'s number, then press pound.',
      simpler: 'Enter your county number, 1 to 99, then press pound.', maxKeys: 2, terminators: '#',
      accept: (keys) => countyByKeys(counties, keys),
    });
    for (const reading of auditorReadings(county)) await session.say(reading);
  },
};
