// Concurrent callers in real time: N streams each fed 20 ms frames on the wall clock (as RTP brings
// them), so end-of-speech → result is what a caller waits, not the backlog of audio pushed faster than
// real time (which the corpus runner's latency includes). Also the resident memory each extra decoder
// costs: RSS with N decoders against RSS with one, divided by N − 1.
import { setTimeout as sleep } from 'node:timers/promises';
import { followedByLine } from '../src/speech/audio/line-noise.js';
import type { CorpusEngine } from '../src/speech/corpus/engine.js';
import { percentile } from '../src/speech/corpus/summary.js';
import type { GrammarContext } from '../src/speech/recognizer.js';

export interface PacedItem {
  readonly context: GrammarContext;
  readonly pcm: Int16Array;
}

export interface PacedMeasurement {
  streams: number;
  utterances: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  latencyMaxMs: number | null;
  /** Frames that left more than 100 ms late (the event loop or the CPU could not keep up). */
  lateFrames: number;
  decoders: number;
  rssMiB: number;
}

const frameSamples = 160;
const frameMs = 20;
const trailingSilenceMs = 1000;
const lateMsMax = 100;

async function pacedUtterance(engine: CorpusEngine, item: PacedItem, late: { frames: number }): Promise<number | null> {
  const stream = engine.recognizer.start({ context: item.context, nBest: 5, noSpeechTimeoutMs: 8000,
    maxSpeechMs: 30_000 });
  const audio = followedByLine(item.pcm, trailingSilenceMs);
  const frames = Math.ceil(audio.length / frameSamples);
  const started = performance.now();
  let settled = false;
  void stream.result.then(() => { settled = true; });
  for (let frame = 0; frame < frames && !settled; frame += 1) {
    const due = started + frame * frameMs;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    else if (-wait > lateMsMax) late.frames += 1;
    const offset = frame * frameSamples;
    stream.write(audio.subarray(offset, offset + frameSamples));
  }
  stream.end();
  const result = await stream.result;
  return result.end === 'end-of-speech' ? result.latencyMs : null;
}

/** `streams` callers at once, each saying `perStream` of the items (spread so streams differ). */
export async function measurePaced(engine: CorpusEngine, items: readonly PacedItem[], streams: number,
  perStream: number, decoderCount: () => number): Promise<PacedMeasurement> {
  const latencies: number[] = [];
  const late = { frames: 0 };
  await Promise.all(Array.from({ length: streams }, async (_, stream) => {
    // Callers do not all start on the same 20 ms boundary.
    await sleep((stream * 7) % frameMs);
    for (let turn = 0; turn < perStream; turn += 1) {
      const item = items[(stream * perStream + turn) % items.length] as PacedItem;
      const latency = await pacedUtterance(engine, item, late);
      if (latency !== null) latencies.push(latency);
    }
  }));
  latencies.sort((a, b) => a - b);
  const round = (value: number | null): number | null => (value === null ? null : Math.round(value));
  return { streams, utterances: latencies.length, latencyP50Ms: round(percentile(latencies, 0.5)),
    latencyP95Ms: round(percentile(latencies, 0.95)), latencyMaxMs: round(latencies.at(-1) ?? null),
    lateFrames: late.frames, decoders: decoderCount(), rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20) };
}
