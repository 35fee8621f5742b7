// The pay and mint tasks of the money menu (SPEC §4, §6): whom (a keyed or spoken 10-digit phone;
// voters sharing it are told apart by first name; a phone outside the roll gets a tentative wallet),
// how much (said, "ten dollars and twenty five cents", or keyed in cents, then pound: the * key means "menu"
// everywhere, so it cannot be a decimal point),
// a read-back to confirm, then one idempotency key per confirmed request: a retry after a lost reply
// answers "duplicate" and never moves money twice.
import { createHash } from 'node:crypto';
import type { PayRequest, PayResult, PayTarget } from '../app/money-service.js';
import { InsufficientFundsError, MoneyError, SelfPaymentError } from '../app/money-service.js';
import { NotAllowedError, type Caller } from '../core/caller.js';
import { AmountError, amountCentsCeiling } from '../core/money/amount.js';
import { spokenCents } from '../core/money/spoken-amount.js';
import { publicName } from '../core/voter.js';
import { parseSpokenAmount } from '../speech/parse/index.js';
import { keyedPhone, spokenDigits } from './choices.js';
import { chooseAmong, sayOrEnter, sharedPhoneChoicesMax } from './pick-voter.js';
import { notVerifiedSentence, type IvrSession } from './session.js';
import type { SpokenAnswers } from './spoken-answer.js';
import { spokenPhoneNumber } from './spoken-phone.js';

/** A lost reply or a conflicting commit is tried again with the same key, at most this often in all. */
export const transferAttemptCountMax = 3;
export const amountTerminator = '#';

export type TransferKindOnPhone = 'pay' | 'mint';

export interface Recipient {
  readonly target: PayTarget;
  /** What the caller hears: the public name, or the keyed digits for a phone outside the roll. */
  readonly spoken: string;
}

/** One key per confirmed request of one call: the call id is hashed (SIP call ids can be long). */
export function transferIdempotencyKey(callId: string, requestNumber: number): string {
  return `phone:${createHash('sha256').update(callId).digest('hex').slice(0, 32)}:${requestNumber}`;
}

/** The amount question; a caller who can speak hears that an amount may be said too. */
export function amountPrompt(verb: string, speaks = false): string {
  return speaks
    ? `Say the amount to ${verb}, like ten dollars and twenty-five cents, or enter it in cents, then press pound.`
    : `Enter the amount to ${verb} in cents, then press pound. For ten dollars and twenty-five cents, press 1 0 2 5 pound.`;
}

/** Keyed cents: digits only, more than zero (the maximum is checked after, with its own sentence). */
export function keyedCents(keys: string): number | null {
  if (!/^\d{1,15}$/.test(keys)) return null;
  const cents = Number(keys);
  return Number.isSafeInteger(cents) && cents > 0 ? cents : null;
}

/**
 * An amount said in words (the amount grammar, the money parser). The maximum is checked after, as for keyed
 * cents, so that "the most you can send" is said rather than "not understood". An unsure amount is read back,
 * and every amount is confirmed with the recipient before anything moves.
 */
export const spokenAmount: SpokenAnswers<number> = {
  context: 'amount',
  interpret: (text) => {
    const amount = parseSpokenAmount(text, amountCentsCeiling);
    return 'cents' in amount && amount.cents > 0 ? amount.cents : null;
  },
  describe: (cents) => spokenCents(cents),
};

export function transferConfirmation(kind: TransferKindOnPhone, cents: number, recipient: string): string {
  return `${kind === 'mint' ? 'Mint' : 'Send'} ${spokenCents(cents)} to ${recipient}?`;
}

