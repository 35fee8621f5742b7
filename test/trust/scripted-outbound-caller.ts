// TEST DOUBLE ONLY. ScriptedOutboundCaller implements the OutboundCaller port with a script of
// answers, for unit tests of the call-back logic and of the dialog's call-back offer. The real
// implementation (src/ivr/dialer-outbound-caller.ts, over the SIP endpoint) is tested with sipp as
// the called phone in test/ivr/call-back.test.ts. This class must never be used outside tests.
import type { OutboundCaller } from '../../src/trust/call-back.js';

export type ScriptedAnswer = { outcome: 'answered'; digits: string } | { outcome: 'no-answer' | 'busy' | 'failed' };

export class ScriptedOutboundCaller implements OutboundCaller {
  readonly placed: Array<{ to: string; prompt: string; digitsExpected: number; timeoutMs: number }> = [];

  constructor(private readonly answers: ScriptedAnswer[]) {}

  async callAndCollectDigits(opts: { to: string; prompt: string; digitsExpected: number; timeoutMs: number }):
    Promise<ScriptedAnswer> {
    this.placed.push(opts);
    const answer = this.answers.shift();
    if (answer === undefined) throw new Error('ScriptedOutboundCaller: no scripted answer left');
    // Like a real call, the answer arrives asynchronously.
    await new Promise((resolve) => setImmediate(resolve));
    return answer;
  }
}
