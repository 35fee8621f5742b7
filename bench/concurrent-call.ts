// One simulated caller for the speech concurrency benchmark: a loop of dialog turns paced on the wall
// clock as RTP brings them. Each turn listens the way src/ivr/speech-listener.ts does: the recognizer
// stream opens when the prompt starts, the caller's line (quiet noise) streams to it while the prompt
// plays, then the caller speaks one corpus utterance (sometimes barging in), then the line is quiet again
// until the result. Name questions hear the phone grammar alongside on the same audio (pick-voter.ts),
// and the dialog waits for both, so a name turn's latency is the later of the two.
import { setTimeout as sleep } from 'node:timers/promises';
import type { CallerAcoustics } from '../src/speech/caller-acoustics.js';
import type { CorpusJudge, Outcome } from '../src/speech/corpus/judge.js';
import type { GrammarContext, Recognition, RecognitionStream, Recognizer } from '../src/speech/recognizer.js';
import { hypothesesMax, speechAnswerMaxMs } from '../src/ivr/speech-listener.js';
import { endSilenceMsFor } from '../src/speech/end-silence.js';
import { mainMenuSpokenPrompt } from '../src/ivr/main-menu.js';
import { politicsSpokenPrompt } from '../src/ivr/politics-menu.js';

export type DialogContext = 'command' | 'yesno' | 'vote' | 'bill' | 'name';

export interface CallItem {
  readonly context: DialogContext;
  readonly expected: string;
  readonly pcm: Int16Array;
  /** A loop of noise at the level of the recording's own quietest stretch: the line while nobody talks. */
  readonly lineNoise: Int16Array;
}

export interface TurnResult {
  readonly context: DialogContext;
  /** End of speech → result (the later of the two grammars on a name turn); null when speech never ended. */
  readonly latencyMs: number | null;
  readonly outcome: Outcome | 'missed';
  /** Audio the caller spoke this turn, in ms (for CPU per speech-second). */
  readonly speechAudioMs: number;
}

export interface CallClock {
  /** Frames written more than `lateMsMax` after their time (the event loop or the CPU could not keep up). */
  lateFrames: number;
  frames: number;
}

const frameSamples = 160;
const frameMs = 20;
export const lateMsMax = 100;
/** How long the line stays open after the utterance for the result (more than the longest hangover). */
const afterSpeechMsMax = 4000;
/** The dialog's own wait for a first answer after the prompt (listener.ts firstTimeoutMs is of this order). */
const firstTimeoutMs = 8000;

/**
 * What each context's prompt says, to time the listening before the caller speaks. The menu prompts are
 * the dialog's own; the others are the dialog's sentences with a typical bill and name filled in.
 */
const promptTexts: Readonly<Record<DialogContext, readonly string[]>> = {
  command: [mainMenuSpokenPrompt, politicsSpokenPrompt],
  yesno: ['I heard you say H R 1 2 3 4, is that right? Say yes or no, or press 1 for yes and 2 for no.'],
  vote: ['H R 1 2 3 4, the farm credit act. Say yes, no, abstain or absent, or press 1, 2, 3 or 4.'],
  bill: ['Vote on which bill? Say its number, like H R 1 2 3 4, or words of its title, or say numbers to hear the list.'],
  name: ['Say the name and town of your delegate, or say or enter their 10-digit phone number.'],
};
/** Speaking rate of the prompts: about 155 words a minute, the pace of flite's and espeak's default voices. */
const promptWordsPerSecond = 2.6;
/** Callers who know the menu talk over the prompt (barge-in) in this share of turns. */
export const bargeInShare = 0.25;

/** How long the context's prompts play, in ms (each of its prompts in turn, by `which`). */
export function promptMs(context: DialogContext, which = 0): number {
  const texts = promptTexts[context];
  const text = texts[which % texts.length] ?? '';
  return Math.round((text.split(/\s+/).length / promptWordsPerSecond) * 1000);
}

function frameAt(source: Int16Array, frame: number, loop: boolean): Int16Array | null {
  const offset = frame * frameSamples;
  if (loop) {
    const start = offset % (source.length - (source.length % frameSamples));
    return source.subarray(start, start + frameSamples);
  }
  return offset < source.length ? source.subarray(offset, offset + frameSamples) : null;
}

function openStream(recognizer: Recognizer, context: GrammarContext, listenMs: number, caller: CallerAcoustics):
RecognitionStream {
  const endSilenceMs = endSilenceMsFor(context);
  return recognizer.start({ context, nBest: hypothesesMax, noSpeechTimeoutMs: listenMs + firstTimeoutMs,
    maxSpeechMs: speechAnswerMaxMs, caller, ...(endSilenceMs === undefined ? {} : { endSilenceMs }) });
}

/** One turn: prompt (listening to the quiet line), the utterance, quiet until both results are in. */
export async function playTurn(recognizer: Recognizer, judge: CorpusJudge, item: CallItem, random: () => number,
  clock: CallClock, caller: CallerAcoustics): Promise<TurnResult> {
  const prompt = promptMs(item.context, Math.floor(random() * 8)) * (0.8 + 0.4 * random());
  const listenMs = random() < bargeInShare ? prompt * (0.4 + 0.4 * random()) : prompt;
  // Every answer of the call is heard with the call's acoustics, as src/ivr/speech-listener.ts hears them.
  const streams = [openStream(recognizer, item.context, listenMs, caller)];
  if (item.context === 'name') streams.push(openStream(recognizer, 'phone', listenMs, caller));
  let pending = streams.length;
  for (const stream of streams) void stream.result.then(() => { pending -= 1; });
  const quietFrames = Math.round(listenMs / frameMs);
  const speechFrames = Math.ceil(item.pcm.length / frameSamples);
  const lastFrame = quietFrames + speechFrames + afterSpeechMsMax / frameMs;
  const started = performance.now();
  for (let frame = 0; frame < lastFrame && pending > 0; frame += 1) {
    const wait = started + frame * frameMs - performance.now();
    if (wait > 0) await sleep(wait);
    else if (-wait > lateMsMax) clock.lateFrames += 1;
    clock.frames += 1;
    const spoken = frame >= quietFrames ? frameAt(item.pcm, frame - quietFrames, false) : null;
    const samples = spoken ?? frameAt(item.lineNoise, frame, true) as Int16Array;
    for (const stream of streams) stream.write(samples);
  }
  for (const stream of streams) stream.end();
  const results: Recognition[] = await Promise.all(streams.map(async (stream) => stream.result));
  const main = results[0] as Recognition;
  const speechAudioMs = (item.pcm.length / frameSamples) * frameMs;
  if (main.end !== 'end-of-speech') return { context: item.context, latencyMs: null, outcome: 'missed', speechAudioMs };
  const latencyMs = Math.max(...results.filter((result) => result.end === 'end-of-speech')
    .map((result) => result.latencyMs));
  const { outcome } = judge.judge(item.context, item.expected, main.hypotheses);
  return { context: item.context, latencyMs, outcome, speechAudioMs };
}
