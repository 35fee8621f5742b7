// Runs one call (SPEC §2, §6): the trust decision from screening → captcha → who is calling (roll
// match) → the main menu, until the caller hangs up or goes quiet; then a polite goodbye. Every
// way out (hang-up, inactivity, failed captcha, an unexpected error) ends the call cleanly.
import { randomInt } from 'node:crypto';
import { unregisteredActor } from '../app/caller-directory.js';
import type { Caller } from '../core/caller.js';
import { invariant } from '../core/invariant.js';
import type { TrustDecision } from '../trust/trust-policy.js';
import { auditVerb } from './audit.js';
import { offerCallBack, type CallBackServices } from './call-back-offer.js';
import type { CallChannel } from './call-channel.js';
import { captchaVerb } from './captcha.js';
import { KeypadListener, type Listener } from './listener.js';
import type { Recognizer } from '../speech/recognizer.js';
import { grammarSinkOf, SpeechListener } from './speech-listener.js';
import { mainMenuVerb } from './main-menu.js';
import { moneyVerb } from './money-menu.js';
import { nameDelegateVerb } from './name-delegate.js';
import { chooseAmong } from './pick-voter.js';
import { politicsVerb } from './politics-menu.js';
import { recallVerb } from './recall.js';
import { registerVerb } from './register.js';
import { IvrSession, notVerifiedSentence, type SessionServices } from './session.js';
import { tellMeAboutVerb } from './tell-me-about.js';
import { CallOver, MenuRequested, verbNames, type Verb, type VerbName, type VerbRegistry } from './verb.js';
import { voteVerb } from './vote.js';
import { webSignInVerb } from './web-sign-in.js';

export const verbRegistry: VerbRegistry = new Map<VerbName, Verb>([
  captchaVerb, mainMenuVerb, politicsVerb, nameDelegateVerb, voteVerb, auditVerb, recallVerb, registerVerb,
  tellMeAboutVerb, webSignInVerb, moneyVerb,
].map((verb) => [verb.name, verb]));

export const goodbyeSentence = 'Thank you for calling the Delegate Network. Goodbye.';
export const inactiveSentence = "We haven't heard from you for a while, so we'll end this call. Goodbye.";

export type DialogEnd = CallOver['reason'] | 'error';

export interface DialogOptions extends SessionServices {
  readonly logger: {
    info(object: object, message: string): void;
    warn(object: object, message: string): void;
    error(object: object, message: string): void;
  };
  /** Overrides the listener (tests); otherwise speech when a recognizer is given, else the keypad. */
  readonly listener?: Listener;
  /** The speech engine (pocketsphinx, Vosk or remote workers); null or absent: keypad only. */
  readonly recognizer?: Recognizer | null;
  /** Offered to unverified callers when outbound calls are possible (a SIP trunk is configured). */
  readonly callBack?: CallBackServices;
}

export const cryptoDigits = (): number => randomInt(10);

/** SPEC §2 step 3: one voter, several sharing the phone (ask which), or none (tentative). */
async function identify(session: IvrSession, decision: TrustDecision): Promise<Caller | null> {
  const phone = decision.callingNumber;
  const verified = decision.level === 'verified';
  const { callers } = session.context;
  if (phone === null) return null;
  const identity = await callers.identify(phone);
  if (identity.kind === 'registered') {
    const voter = identity.voters.length === 1 ? identity.voters[0]
      : await chooseAmong(session, identity.voters.slice(0, 9), 'Several voters share this phone. Who is calling?');
    return voter === undefined ? null : callers.registeredCaller(voter, verified, 'phone');
  }
  // Only a verified call creates a tentative voter (and its log entry): a spoofed number must not.
  if (verified) return callers.tentativeCaller(phone, true, 'phone');
  return { voterId: identity.id ?? '', actor: unregisteredActor(phone), verified: false, registered: false, channel: 'phone' };
}

async function greet(session: IvrSession): Promise<void> {
  const caller = session.caller;
  const returningKey = session.context.keys.key('ivr', 'returning');
  // Only a verified call marks a voter as returning: a spoofed number must not shorten their prompts.
  if (caller !== null && caller.voterId.length > 0) {
    const { redis } = session.services;
    session.returning = session.verified
      ? (await redis.hsetnx(returningKey, caller.voterId, String(Date.now()))) === 0
      : (await redis.hexists(returningKey, caller.voterId)) === 1;
  }
  await session.remember({ voterId: caller?.voterId ?? '', verified: session.verified ? 1 : 0,
    returning: session.returning ? 1 : 0 });
  const name = caller?.registered === true ? `, ${caller.actor}` : '';
  await session.say(session.returning ? `Welcome back${name}.`
    : `Welcome to the Delegate Network${name}. At any prompt, press star for the menu, or 0 for help.`);
  if (!session.verified) await session.say(notVerifiedSentence);
}

export async function runDialog(
  channel: CallChannel, screened: TrustDecision, options: DialogOptions,
): Promise<DialogEnd> {
  let decision = screened;
  const listener = options.listener ?? (options.recognizer == null ? new KeypadListener(channel)
    : new SpeechListener(channel, options.recognizer,
      { logger: options.logger, grammars: grammarSinkOf(options.recognizer) }));
  const session = new IvrSession(channel, options, listener, verbRegistry);
  session.verified = decision.level === 'verified';
  let end: DialogEnd = 'hangup';
  try {
    // An assertion failure is caught below like any error: the caller hears sorry, the call ends.
    invariant(decision.level === 'unverified' || decision.callingNumber !== null, 'a verified call has a number');
    invariant(verbRegistry.size === verbNames.length, 'every verb is registered once');
    await session.remember({ startedAt: Date.now(), menu: 'start' });
    await session.run('captcha');
    decision = await offerCallBack(session, decision, options.callBack);
    session.verified = decision.level === 'verified';
    session.caller = await identify(session, decision);
    await greet(session);
    for (;;) {
      try {
        await session.run('main-menu');
      } catch (error) {
        if (!(error instanceof MenuRequested)) throw error;
      }
    }
  } catch (error) {
    if (error instanceof CallOver) end = error.reason;
    else if (error instanceof MenuRequested) end = 'hangup'; // "menu" before the menu exists: impossible, but harmless
    else {
      end = 'error';
      options.logger.error({ err: error, callId: channel.callId }, 'the dialog failed; ending the call');
    }
  }
  await finish(session, end);
  options.logger.info({ callId: channel.callId, end, voterId: session.caller?.voterId ?? null }, 'dialog ended');
  return end;
}

async function finish(session: IvrSession, end: DialogEnd): Promise<void> {
  const { channel } = session;
  try {
    if (end === 'inactive') await session.say(inactiveSentence);
    else if (end === 'goodbye') await session.say(goodbyeSentence);
    else if (end === 'error') await session.say('Sorry, something went wrong on our side. Please call again. Goodbye.');
  } catch {
    // The caller hung up during the goodbye: nothing left to say.
  }
  if (end !== 'hangup') await channel.hangup().catch(() => undefined); // already gone: nothing to end
  await session.remember({ menu: 'ended', end }).catch(() => undefined);
}
