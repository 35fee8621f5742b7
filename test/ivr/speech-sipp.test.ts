// The dialog by voice end to end: a real sipp caller sends one continuous G.711 RTP stream (real
// synthesized speech through a μ-law round trip, pauses as silence frames, keys as RFC 4733 events)
// into the real SIP endpoint, the real pocketsphinx recognizer hears it, and the dialog acts on it
// against a real redis-server. The caller's script is fixed in time (sipp cannot react to prompts), so
// it leaves pauses longer than a prompt and a recognition take; prompts are short silence here.
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { AppContext } from '../../src/app/context.js';
import { tallyReport } from '../../src/app/tally-service.js';
import { createLogger } from '../../src/config/logger.js';
import type { CallChannel } from '../../src/ivr/call-channel.js';
import { goodbyeSentence, type DialogEnd } from '../../src/ivr/dialog.js';
import { PhoneLine } from '../../src/ivr/phone-line.js';
import type { TranscriptLine } from '../../src/ivr/session.js';
import { withVoiceNames, type VoiceNames } from '../../src/speech/names/voice-names.js';
import { PocketsphinxRecognizer } from '../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import { telephoneSpeech } from '../speech/support/telephone-tts.js';
import { callerScript, type CallerStep } from '../telephony/support/caller-media.js';
import { writePcap } from '../telephony/support/pcap.js';
import { runSipp } from '../telephony/support/sipp.js';
import type { HandVoter } from '../support/iowa-zip.js';
import { startSippRig, type SippRig } from './support/sipp-rig.js';

const ann: HandVoter = { id: '2001', first: 'ann', last: 'caller', city: 'ames', county: 'story', phone: '5155550201' };
const john: HandVoter = { id: '2002', first: 'john', middle: 'quincy', last: 'doe', city: 'centerville', county: 'appanoose', phone: '5155550202' };
const una: HandVoter = { id: '2003', first: 'una', last: 'speaker', city: 'ames', county: 'story', phone: '5155550203' };
const promptSamples = 800; // 100 ms of silence per prompt
const answerPauseMs = 2_500; // a prompt, the end-of-speech hangover and a recognition fit well inside

interface CallRecord {
  readonly call: CallChannel;
  readonly end: DialogEnd;
  readonly transcript: TranscriptLine[];
}

