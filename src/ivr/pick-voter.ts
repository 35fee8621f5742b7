// Naming a person by keypad (SPEC §6 "Naming a person"): a 10-digit phone, looked up in the roll;
// several voters sharing it are told apart by first name (press 1-9). Names by speech come later.
import type { RegisteredVoter } from '../core/voter.js';
import { keyedPhone, listIndex, spokenDigits, titleCase, whichOne } from './choices.js';
import type { IvrSession } from './session.js';

/** At most this many voters sharing a phone are offered (one key each). */
export const sharedPhoneChoicesMax = 9;

export async function pickVoterByPhone(session: IvrSession, whose: string): Promise<RegisteredVoter | null> {
  const phone = await session.ask({
    prompt: `Enter the 10-digit phone number of ${whose}.`,
    long: `Enter the 10-digit phone number of ${whose}, area code first, on your keypad.`,
    simpler: 'Enter ten digits: the area code, then the number.', maxKeys: 10,
    accept: keyedPhone,
  });
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
): Promise<RegisteredVoter> {
  const names = voters.map((voter) => titleCase(voter.name.first.toLowerCase()));
  const index = await session.ask({
    prompt: `${preface} ${whichOne(names)}`, maxKeys: 1, accept: (keys) => listIndex(keys, voters.length),
  });
  const voter = voters[index];
  if (voter === undefined) throw new RangeError('listIndex returned an index outside the list');
  return voter;
}
