// Verb "money" (SPEC §6): balance, pay, and mint for sovereign minters. Pay and mint are in
// money-transfer.ts; who may spend is decided by the money service (verified, registered voters).
import { spokenCents } from '../core/money/spoken-amount.js';
import { menuChoice } from './choices.js';
import { moneyMenuGrammar } from './money-menu-grammar.js';
import { transferByPhone } from './money-transfer.js';
import type { IvrSession } from './session.js';
import { sayChoices, spokenMenu } from './spoken-menu.js';
import { CallOver, type Verb } from './verb.js';

type MoneyChoice = 'balance' | 'pay' | 'mint' | 'goodbye';

const moneyKeys: Readonly<Record<string, MoneyChoice>> = { 1: 'balance', 2: 'pay', 9: 'goodbye' };
const sovereignMoneyKeys: Readonly<Record<string, MoneyChoice>> = { ...moneyKeys, 3: 'mint' };

export const moneyPrompt = 'Money. 1 balance, 2 pay.';
export const sovereignMoneyPrompt = 'Money. 1 balance, 2 pay, 3 mint.';
export const moneyLongPrompt = 'Press 1 to hear your balance. Press 2 to pay someone. Press 9 to end the call. '
  + 'Press star for the main menu.';
export const sovereignMoneyLongPrompt = 'Press 1 to hear your balance. Press 2 to pay someone. '
  + 'Press 3 to mint delegate money. Press 9 to end the call. Press star for the main menu.';

/**
 * With speech on (and the money menu's grammar built), the menu is said as words first; the keys still work.
 * Minting is keyed only: flite's "pay" was heard as a sure "mint" (test/ivr/money-by-voice.test.ts), and with
 * "mint" no choice a "pay" heard so is asked again instead.
 */
export const moneySpokenPrompt = `Money. ${sayChoices(['balance', 'pay'])} Or press 1 or 2.`;
export const sovereignMoneySpokenPrompt = `Money. ${sayChoices(['balance', 'pay'])} Or press 1 or 2, or 3 to mint.`;
const moneyWords: Partial<Record<'balance' | 'pay', MoneyChoice>> = { balance: 'balance', pay: 'pay' };

export function balanceSentence(cents: number): string {
  return `Your balance is ${spokenCents(cents)}.`;
}

export const moneyVerb: Verb = {
  name: 'money',
  async exec(session: IvrSession): Promise<void> {
    const sovereign = session.caller?.sovereign === true;
    // The menu's words are in no committed grammar: without run-time grammars it stays keyed.
    const grammar = session.speaks && session.takesGrammars ? await moneyMenuGrammar(session.services.logger) : null;
    const spokenPrompt = sovereign ? sovereignMoneySpokenPrompt : moneySpokenPrompt;
    const keyedPrompt = sovereign ? sovereignMoneyPrompt : moneyPrompt;
    const longPrompt = sovereign ? sovereignMoneyLongPrompt : moneyLongPrompt;
    for (;;) {
      const choice = await session.ask({
        prompt: grammar === null ? keyedPrompt : spokenPrompt,
        long: grammar === null ? longPrompt : `${spokenPrompt} ${longPrompt}`,
        simpler: 'Press 1 to hear your balance. Press 2 to pay.', maxKeys: 1,
        accept: (keys) => menuChoice(keys, sovereign ? sovereignMoneyKeys : moneyKeys),
        ...(grammar === null ? {} : { speech: spokenMenu(moneyWords, grammar) }),
      });
      if (choice === 'goodbye') throw new CallOver('goodbye');
      if (choice === 'balance') {
        await session.say(balanceSentence(await session.context.money.balanceOf(session.caller?.voterId ?? '')));
      } else {
        await transferByPhone(session, choice);
      }
      await session.remember({ menu: 'money' });
    }
  },
};
