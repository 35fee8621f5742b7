// Call-back authentication (SPEC §2): the caller hears a short code, we call the number they claim,
// and whoever answers must key that code. Only the person who holds both calls can do it, so
// success proves the number like attestation A does — for this call only.
import { randomInt, timingSafeEqual } from 'node:crypto';
import { invariant } from '../core/invariant.js';
import type { TrustDecision } from './trust-policy.js';

/** Port: places an outbound call through the telephony channel (implemented by the SIP endpoint). */
export interface OutboundCaller {
  callAndCollectDigits(opts: { to: string; prompt: string; digitsExpected: number; timeoutMs: number }):
    Promise<{ outcome: 'answered'; digits: string } | { outcome: 'no-answer' | 'busy' | 'failed' }>;
}

export const callBackCodeDigits = 4;
/** Ringing plus keying the code: long enough for a phone in a pocket, short enough to keep the caller. */
export const callBackTimeoutMs = 60_000;
export const callBackPrompt =
  'This is the Delegate Network calling back. Please key the code you just heard on your other call.';

export type CallBackOutcome = 'confirmed' | 'wrong-code' | 'no-answer' | 'busy' | 'failed' | 'no-number';

/** A uniformly random code from the CSPRNG; leading zeros are kept (it is spoken digit by digit). */
export function newCallBackCode(digits = callBackCodeDigits): string {
  if (!Number.isInteger(digits) || digits < 4 || digits > 8) throw new RangeError('code length must be 4-8 digits');
  return Array.from({ length: digits }, () => String(randomInt(10))).join('');
}

/** The code as the voice prompt reads it: "4 0 7 1". */
export function spokenCode(code: string): string {
  return code.split('').join(' ');
}

function sameCode(keyed: string, code: string): boolean {
  const a = Buffer.from(keyed);
  const b = Buffer.from(code);
  // Constant time, so the answer's timing does not reveal how many leading digits were right.
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function runCallBack(options: {
  caller: OutboundCaller; to: string | null; code: string; timeoutMs?: number;
}): Promise<CallBackOutcome> {
  if (options.to === null || !/^[2-9]\d{9}$/.test(options.to)) return 'no-number';
  if (!/^\d{4,8}$/.test(options.code)) throw new RangeError('the call-back code must be 4-8 digits');
  const result = await options.caller.callAndCollectDigits({
    to: options.to, prompt: callBackPrompt, digitsExpected: options.code.length,
    timeoutMs: options.timeoutMs ?? callBackTimeoutMs,
  });
  if (result.outcome !== 'answered') return result.outcome;
  invariant(typeof result.digits === 'string', 'an answered call-back reports the keyed digits');
  return sameCode(result.digits, options.code) ? 'confirmed' : 'wrong-code';
}

/** Success counts as attestation A for this call; any other outcome keeps the decision as it was. */
export function applyCallBack(decision: TrustDecision, outcome: CallBackOutcome): TrustDecision {
  if (outcome !== 'confirmed' || decision.callingNumber === null) return decision;
  return { ...decision, level: 'verified', attestation: 'A', via: 'call-back' };
}
