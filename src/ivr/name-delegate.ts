// Verb "name-delegate": a name (said, or spelled on the keypad) or a keyed phone → roll lookup →
// confirm → delegate. The democracy service decides who may (unverified calls get NotAllowedError,
// said politely).
import { NotAllowedError } from '../core/caller.js';
import { publicName } from '../core/voter.js';
import { pickVoter } from './pick-voter.js';
import { notVerifiedSentence, type IvrSession } from './session.js';
import type { Verb } from './verb.js';

export function delegateConfirmation(name: string): string {
  return `Please confirm that you want to delegate ${name}.`;
}

export const nameDelegateVerb: Verb = {
  name: 'name-delegate',
  async exec(session: IvrSession): Promise<void> {
    const voter = await pickVoter(session, 'the person you want as your delegate');
    if (voter === null) return;
    const name = publicName(voter);
    if (!(await session.confirm(delegateConfirmation(name)))) {
      await session.say('All right, nothing was changed.');
      return;
    }
    const caller = session.caller;
    if (caller === null || !caller.verified) {
      await session.say(notVerifiedSentence);
      return;
    }
    try {
      await session.context.democracy.delegate(caller, voter.id);
    } catch (error) {
      if (!(error instanceof NotAllowedError)) throw error;
      await session.say(voter.id === caller.voterId ? 'You cannot delegate to yourself.' : notVerifiedSentence);
      return;
    }
    await session.say(`Done. Your delegate is now ${name}.`);
  },
};