describe('ivr: the dialog by voice over a real sipp call (G.711 speech, pocketsphinx)', function () {
  this.timeout(90_000);
  let dir: string;
  let context: AppContext;
  let recognizer: PocketsphinxRecognizer;
  let voiceNames: VoiceNames;
  let line: PhoneLine;
  let rig: SippRig;
  let transcript: TranscriptLine[] = [];
  let resolveEnded: (record: CallRecord) => void = () => undefined;
  const rtpPortMin = 47_000 + (process.pid % 50) * 100;

  async function call(caller: string, steps: readonly CallerStep[]): Promise<CallRecord> {
    transcript = [];
    const ended = new Promise<CallRecord>((resolve) => { resolveEnded = resolve; });
    const cwd = mkdtempSync(join(dir, 'sipp-'));
    writePcap(join(cwd, 'ivr-keys.pcap'), callerScript(steps));
    const sipp = await runSipp({
      scenario: 'ivr-call.xml', target: `127.0.0.1:${line.port}`, cwd, timeoutMs: 60_000,
      extraArgs: ['-key', 'caller', caller, '-key', 'verstat', 'TN-Validation-Passed'],
    });
    expect(sipp.code, sipp.stderr + sipp.stdout.slice(-2000)).to.equal(0);
    return ended;
  }

  const say = async (text: string): Promise<CallerStep> => ({ say: await telephoneSpeech(text, 'flite-kal', dir) });

  before(async () => {
    rig = await startSippRig({
      name: 'dn-ivr-speech-', rtpPortMin, voters: [ann, john, una], env: { RATE_LIMIT_CALLS_PER_NUMBER_PER_HOUR: '1000' },
      bills: [
        { id: 'hr1234', number: 'H.R. 1234', title: 'Test Act', week: '2026-11-23' },
        { id: 'hr99', number: 'H.R. 99', title: 'Other Act', week: '2026-11-23' },
      ],
      prepare: async (ready) => {
        recognizer = await PocketsphinxRecognizer.create({ poolSize: 2 });
        // As serve wires it: the roll's names and the two-pass name recognizer around the engine.
        voiceNames = await withVoiceNames(recognizer, ready.roll, createLogger('silent'));
        return { recognizer: voiceNames.recognizer, names: voiceNames.names };
      },
      dialog: {
        synthesizer: { synthesize: async () => new Int16Array(promptSamples) },
        timings: { silenceTimeoutMs: 6_000, interDigitTimeoutMs: 1_500, inactivityHangUpMs: 15_000 },
        captchaDigits: () => 4,
        transcript: (entry) => transcript.push(entry),
      },
      onDialogEnd: (channel, end) => resolveEnded({ call: channel, end, transcript }),
    });
    ({ dir, context, line } = rig);
  });

  after(async () => {
    await rig.stop(async () => {
      await voiceNames.close();
      await recognizer.close();
    });
  });

  it('captcha by keys, delegate confirmed by "yes", then "vote", "H R 1 2 3 4", "yes": state, tally and log', async () => {
    const logBefore = await context.auditLog.length();
    const record = await call(ann.phone, [
      { pauseMs: 600 }, { keys: '44' }, { pauseMs: 1_500 },
      { keys: john.phone }, { pauseMs: 1_500 },
      await say('yes'), { pauseMs: answerPauseMs },
      await say('vote'), { pauseMs: answerPauseMs },
      await say('h r one two three four'), { pauseMs: answerPauseMs },
      await say('yes'), { pauseMs: answerPauseMs },
      { keys: '9' }, { pauseMs: 1_000 },
    ]);
    const heard = record.transcript.filter((entry) => entry.who === 'caller').map((entry) => entry.text);
    const lines = record.transcript.filter((entry) => entry.who === 'system').map((entry) => entry.text);
    const context_ = `heard: ${JSON.stringify(heard)}\nsaid: ${JSON.stringify(lines)}`;
    expect(record.end, context_).to.equal('goodbye');
    // The caller's answers as the dialog took them: keys, then words the recognizer heard.
    expect(heard.slice(0, 2), context_).to.deep.equal(['44', john.phone]);
    expect(heard.filter((text) => text.startsWith('(said) ')), context_).to.have.length(4);
    expect(lines, context_).to.include('Done. Your delegate is now John Q Doe of Centerville.');
    expect(lines, context_).to.include('Your vote on H R 1234, Test Act is now yes.');
    expect(lines.at(-1)).to.equal(goodbyeSentence);
    // Nothing was read back: every spoken answer was sure.
    expect(lines.some((text) => text.startsWith('I heard you say')), context_).to.equal(false);

    expect((await context.store.defaultsOf(ann.id)).delegates).to.deep.equal([john.id]);
    expect(await context.store.voteOf(ann.id, 'hr1234')).to.equal('yes');
    const { tally } = await tallyReport(context, 'hr1234', { at: null, influencers: 0 });
    expect(tally).to.deep.include({ yes: 1, no: 0 });
    await context.auditLog.sealAll();
    const texts = (await context.auditLog.newest(10)).filter((entry) => entry.seq > logBefore)
      .map((entry) => `${entry.actor} ${entry.text}`);
    expect(texts).to.include('Ann Caller of Ames delegates -> John Q Doe of Centerville');
    expect(texts).to.include('Ann Caller of Ames votes yes on H.R. 1234');
  });

  it('names the delegate by voice: "John Doe of Centerville", confirmed by "yes", then votes no by voice', async () => {
    await context.democracy.addBills([{ id: 'hr77', number: 'H.R. 77', title: 'Third Act', week: '2026-11-23' }], 'import');
    const record = await call(una.phone, [
      { pauseMs: 600 }, { keys: '44' }, { pauseMs: 1_500 },
      await say('john doe of centerville'), { pauseMs: answerPauseMs + 1_500 },
      await say('yes'), { pauseMs: answerPauseMs },
      await say('vote'), { pauseMs: answerPauseMs },
      await say('h r seven seven'), { pauseMs: answerPauseMs },
      await say('no'), { pauseMs: answerPauseMs },
      { keys: '9' }, { pauseMs: 1_000 },
    ]);
    const heard = record.transcript.filter((entry) => entry.who === 'caller').map((entry) => entry.text);
    const lines = record.transcript.filter((entry) => entry.who === 'system').map((entry) => entry.text);
    const context_ = `heard: ${JSON.stringify(heard)}\nsaid: ${JSON.stringify(lines)}`;
    expect(record.end, context_).to.equal('goodbye');
    expect(lines, context_).to.include('Done. Your delegate is now John Q Doe of Centerville.');
    expect(lines, context_).to.include('Your vote on H R 77, Third Act is now no.');
    expect((await context.store.defaultsOf(una.id)).delegates).to.deep.equal([john.id]);
    expect(await context.store.voteOf(una.id, 'hr77')).to.equal('no');
  });
});
