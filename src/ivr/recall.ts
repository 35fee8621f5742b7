// Verb "recall": names the caller's delegates and, once confirmed, recalls them all.
import { NotAllowedError } from '../core/caller.js';
import { notVerifiedSentence, type IvrSession } from './session.js';
import type { Verb } from './verb.js';

export const recallVerb: Verb = {
  name: 'recall',
  async exec(session: IvrSession): Promise<void> {
    const caller = session.caller;
    if (caller === null || !caller.verified) {
      await session.say(notVerifiedSentence);
      return;
    }
    const { delegates } = await session.context.store.defaultsOf(caller.voterId);
    if (delegates.length === 0) {
      await session.say('You have no delegate to recall.');
      return;
    }
    const names = await Promise.all(delegates.map((id) => session.context.democracy.nameOf(id).catch(() => 'a voter')));
    if (!(await session.confirm(`Please confirm that you want to recall ${names.join(' and ')}.`))) {
      await session.say('All right, nothing was changed.');
      return;
    }
    try {
      await session.context.democracy.recall(caller);
    } catch (error) {
      if (!(error instanceof NotAllowedError)) throw error;
      await session.say(notVerifiedSentence);
      return;
    }
    await session.say('Done. You have no delegate now; only your own votes count for you.');
  },
};
