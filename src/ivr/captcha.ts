// Verb "captcha" (SPEC §2): every call first keys back two spoken digits; two wrong answers end the
// call politely. The state machine is src/trust/captcha.ts; this file only speaks and listens.
import { answerCaptcha, captchaDigitCount, startCaptcha } from '../trust/captcha.js';
import type { IvrSession } from './session.js';
import { CallOver, type Verb } from './verb.js';

export const captchaVerb: Verb = {
  name: 'captcha',
  async exec(session: IvrSession): Promise<void> {
    const random = session.services.captchaDigits;
    let { state, prompt } = startCaptcha(random);
    for (;;) {
      await session.say(prompt);
      const keyed = await session.keys(captchaDigitCount);
      const step = answerCaptcha(state, keyed, random);
      if (step.kind === 'passed') {
        await session.remember({ captcha: 'passed' });
        return;
      }
      await session.remember({ captcha: `failed-${state.attempt}` });
      if (step.kind === 'hang-up') {
        await session.say(step.prompt);
        throw new CallOver('captcha-failed');
      }
      ({ state, prompt } = step);
    }
  },
};