async function askRecipient(session: IvrSession, verb: string): Promise<Recipient> {
  const phone = await session.ask({
    prompt: `${sayOrEnter(session)} the 10-digit phone number of the person to ${verb}.`,
    long: session.speaks ? `Say or enter the 10-digit phone number of the person you want to ${verb}, area code first.`
      : `Enter the 10-digit phone number of the person you want to ${verb}, area code first, on your keypad.`,
    simpler: 'Enter ten digits: the area code, then the number.', maxKeys: 10, accept: keyedPhone,
    speech: spokenPhoneNumber,
  });
  const voters = (await session.context.roll.votersByPhone(phone)).slice(0, sharedPhoneChoicesMax);
  const only = voters.length === 1 ? voters[0] : undefined;
  if (only !== undefined) return { target: { voter: only.id }, spoken: publicName(only) };
  if (voters.length > 1) {
    const voter = await chooseAmong(session, voters, 'Several voters share that phone.');
    return { target: { voter: voter.id }, spoken: publicName(voter) };
  }
  // Not in the roll: the money waits in a tentative wallet until a roll import shows this phone.
  return { target: { phone }, spoken: `the phone number ${spokenDigits(phone)}, which is not registered yet` };
}

async function askCents(session: IvrSession, verb: string): Promise<number> {
  const maxKeys = String(session.context.money.amountMaxCents).length;
  return session.ask({
    prompt: amountPrompt(verb, session.speaks), simpler: 'Enter the number of cents, then press pound.',
    maxKeys, terminators: amountTerminator, accept: keyedCents, speech: spokenAmount,
  });
}

/** Commits with one key; a failure that is not a refusal is retried with the same key. */
async function commitOnce(
  session: IvrSession, caller: Caller, kind: TransferKindOnPhone, request: PayRequest,
): Promise<PayResult> {
  const { money } = session.context;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return kind === 'mint' ? await money.mint(caller, request) : await money.pay(caller, request);
    } catch (error) {
      const refusal = error instanceof MoneyError || error instanceof NotAllowedError || error instanceof AmountError;
      if (refusal || attempt >= transferAttemptCountMax) throw error;
    }
  }
}

/** Asks whom and how much, reads it back, and moves the money once. */
export async function transferByPhone(session: IvrSession, kind: TransferKindOnPhone): Promise<void> {
  const caller = session.caller;
  const verb = kind === 'mint' ? 'mint to' : 'pay';
  if (caller === null || !caller.verified) {
    await session.say(notVerifiedSentence);
    return;
  }
  const recipient = await askRecipient(session, verb);
  const cents = await askCents(session, kind === 'mint' ? 'mint' : 'send');
  const { money } = session.context;
  if (cents > money.amountMaxCents) {
    await session.say(`The most you can ${kind === 'mint' ? 'mint' : 'send'} at once is ${spokenCents(money.amountMaxCents)}. `
      + 'Nothing was sent.');
    return;
  }
  if (!(await session.confirm(transferConfirmation(kind, cents, recipient.spoken)))) {
    await session.say('All right, nothing was sent.');
    return;
  }
  const requestNumber = await session.services.redis.hincrby(session.stateKey, 'moneyRequests', 1);
  const idempotencyKey = transferIdempotencyKey(session.channel.callId, requestNumber);
  let result: PayResult;
  try {
    result = await commitOnce(session, caller, kind, { to: recipient.target, amountCents: cents, idempotencyKey });
  } catch (error) {
    await session.say(refusalSentence(error, kind));
    return;
  }
  await session.say(`Done. ${kind === 'mint' ? 'Minted' : 'Sent'} ${spokenCents(result.amountCents)} to ${recipient.spoken}.`);
}

function refusalSentence(error: unknown, kind: TransferKindOnPhone): string {
  if (error instanceof InsufficientFundsError) return 'Your balance is not enough for that payment. Nothing was sent.';
  if (error instanceof SelfPaymentError) return 'You cannot pay yourself. Nothing was sent.';
  if (error instanceof NotAllowedError) {
    return kind === 'mint' ? 'Only a sovereign minter on a verified call may mint. Nothing was minted.'
      : 'Only a registered voter on a verified call may pay. Nothing was sent.';
  }
  if (error instanceof MoneyError || error instanceof AmountError) return `Sorry, that did not work: ${error.message}. Nothing was sent.`;
  throw error;
}
