// Verb "politics" (SPEC §6): delegate, vote, audit, recall, register, tell me about. A verified
// caller without a delegate is first asked to name one (once per call).
import { menuChoice } from './choices.js';
import type { IvrSession } from './session.js';
import { sayChoices, spokenMenu } from './spoken-menu.js';
import { CallOver, type Verb, type VerbName } from './verb.js';

const politicsKeys: Readonly<Record<string, VerbName | 'goodbye'>> = {
  1: 'name-delegate', 2: 'vote', 3: 'audit', 4: 'recall', 5: 'register', 6: 'tell-me-about', 7: 'web-sign-in', 9: 'goodbye',
};

export const politicsPrompt = 'Politics. 1 delegate, 2 vote, 3 audit, 4 recall, 5 register, 6 tell me about, 7 web sign-in.';
export const politicsLongPrompt = 'Press 1 to name your delegate. Press 2 to vote on a bill. Press 3 to hear an audit '
  + 'of your vote or anyone\'s. Press 4 to recall your delegate. Press 5 to learn how to register this phone. '
  + 'Press 6 to hear about the Delegate Network. Press 7 to sign in to the web site. Press 9 to end the call. At any time, press star for this menu, or 0 for help.';
export const politicsSimplerPrompt = 'Press 2 to vote. Press 1 to choose a delegate. Press 3 to hear an audit.';

/** With speech on, the menu is said as words first; the keys still work. */
export const politicsSpokenPrompt = `Politics. ${sayChoices(['delegate', 'vote', 'audit', 'recall', 'register',
  'sign in', 'tell me about'])} Or press 1 to 7.`;
const politicsWords = spokenMenu<VerbName>({
  delegate: 'name-delegate', vote: 'vote', audit: 'audit', recall: 'recall', register: 'register',
  'tell me about': 'tell-me-about', 'sign in': 'web-sign-in',
});

const askedForDelegate = 'asked-for-delegate';

async function needsDelegate(session: IvrSession): Promise<boolean> {
  const caller = session.caller;
  if (caller === null || !caller.verified || session.done.has(askedForDelegate)) return false;
  const { delegates } = await session.context.store.defaultsOf(caller.voterId);
  return delegates.length === 0;
}

export const politicsVerb: Verb = {
  name: 'politics',
  async exec(session: IvrSession): Promise<void> {
    if (await needsDelegate(session)) {
      session.done.add(askedForDelegate);
      await session.say('You have no delegate yet. A delegate votes for you on every bill you do not vote on yourself.');
      await session.run('name-delegate');
    }
    for (;;) {
      const next = await session.ask<VerbName | 'goodbye'>({
        prompt: session.speaks ? politicsSpokenPrompt : politicsPrompt,
        long: session.speaks ? `${politicsSpokenPrompt} ${politicsLongPrompt}` : politicsLongPrompt,
        simpler: politicsSimplerPrompt, maxKeys: 1,
        accept: (keys) => menuChoice(keys, politicsKeys), speech: politicsWords,
      });
      if (next === 'goodbye') throw new CallOver('goodbye');
      await session.run(next);
      await session.remember({ menu: 'politics' });
    }
  },
};
