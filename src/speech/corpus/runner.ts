// Runs a corpus manifest through a recognizer the way a call would: each file decoded and resampled to
// 8 kHz, streamed in 20 ms frames, followed by the quiet line of a caller who has stopped talking (noise at
// the level of the file's quietest stretch, line-noise.ts: so the VAD's end of speech, not the end of the
// file, closes the utterance, on a line like the call's), then judged. A bad item is an
// error in its own result, never the end of the run.
//
// Two ways to stream: as fast as possible (the default; the whole file is written at once, so the
// end-of-speech -> result latency includes decoding the backlog of the whole utterance), or paced on the
// wall clock, one 20 ms frame every 20 ms as RTP brings it, so the latency is what a caller waits.
// Each context ends on the hangover the dialog listens with (end-silence.ts). Items of one call (the
// manifest's `call`) are heard in order on one worker with the call's acoustics, as the speech listener
// hears a call's answers; every other item is a call's first answer.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { CallerAcoustics } from '../caller-acoustics.js';
import { endSilenceMsFor } from '../end-silence.js';
import { townTaken } from '../names/city-answer.js';
import type { GrammarContext, Recognition, Recognizer } from '../recognizer.js';
import { followedByLine } from '../audio/line-noise.js';
import { AudioDecodeError, decodeAudioFile } from './audio-file.js';
import type { CorpusJudge, Judgement } from './judge.js';
import { audioPath, manifestRelative, type Manifest, type ManifestItem } from './manifest.js';

export const frameSamples = 160;
/** The caller's silence after the file (the line's noise): more than the VAD's hangover, as a caller waiting. */
export const trailingSilenceMsDefault = 1000;

export interface ItemResult {
  index: number;
  item: ManifestItem;
  /** Absolute path of the audio file. */
  audioPath: string;
  judgement: Judgement;
  /** Best hypothesis text ('' when none). */
  heard: string;
  hypotheses: Recognition['hypotheses'];
  /** What the engine heard but did not offer, and why (Recognition.withheld); absent when nothing was withheld. */
  withheld?: Recognition['withheld'];
  /** Set when the file could not be decoded or recognized; the item then counts as rejected. */
  error: string | null;
  warnings: string[];
  audioMs: number;
  /** Recognizer's end-of-speech → result, in ms; null when there was no result. */
  latencyMs: number | null;
  /** Wall time to stream and recognize the item (not decoding the file). */
  processingMs: number;
  end: Recognition['end'] | null;
}

export interface CorpusRun {
  results: ItemResult[];
  /** Sum of the items' audio, and of the wall time spent recognizing them. */
  audioMs: number;
  processingMs: number;
}

export interface RunCorpusOptions {
  manifestPath: string;
  manifest: Manifest;
  recognizer: Recognizer;
  judge: CorpusJudge;
  /** Grammar variant per context (e.g. the roll's name grammar key); undefined: the context's default. */
  grammarKey?: (context: GrammarContext) => string | undefined;
  nBest?: number;
  trailingSilenceMs?: number;
  /** Items recognized at once (each its own stream). */
  concurrency?: number;
  /** Frames written on the wall clock, 20 ms apart (the latency a caller waits), not all at once. */
  paced?: boolean;
  /**
   * For a name said after its town (cityAudio): how long the dialog takes to read the town back and hear the
   * yes. As the dialog does, the runner has the recognizer ready the name's grammars (Recognizer.prepare) and
   * waits for them at most this long before the name's audio. 0 (the default): nothing is readied, and the
   * name's latency includes building and compiling its town's grammars. Not counted as processing time.
   */
  readBackMs?: number;
  onItem?: (done: number, total: number) => void;
}

function failed(index: number, item: ManifestItem, path: string, error: string, audioMs = 0): ItemResult {
  return { index, item, audioPath: path, judgement: { outcome: 'rejected', value: null, candidates: [], note: error },
    heard: '', hypotheses: [], error, warnings: [], audioMs, latencyMs: null, processingMs: 0, end: null };
}

const frameMs = 20;

/**
 * Streams PCM in 20 ms frames, then the line's noise (followedByLine), then end(); resolves with the
 * recognition. Paced: each frame leaves at its time on the wall clock, and the stream stops being fed once it
 * has a result.
 */
