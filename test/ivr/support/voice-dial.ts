// One call through the real dialog from a verified caller, answered by a script of keys and spoken audio:
// what the in-process voice tests share (naming a person, bills, money).
import { pino } from 'pino';
import type { AppContext } from '../../../src/app/context.js';
import { runDialog } from '../../../src/ivr/dialog.js';
import type { TranscriptLine } from '../../../src/ivr/session.js';
import { defaultDialogTimings } from '../../../src/ivr/verb.js';
import { jurisdictionFor } from '../../../src/roll/jurisdictions.js';
import { verifiedDecision } from './scripted-channel.js';
import { VoiceScriptedChannel, type Turn } from './voice-scripted-channel.js';

/** What the call listens with: the engine (and the roll's names, for naming a person by voice). */
export type VoiceListening = Pick<Parameters<typeof runDialog>[2], 'recognizer' | 'names'>;

/** The call's transcript, every line said by either side. */
export async function dialByVoice(context: AppContext, listening: VoiceListening, callId: string, callerPhone: string,
  script: Turn[]): Promise<TranscriptLine[]> {
  const transcript: TranscriptLine[] = [];
  await runDialog(new VoiceScriptedChannel(callId, script), verifiedDecision(callerPhone), {
    context, redis: context.connection.redis, logger: pino({ level: 'silent' }), jurisdiction: jurisdictionFor('iowa'),
    synthesizer: { synthesize: async () => new Int16Array(8) }, timings: defaultDialogTimings, captchaDigits: () => 4,
    tellMeAboutText: 'About us.', transcript: (line) => transcript.push(line), ...listening,
  });
  return transcript;
}
