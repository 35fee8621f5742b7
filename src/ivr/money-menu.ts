// Verb "money" (SPEC §6): balance, pay, and mint for sovereign minters. Pay and mint are in
// money-transfer.ts; who may spend is decided by the money service (verified, registered voters).
import { spokenCents } from '../core/money/spoken-amount.js';
import { menuChoice } from './choices.js';
import { transferByPhone } from './money-transfer.js';
import type { IvrSession } from './session.js';
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

export function balanceSentence(cents: number): string {
  return `Your balance is ${spokenCents(cents)}.`;
}

export const moneyVerb: Verb = {
  name: 'money',
  async exec(session: IvrSession): Promise<void> {
    const sovereign = session.caller?.sovereign === true;
    for (;;) {
      const choice = await session.ask({
        prompt: sovereign ? sovereignMoneyPrompt : moneyPrompt,
        long: sovereign ? sovereignMoneyLongPrompt : moneyLongPrompt,
        simpler: 'Press 1 to hear your balance. Press 2 to pay.', maxKeys: 1,
        accept: (keys) => menuChoice(keys, sovereign ? sovereignMoneyKeys : moneyKeys),
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
