// SPEC §2 step 2: a call that is not attestation A may be verified by call-back. The caller hears a
// short code, we call the number they claim, and they key the code on that call; success counts as
// attestation A for this call. Declining, or any failure, keeps the lower trust.
import { applyCallBack, newCallBackCode, runCallBack, spokenCode, type CallBackOutcome, type OutboundCaller }
  from '../trust/call-back.js';
import type { TrustDecision } from '../trust/trust-policy.js';
import type { IvrSession } from './session.js';
import { MenuRequested } from './verb.js';

export interface CallBackServices {
  readonly caller: OutboundCaller;
  /** The code generator; the CSPRNG by default (tests give a fixed one). */
  readonly newCode?: () => string;
}

export const callBackOfferPrompt =
  'This call could not be verified. Would you like us to call you back at the number you are calling from, to verify it?';

const outcomeSentences: Record<CallBackOutcome, string> = {
  confirmed: 'Thank you. Your call is now verified.',
  'wrong-code': 'The code keyed on the other call was not right, so this call stays unverified.',
  'no-answer': 'Nobody answered our call, so this call stays unverified.',
  busy: 'That line was busy, so this call stays unverified.',
  failed: 'We could not place the call, so this call stays unverified.',
  'no-number': 'We cannot call that number back, so this call stays unverified.',
};

export async function offerCallBack(
  session: IvrSession, decision: TrustDecision, services: CallBackServices | undefined,
): Promise<TrustDecision> {
  if (decision.level === 'verified' || decision.callingNumber === null || services === undefined) return decision;
  let wanted: boolean;
  try {
    wanted = await session.confirm(callBackOfferPrompt);
  } catch (error) {
    // "Menu" here means: skip the offer and go on.
    if (error instanceof MenuRequested) return decision;
    throw error;
  }
  if (!wanted) return decision;
  const code = (services.newCode ?? newCallBackCode)();
  const spoken = spokenCode(code);
  await session.say(`Your code is ${spoken}. Again, ${spoken}. We are calling you now: answer that call and key this code.`);
  const outcome = await runCallBack({ caller: services.caller, to: decision.callingNumber, code });
  await session.say(outcomeSentences[outcome]);
  return applyCallBack(decision, outcome);
}
