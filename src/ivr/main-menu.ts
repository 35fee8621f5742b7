// Verb "main-menu" (SPEC §6): money, politics, tell me about — offered only to callers who have
// money or are sovereign minters; everyone else goes straight to politics.
import { menuChoice } from './choices.js';
import type { IvrSession } from './session.js';
import { sayChoices, spokenMenu } from './spoken-menu.js';
import { CallOver, type Verb, type VerbName } from './verb.js';

const mainKeys: Readonly<Record<string, VerbName | 'goodbye'>> = {
  1: 'money', 2: 'politics', 3: 'tell-me-about', 9: 'goodbye',
};

export const mainMenuPrompt = 'Main menu. 1 money, 2 politics, 3 tell me about.';
export const mainMenuLongPrompt = 'Press 1 for money: your balance, and paying someone. Press 2 for politics: '
  + 'delegates, votes and audits. Press 3 to hear about the Delegate Network. Press 9 to end the call.';

export const mainMenuSpokenPrompt = `Main menu. ${sayChoices(['money', 'politics', 'tell me about'])} Or press 1, 2 or 3.`;
const mainMenuWords = spokenMenu<VerbName>({ money: 'money', politics: 'politics', 'tell me about': 'tell-me-about' });

async function offersMainMenu(session: IvrSession): Promise<boolean> {
  const caller = session.caller;
  if (caller === null || caller.voterId.length === 0) return false;
  if (caller.sovereign === true) return true;
  return (await session.context.money.balanceOf(caller.voterId)) > 0;
}

export const mainMenuVerb: Verb = {
  name: 'main-menu',
  async exec(session: IvrSession): Promise<void> {
    if (!(await offersMainMenu(session))) {
      await session.run('politics');
      return;
    }
    for (;;) {
      const next = await session.ask<VerbName | 'goodbye'>({
        prompt: session.speaks ? mainMenuSpokenPrompt : mainMenuPrompt,
        long: session.speaks ? `${mainMenuSpokenPrompt} ${mainMenuLongPrompt}` : mainMenuLongPrompt,
        simpler: 'Press 1 for money. Press 2 for politics.', maxKeys: 1,
        accept: (keys) => menuChoice(keys, mainKeys), speech: mainMenuWords,
      });
      if (next === 'goodbye') throw new CallOver('goodbye');
      await session.run(next);
      await session.remember({ menu: 'main-menu' });
    }
  },
};