export async function recognizePcm(recognizer: Recognizer, pcm: Int16Array, options: {
  context: GrammarContext; grammarKey?: string; nBest: number; trailingSilenceMs: number; paced?: boolean;
  caller?: CallerAcoustics; cityHeard?: Recognition['hypotheses'];
}): Promise<Recognition> {
  const endSilenceMs = endSilenceMsFor(options.context);
  const stream = recognizer.start({ context: options.context, nBest: options.nBest,
    ...(options.grammarKey === undefined ? {} : { grammarKey: options.grammarKey }),
    ...(options.caller === undefined ? {} : { caller: options.caller }),
    ...(options.cityHeard === undefined ? {} : { cityHeard: options.cityHeard }),
    ...(endSilenceMs === undefined ? {} : { endSilenceMs }),
    noSpeechTimeoutMs: Math.max(5000, Math.round(pcm.length / 8) + 2000), maxSpeechMs: 30_000 });
  const audio = followedByLine(pcm, Math.ceil(options.trailingSilenceMs / frameMs) * frameMs);
  const frames = Math.ceil(audio.length / frameSamples);
  let settled = false;
  void stream.result.then(() => { settled = true; });
  const started = performance.now();
  for (let frame = 0; frame < frames && !settled; frame += 1) {
    // A timer may fire up to a millisecond before performance.now() reaches its time (libuv keeps whole
    // milliseconds): wait again until the frame's time has come, so no frame leaves early.
    const due = started + frame * frameMs;
    while (options.paced === true && performance.now() < due) await sleep(due - performance.now());
    const offset = frame * frameSamples;
    stream.write(audio.subarray(offset, offset + frameSamples));
  }
  stream.end();
  return stream.result;
}

async function runItem(options: RunCorpusOptions, index: number, item: ManifestItem,
  caller: CallerAcoustics): Promise<ItemResult> {
  const path = audioPath(options.manifestPath, item);
  // An expected value nothing reads (expected-value.ts) could only be scored wrong: it is this item's error.
  if (item.expectedError !== undefined) return failed(index, item, path, `expected value ${item.expectedError}`);
  const notOnRoll = options.judge.expectedError?.(item.context, item.expected) ?? null;
  if (notOnRoll !== null) return failed(index, item, path, notOnRoll);
  const cityPath = item.cityAudio === undefined ? null : manifestRelative(options.manifestPath, item.cityAudio);
  let decoded;
  let town: Awaited<ReturnType<typeof decodeAudioFile>> | null;
  try {
    town = cityPath === null ? null : await decodeAudioFile(cityPath);
    decoded = await decodeAudioFile(path);
  } catch (error) {
    if (error instanceof AudioDecodeError) return failed(index, item, path, error.message);
    throw error;
  }
  const started = performance.now();
  let recognition: Recognition;
  let townHeard: Recognition | null = null;
  let readBackMs = 0;
  const recognize = async (pcm: Int16Array, context: GrammarContext, on: CallerAcoustics,
    cityHeard?: Recognition['hypotheses']): Promise<Recognition> => {
    const grammarKey = options.grammarKey?.(context);
    return recognizePcm(options.recognizer, pcm, { context, nBest: options.nBest ?? 5,
      trailingSilenceMs: options.trailingSilenceMs ?? trailingSilenceMsDefault, paced: options.paced === true,
      ...(grammarKey === undefined ? {} : { grammarKey }), caller: on,
      ...(cityHeard === undefined ? {} : { cityHeard }) });
  };
  try {
    // The town and then the name are two answers of one call: the line's acoustics carry from one to the other.
    townHeard = town === null ? null : await recognize(town.pcm, 'city', caller);
    // The dialog goes on with one town: sure, or read back and confirmed; otherwise it asks for the town again
    // and the name is never asked (the item is rejected).
    const taken = townHeard === null ? undefined : options.judge.townTaken === undefined
      ? townHeard.hypotheses : townTakenReading(options.judge.townTaken(item.expected, townHeard.hypotheses));
    if (taken !== undefined && taken.length === 0) {
      return { ...failed(index, item, path, '', decoded.durationMs + (town?.durationMs ?? 0)), error: null,
        judgement: { outcome: 'rejected', value: null, candidates: [], note: 'town not taken: asked again' },
        heard: `${townHeard?.hypotheses[0]?.text ?? '(no town)'} / `, processingMs: performance.now() - started };
    }
    if (taken !== undefined) readBackMs = await readBack(options, item.context, caller, taken);
    recognition = await recognize(decoded.pcm, item.context, caller, taken);
  } catch (error) {
    return failed(index, item, path, `recognizer failed: ${error instanceof Error ? error.message : String(error)}`,
      decoded.durationMs);
  }
  const processingMs = performance.now() - started - readBackMs;
  const judgement = options.judge.judge(item.context, item.expected, recognition.hypotheses);
  const townSaid = townHeard === null ? '' : `${townHeard.hypotheses[0]?.text ?? '(no town)'} / `;
  return { index, item, audioPath: path, judgement, heard: `${townSaid}${recognition.hypotheses[0]?.text ?? ''}`,
    hypotheses: recognition.hypotheses, error: null, warnings: [...town?.warnings ?? [], ...decoded.warnings],
    audioMs: decoded.durationMs + (town?.durationMs ?? 0), latencyMs: recognition.latencyMs, processingMs,
    end: recognition.end, ...(recognition.withheld === undefined ? {} : { withheld: recognition.withheld }) };
}

