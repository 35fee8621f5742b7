// Verb "tell-me-about" (SPEC §6): the operator's text (TELL_ME_ABOUT_TEXT, with a default in config).
import type { IvrSession } from './session.js';
import type { Verb } from './verb.js';

export const tellMeAboutVerb: Verb = {
  name: 'tell-me-about',
  async exec(session: IvrSession): Promise<void> {
    await session.say(session.services.tellMeAboutText);
  },
};
