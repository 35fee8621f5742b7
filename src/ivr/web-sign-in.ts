// Verb "web-sign-in" (SPEC §8): the caller keys the code the web page shows; a verified call of a
// registered voter signs that page in (the page learns it through Redis, see src/web/sign-in-store.ts).
import { SignInStore, signInCodeDigits, type ConfirmResult } from '../web/sign-in-store.js';
import type { IvrSession } from './session.js';
import type { Verb } from './verb.js';

export const webSignInNeedsVerifiedSentence =
  'Signing in to the web needs a verified call from the phone on your voter registration.';
export const webSignInPrompt = `Enter the ${signInCodeDigits} digit code shown on the web page.`;

const outcomeSentences: Readonly<Record<ConfirmResult, string>> = {
  'signed-in': 'Done. Your web page is now signed in.',
  'unknown-code': 'That code is not valid or has expired. Reload the web page for a new code.',
  'not-allowed': webSignInNeedsVerifiedSentence,
  'too-many-attempts': 'Too many wrong codes from this phone. Please try again in an hour.',
};

export const webSignInVerb: Verb = {
  name: 'web-sign-in',
  async exec(session: IvrSession): Promise<void> {
    const caller = session.caller;
    if (caller === null || !caller.verified || !caller.registered) {
      await session.say(webSignInNeedsVerifiedSentence);
      return;
    }
    const code = await session.ask({
      prompt: webSignInPrompt, maxKeys: signInCodeDigits,
      long: `${webSignInPrompt} The code is on the sign-in page of the Delegate Network web site.`,
      accept: (keys) => (new RegExp(`^\\d{${signInCodeDigits}}$`).test(keys) ? keys : null),
    });
    const result = await new SignInStore(session.services.redis, session.context.keys).confirm(code, caller);
    await session.say(outcomeSentences[result]);
  },
};