/**
 * The read-back of a town taken (options.readBackMs): the name's grammars readied meanwhile, waited for at most
 * that long. The wall time it took, to leave out of the item's processing time.
 */
async function readBack(options: RunCorpusOptions, context: GrammarContext, caller: CallerAcoustics,
  cityHeard: Recognition['hypotheses']): Promise<number> {
  const readBackMs = options.readBackMs ?? 0;
  if (readBackMs <= 0 || options.recognizer.prepare === undefined) return 0;
  const started = performance.now();
  const grammarKey = options.grammarKey?.(context);
  const readied = options.recognizer.prepare({ context, nBest: options.nBest ?? 5, noSpeechTimeoutMs: 5000,
    maxSpeechMs: 30_000, cityHeard, caller, ...(grammarKey === undefined ? {} : { grammarKey }) })
    .catch(() => undefined);
  const timeout = new AbortController();
  await Promise.race([readied, sleep(readBackMs, undefined, { signal: timeout.signal }).catch(() => undefined)]);
  timeout.abort();
  return performance.now() - started;
}

/** The town the dialog took, as the one reading the name path listens in; none: []. */
function townTakenReading(slug: string | null): Recognition['hypotheses'] {
  return slug === null ? [] : townTaken(slug);
}

/**
 * The manifest's items as calls, each a list of item indices in manifest order: the items sharing a `call`,
 * or one item without one. Calls come in the order of their first item.
 */
export function corpusCalls(items: readonly ManifestItem[]): number[][] {
  const calls: number[][] = [];
  const named = new Map<string, number[]>();
  items.forEach((item, index) => {
    if (item.call === undefined) {
      calls.push([index]);
      return;
    }
    const call = named.get(item.call);
    if (call !== undefined) {
      call.push(index);
      return;
    }
    const started = [index];
    named.set(item.call, started);
    calls.push(started);
  });
  return calls;
}

export async function runCorpus(options: RunCorpusOptions): Promise<CorpusRun> {
  const items = options.manifest.items as ManifestItem[];
  const results: ItemResult[] = new Array<ItemResult>(items.length);
  const calls = corpusCalls(items);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    for (let call = next++; call < calls.length; call = next++) {
      const indices = calls[call] ?? [];
      // A call of several answers carries its line's acoustics from one to the next. A lone item is a call
      // too: fresh acoustics hear it as no acoustics would, and tell the engine which passes are one caller's
      // (the decode throttle counts calls, not passes).
      const caller = new CallerAcoustics();
      for (const index of indices) {
        results[index] = await runItem(options, index, items[index] as ManifestItem, caller);
        done += 1;
        options.onItem?.(done, items.length);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, worker));
  return {
    results,
    audioMs: results.reduce((sum, result) => sum + result.audioMs, 0),
    processingMs: results.reduce((sum, result) => sum + result.processingMs, 0),
  };
}
