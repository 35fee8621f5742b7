// TEST DOUBLE ONLY. ScriptedOutboundCaller implements the OutboundCaller port with a script of
// answers, because the real SIP endpoint (src/telephony, another issue) does not exist yet. Once it
// does, the call-back tests should also run against it with SIPp; this class must never be used
// outside tests.
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
