// The demonstration application (tests only): on each call, say "enter two digits", collect two keys,
// say them back, hang up. It reports what it heard so tests can check it.
import type { CallChannel, CollectedDigits, PlayResult } from '../../../src/ivr/call-channel.js';
import type { PromptSynthesizer } from '../../../src/ivr/prompts.js';

export interface DemoOutcome {
  readonly call: CallChannel;
  readonly promptResult: PlayResult;
  readonly collected: CollectedDigits;
  readonly readBackResult: PlayResult | null;
}

export async function runDemoCall(call: CallChannel, prompts: PromptSynthesizer): Promise<DemoOutcome> {
  const promptResult = await call.play(await prompts.synthesize('enter two digits'), { interruptible: true });
  const collected = await call.collectDigits({ maxDigits: 2, timeoutMs: 10_000, interDigitTimeoutMs: 5000 });
  let readBackResult: PlayResult | null = null;
  if (collected.reason !== 'hangup') {
    const spoken = [...collected.digits].join(' ');
    readBackResult = await call.play(await prompts.synthesize(`you entered ${spoken.length > 0 ? spoken : 'nothing'}`));
    await call.hangup();
  }
  return { call, promptResult, collected, readBackResult };
}
