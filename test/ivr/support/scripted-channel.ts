// A call channel that answers each key collection from a script (no SIP, no timing), for dialog
// tests in process. The real path (sipp through the SIP endpoint) has its own tests.
import { expect } from 'chai';
import type {
  CallChannel, CallEnd, CallFacts, CollectDigitsOptions, CollectedDigits, PlayResult,
} from '../../../src/ivr/call-channel.js';
import type { TrustDecision } from '../../../src/trust/trust-policy.js';

/** Each entry answers one collection: keys, '' for silence, '#' for the pound key alone. Then the caller hangs up. */
export class ScriptedChannel implements CallChannel {
  readonly facts: CallFacts = { from: 'sip:caller@127.0.0.1', to: 'sip:5550001@127.0.0.1', identityHeaders: [], sourceAddress: '127.0.0.1:5060' };
  private endCall: (end: CallEnd) => void = () => undefined;
  readonly ended = new Promise<CallEnd>((resolve) => { this.endCall = resolve; });
  hungUp = false;

  constructor(readonly callId: string, private readonly script: string[]) {}

  async play(): Promise<PlayResult> {
    return this.hungUp ? 'hangup' : 'completed';
  }

  async collectDigits(options: CollectDigitsOptions): Promise<CollectedDigits> {
    const next = this.script.shift();
    if (next === undefined) return { digits: '', reason: 'hangup' };
    if (next === '#') return { digits: '', reason: 'terminator' };
    expect(next.length).to.be.at.most(options.maxDigits);
    return { digits: next, reason: next === '' ? 'timeout' : next.length === options.maxDigits ? 'max' : 'timeout' };
  }

  onAudio(): () => void {
    return () => undefined;
  }

  onDigit(): () => void {
    return () => undefined;
  }

  async sendDigits(): Promise<void> {}

  async hangup(): Promise<void> {
    this.hungUp = true;
    this.endCall({ reason: 'local-hangup' });
  }
}

export function verifiedDecision(phone: string): TrustDecision {
  return { level: 'verified', attestation: 'A', stir: { status: 'absent' }, via: 'carrier-verstat', callingNumber: phone };
}

export function unverifiedDecision(phone: string): TrustDecision {
  return { level: 'unverified', attestation: null, stir: { status: 'absent' }, via: 'none', callingNumber: phone };
}
