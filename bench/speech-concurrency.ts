// How many concurrent calls' speech one process carries (issue 4: "we need ≥ 100 concurrent calls on 2
// cores"). N simulated callers at once (concurrent-call.ts), each a loop of dialog turns paced in real
// time, all on ONE engine built as the server builds it: the configured factory (src/speech/factory.ts,
// SPEECH_DECODERS_MAX from the configuration's default unless a variant changes it) wrapped in the
// two-pass name path. Per N: end-of-speech → result p50/p95/p99 (all and per context), accuracy per
// context (does it fall when starved?), frames written late, CPU per call-second, decoders created,
// RSS/heap. Baseline in the same run: N = 1, against which latency and CPU per call are ratios.
//
// Turn mix (a call is mostly menus and short answers, a name now and then): from the dialog's two main
// flows, vote = command (politics), command (vote), bill, vote value, sometimes a yes/no read-back;
// delegate = command, command, name (+ phone alongside), yes/no. Weighted over calls: command 35 %,
// yes/no 25 %, vote 15 %, bill 15 %, name 10 %. Utterances come from the CI corpus's tuning part.
//
// Variants are the cheapest fixes, each measured at every N (SPEECH_CONCURRENCY_VARIANTS picks them; with more
// than one, each runs in a node process of its own, and one may be listed twice to see the spread).
// SPEECH_CONCURRENCY_LEVELS (default 1,10,25,50,100), SPEECH_CONCURRENCY_TURNS (turns per call, default
// 4) and SPEECH_CONCURRENCY_TURNS_MIN (turns per level at least, default 16: one call alone says more turns,
// so its percentiles mean something) size the run. Figures depend on other load: the load average is
// recorded with each level.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/config/logger.js';
import { jurisdictionFor } from '../src/roll/jurisdictions.js';
import { decodeAudioFile } from '../src/speech/corpus/audio-file.js';
import { DialogJudge } from '../src/speech/corpus/dialog-judge.js';
import { buildNameIndex } from '../src/speech/corpus/engine.js';
import { audioPath, loadManifest } from '../src/speech/corpus/manifest.js';
import { readRollVoters } from '../src/speech/corpus/roll-voters.js';
import { createRecognizer } from '../src/speech/factory.js';
import { loadCmudict } from '../src/speech/lexicon/cmudict.js';
import { NameGeneration } from '../src/speech/names/name-generation.js';
import { citySlug, nameRollOf } from '../src/speech/names/name-roll.js';
import {
  canAddGrammars, TwoPassNameRecognizer, type NamePassTimings, type TwoPassOptions,
} from '../src/speech/names/two-pass-name-recognizer.js';
import { PocketsphinxRecognizer } from '../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import { lineNoiseOf } from '../src/speech/audio/line-noise.js';
import { CallerAcoustics } from '../src/speech/caller-acoustics.js';
import type { RegisteredVoter } from '../src/core/voter.js';
import {
  playTurn, type CallClock, type CallItem, type DialogContext, type TurnResult,
} from './concurrent-call.js';
import { nameStages } from './name-stages.js';
import { NativeCallTiming, type CallTiming } from './native-call-timing.js';
import { benchArgument, isMainModule, percentileOf, seededRandom, writeBenchResult } from './support.js';

const corpusDir = fileURLToPath(new URL('../../test-audio/', import.meta.url));
const turnMix: ReadonlyArray<readonly [DialogContext, number]> = [
  ['command', 0.35], ['yesno', 0.25], ['vote', 0.15], ['bill', 0.15], ['name', 0.10],
];
/** Turns each call of the warm-up burst says (unmeasured levels follow it). */
const warmUpTurns = 2;
/** The target of issue 4. */
const latencyP95TargetMs = 300;

interface Variant {
  readonly name: string;
  readonly description: string;
  /** SPEECH_DECODERS_MAX; null: the configuration's default. */
  readonly decodersMax: number | null;
  readonly twoPass?: TwoPassOptions;
  /** POCKETSPHINX_BACKGROUND_DECODES; absent: the configuration's default (cores); null: off. */
  readonly backgroundDecodes?: number | null;
  /** POCKETSPHINX_EARLY_DECODE; absent: the configuration's default (true). */
  readonly earlyDecode?: boolean;
}

const variants: readonly Variant[] = [
  { name: 'app-default', description: 'as the server runs with the default configuration', decodersMax: null },
  { name: 'decoders-32', description: 'SPEECH_DECODERS_MAX=32: room for the utterances of ~100 calls at once',
    decodersMax: 32 },
  { name: 'decoders-32-no-following', description: '32 decoders; the name path\'s live following passes off '
    + '(speculativeCitiesMax 0: the fallback finder and pass 2 decode after the end of speech)',
  decodersMax: 32, twoPass: { speculativeCitiesMax: 0 } },
  { name: 'decoder-per-talker', description: 'a decoder for every utterance at once (no queue: up to 512)',
    decodersMax: 512 },
  { name: 'short-forms-after', description: 'as the default, but the names\' second try with first-name short forms '
    + 'decodes after pass 2 instead of following the caller live (shortFormsFollowLive false)',
  decodersMax: null, twoPass: { shortFormsFollowLive: false } },
  { name: 'background-decodes-cores', description: 'the default, said: while more calls are heard than the machine '
    + 'has cores, a streamed answer\'s decodes while the caller speaks yield to the decodes someone waits for: they '
    + 'run only while fewer decodes than the cores run (POCKETSPHINX_BACKGROUND_DECODES=cores)', decodersMax: null, backgroundDecodes: availableParallelism() },
  { name: 'background-decodes-off', description: 'every decode call in the order it is made, however many calls '
    + 'are heard (POCKETSPHINX_BACKGROUND_DECODES=off)', decodersMax: null, backgroundDecodes: null },
  { name: 'background-decodes-1', description: 'as the default, but decodes that may lag run only while no other '
    + 'decode runs (POCKETSPHINX_BACKGROUND_DECODES=1)', decodersMax: null, backgroundDecodes: 1 },
  { name: 'background-decodes-4', description: 'as the default, but decodes that may lag run while fewer than 4 '
    + 'decodes run (POCKETSPHINX_BACKGROUND_DECODES=4)', decodersMax: null, backgroundDecodes: 4 },
  { name: 'early-decode-off', description: 'as the default, but an answer decoded whole waits for the whole '
    + 'hangover before its decode starts (POCKETSPHINX_EARLY_DECODE=false)', decodersMax: null, earlyDecode: false },
];

interface Engine {
  recognizer: TwoPassNameRecognizer;
  base: PocketsphinxRecognizer;
  judge: DialogJudge;
  decodersMax: number;
  /** Each name utterance's stages since the level started (the level empties it). */
  nameTimings: NamePassTimings[];
  close(): Promise<void>;
}

/** The server's wiring (app/server.ts + names/voice-names.ts) over the corpus roll, with city grammars built. */
async function buildEngine(voters: readonly RegisteredVoter[], items: readonly CallItem[], variant: Variant):
Promise<Engine> {
  const config = loadConfig({});
  const decodersMax = variant.decodersMax ?? config.speechDecodersMax;
  const base = await createRecognizer({ ...config, speechDecodersMax: decodersMax,
    ...(variant.backgroundDecodes === undefined ? {} : { pocketsphinxBackgroundDecodes: variant.backgroundDecodes }),
    ...(variant.earlyDecode === undefined ? {} : { pocketsphinxEarlyDecode: variant.earlyDecode }) },
  createLogger('warn', 'bench'));
  if (!(base instanceof PocketsphinxRecognizer) || !canAddGrammars(base)) {
    await base?.close();
    throw new Error('the speech concurrency benchmark needs pocketsphinx (SPEECH_ENGINE)');
  }
  const [names, dictionary] = await Promise.all([buildNameIndex(voters), loadCmudict()]);
  const generation = await NameGeneration.prepare(nameRollOf('bench', voters), dictionary);
  // A running server has the heard cities' grammars cached (it warms the largest at start-up).
  const byId = new Map(voters.map((voter) => [voter.id as string, voter]));
  const cities = new Set(items.filter((item) => item.context === 'name')
    .map((item) => citySlug(byId.get(item.expected)?.city ?? '')));
  for (const slug of cities) await generation.cities.cityGrammar(slug);
  const nameTimings: NamePassTimings[] = [];
  const recognizer = new TwoPassNameRecognizer(base, () => Promise.resolve(generation), variant.twoPass ?? {},
    (timings) => { nameTimings.push(timings); });
  return { recognizer, base, judge: new DialogJudge(names), decodersMax, nameTimings, close: async () => {
    await recognizer.close();
    await generation.dispose();
  } };
}

function pickContext(random: () => number): DialogContext {
  let draw = random();
  for (const [context, share] of turnMix) {
    if (draw < share) return context;
    draw -= share;
  }
  return 'command';
}

function latencySummary(latencies: number[]): { items: number; p50: number | null; p95: number | null;
  p99: number | null } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (share: number): number | null => (sorted.length === 0 ? null : Math.round(percentileOf(sorted, share)));
  return { items: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

const load = (): number[] => loadavg().map((value) => Math.round(value * 10) / 10);
const mib = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;

export interface LevelMeasurement {
  calls: number;
  turns: number;
  latencyMs: ReturnType<typeof latencySummary>;
  latencyMsByContext: Record<string, ReturnType<typeof latencySummary>>;
  accuracyByContext: Record<string, { turns: number; correct: number; wrongConfident: number; rejected: number;
    missed: number }>;
  accuracy: number;
  lateFrames: number;
  framesWritten: number;
  wallSeconds: number;
  /** CPU of the whole process (every thread) per second of call, in ms: 1000 = one core per call. */
  cpuMsPerCallSecond: number;
  cpuMsPerSpeechSecond: number;
  coresUsed: number;
  decodersCreated: number;
  decodersTotal: number;
  grammarsCompiled: number;
  /** Answers decoded before their hangover ended, and of those, the ones taken (POCKETSPHINX_EARLY_DECODE). */
  earlyDecodes: { decoded: number; taken: number };
  rssPeakMiB: number;
  heapPeakMiB: number;
  loadAverage1m5m15m: { atStart: number[]; atEnd: number[] };
  /** Audio the decoders were fed (every stream of every turn), against the audio of the utterances. */
  decodedAudioSeconds: number;
  utteranceAudioSeconds: number;
  /** pocketsphinx calls by total time: on the event loop, or on a pool thread (wall time, queueing included). */
  nativeCalls: Record<string, CallTiming>;
  /** Where the name turns' time after the end of speech went (name-stages.ts): names are the tail under load. */
  nameStages: Record<string, unknown>;
}

async function measureLevel(engine: Engine, itemsByContext: Map<DialogContext, CallItem[]>, calls: number,
  turnsPerCall: number, native: NativeCallTiming): Promise<LevelMeasurement> {
  const atStart = load();
  native.snapshot(Number.POSITIVE_INFINITY);
  engine.nameTimings.splice(0);
  const clock: CallClock = { lateFrames: 0, frames: 0 };
  const decodersBefore = engine.base.decoderCount;
  const decodedBefore = engine.base.audioSecondsDecoded;
  const compiledBefore = engine.base.searchesCompiled;
  const earlyBefore = engine.base.earlyDecodes;
  let rssPeak = process.memoryUsage().rss;
  let heapPeak = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    rssPeak = Math.max(rssPeak, usage.rss);
    heapPeak = Math.max(heapPeak, usage.heapUsed);
  }, 500);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let callMs = 0;
  const results: TurnResult[] = [];
  await Promise.all(Array.from({ length: calls }, async (_, call) => {
    const random = seededRandom(call + 1);
    // Calls arrive spread over the first two seconds, not on one tick.
    await new Promise((resolve) => setTimeout(resolve, random() * 2000));
    const callStarted = performance.now();
    const caller = new CallerAcoustics();
    for (let turn = 0; turn < turnsPerCall; turn += 1) {
      const choices = itemsByContext.get(pickContext(random)) ?? [];
      const item = choices[Math.floor(random() * choices.length)];
      if (item === undefined) throw new Error('no corpus item for a context of the turn mix');
      results.push(await playTurn(engine.recognizer, engine.judge, item, random, clock, caller));
    }
    callMs += performance.now() - callStarted;
  }));
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const speechMs = results.reduce((sum, result) => sum + result.speechAudioMs, 0);
  const latencies = results.flatMap((result) => (result.latencyMs === null ? [] : [result.latencyMs]));
  const contexts = [...new Set(results.map((result) => result.context))].sort();
  const count = (context: string, outcome: TurnResult['outcome']): number =>
    results.filter((result) => result.context === context && result.outcome === outcome).length;
  return {
    calls, turns: results.length, latencyMs: latencySummary(latencies),
    latencyMsByContext: Object.fromEntries(contexts.map((context) => [context, latencySummary(results
      .flatMap((result) => (result.context === context && result.latencyMs !== null ? [result.latencyMs] : [])))])),
    accuracyByContext: Object.fromEntries(contexts.map((context) => [context, {
      turns: results.filter((result) => result.context === context).length, correct: count(context, 'correct'),
      wrongConfident: count(context, 'wrong-confident'), rejected: count(context, 'rejected'),
      missed: count(context, 'missed') }])),
    accuracy: Math.round((results.filter((result) => result.outcome === 'correct').length / results.length) * 1000) / 1000,
    lateFrames: clock.lateFrames, framesWritten: clock.frames, wallSeconds: Math.round(wallMs / 100) / 10,
    cpuMsPerCallSecond: Math.round((cpuMs / (callMs / 1000)) * 10) / 10,
    cpuMsPerSpeechSecond: Math.round(cpuMs / (speechMs / 1000)),
    coresUsed: Math.round((cpuMs / wallMs) * 100) / 100,
    decodersCreated: engine.base.decoderCount - decodersBefore, decodersTotal: engine.base.decoderCount,
    grammarsCompiled: engine.base.searchesCompiled - compiledBefore,
    earlyDecodes: { decoded: engine.base.earlyDecodes.decoded - earlyBefore.decoded,
      taken: engine.base.earlyDecodes.taken - earlyBefore.taken },
    rssPeakMiB: mib(rssPeak), heapPeakMiB: mib(heapPeak), loadAverage1m5m15m: { atStart, atEnd: load() },
    decodedAudioSeconds: Math.round(engine.base.audioSecondsDecoded - decodedBefore),
    utteranceAudioSeconds: Math.round(speechMs / 1000), nativeCalls: native.snapshot(),
    nameStages: nameStages(engine.nameTimings.splice(0)),
  };
}

interface LoadedItems { voters: readonly RegisteredVoter[]; itemsByContext: Map<DialogContext, CallItem[]> }

async function loadItems(): Promise<LoadedItems> {
  const { voters } = await readRollVoters(`${corpusDir}roll-sample.zip`, jurisdictionFor('iowa'));
  const manifestPath = `${corpusDir}ci/manifest-tuning.json`;
  const manifest = await loadManifest(manifestPath);
  const random = seededRandom(7);
  const itemsByContext = new Map<DialogContext, CallItem[]>();
  for (const [context] of turnMix) {
    const items = await Promise.all(manifest.items.filter((item) => item.context === context).map(async (item) => {
      const { pcm } = await decodeAudioFile(audioPath(manifestPath, item));
      return { context, expected: item.expected, pcm, lineNoise: lineNoiseOf(pcm, random) };
    }));
    itemsByContext.set(context, items);
  }
  return { voters, itemsByContext };
}

function numberList(value: string, name: string): number[] {
  const numbers = value.split(',').map((part) => Number(part.trim()));
  if (numbers.some((number) => !Number.isSafeInteger(number) || number < 1)) {
    throw new RangeError(`${name} must be a comma-separated list of whole numbers ≥ 1, not ${value}`);
  }
  return numbers;
}

/**
 * One variant measured by a node process of its own (this module, SPEECH_CONCURRENCY_VARIANTS set to it), its
 * result read back. In one process the variants measured after the first inherited its heap, decoders and
 * garbage: the second started at 1.4 GiB RSS against 1.0, and which variant went first moved p95 at N = 100 by
 * hundreds of ms.
 */
async function measureInOwnProcess(variant: Variant): Promise<Array<Record<string, unknown>>> {
  const dir = await mkdtemp(join(tmpdir(), 'speech-concurrency-'));
  try {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--results', dir],
      { env: { ...process.env, SPEECH_CONCURRENCY_VARIANTS: variant.name }, stdio: ['ignore', 'inherit', 'inherit'] });
    const [code, signal] = await once(child, 'exit') as [number | null, NodeJS.Signals | null];
    if (code !== 0) throw new Error(`variant ${variant.name}: its process exited with ${signal ?? code}`);
    const result = JSON.parse(await readFile(join(dir, 'speech-concurrency.json'), 'utf8')) as
      { variants: Array<Record<string, unknown>> };
    return result.variants;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function benchSpeechConcurrency(options: { resultsDir: string }): Promise<Record<string, unknown>> {
  const levels = numberList(process.env.SPEECH_CONCURRENCY_LEVELS ?? '1,10,25,50,100', 'SPEECH_CONCURRENCY_LEVELS');
  if (levels[0] !== 1) levels.unshift(1);
  const [turnsPerCall] = numberList(process.env.SPEECH_CONCURRENCY_TURNS ?? '4', 'SPEECH_CONCURRENCY_TURNS');
  const [turnsMin] = numberList(process.env.SPEECH_CONCURRENCY_TURNS_MIN ?? '16', 'SPEECH_CONCURRENCY_TURNS_MIN');
  const chosen = (process.env.SPEECH_CONCURRENCY_VARIANTS ?? variants.map((variant) => variant.name).join(','))
    .split(',').map((name) => {
      const variant = variants.find((each) => each.name === name.trim());
      if (variant === undefined) throw new RangeError(`unknown variant ${name}; known: ${variants.map((v) => v.name).join(', ')}`);
      return variant;
    });
  const measured: Array<Record<string, unknown>> = [];
  // Written after every variant, so a run cut short keeps what it measured.
  const written = (complete: boolean): Record<string, unknown> => {
    const result = {
      corpus: 'test-audio/ci tuning part (utterances), 3,000-voter roll', engine: 'pocketsphinx',
      turnMix: Object.fromEntries(turnMix), turnsPerCall, turnsPerLevelMin: turnsMin, latencyP95TargetMs,
      assumptions: 'prompts timed from the dialog\'s texts at 2.6 words/s (×0.8–1.2), 25 % of turns barge in; '
        + 'name turns hear the phone grammar alongside; city grammars built before measuring (a warm server)',
      uvThreadpoolSize: process.env.UV_THREADPOOL_SIZE ?? '4 (default)',
      baseline: 'N = 1 (one call), same engine, same run; vsN1 are ratios against it',
      variants: measured, complete, measuredAt: new Date().toISOString(),
    };
    writeBenchResult(options.resultsDir, 'speech-concurrency', result);
    return result;
  };
  if (chosen.length > 1) {
    for (const variant of chosen) {
      measured.push(...await measureInOwnProcess(variant));
      written(false);
    }
    return written(true);
  }
  const native = NativeCallTiming.install();
  const { voters, itemsByContext } = await loadItems();
  const allItems = [...itemsByContext.values()].flat();
  for (const variant of chosen) {
    const engine = await buildEngine(voters, allItems, variant);
    const perLevel: LevelMeasurement[] = [];
    let warmUp: LevelMeasurement;
    try {
      // A running server's decoders have met its grammars: the largest N says warmUpTurns turns first, so
      // the levels measure the steady state. What that first burst cost is reported on its own.
      warmUp = await measureLevel(engine, itemsByContext, Math.max(...levels), warmUpTurns, native);
      process.stdout.write(`bench speech-concurrency: ${variant.name} warm-up N=${warmUp.calls}: p95 `
        + `${warmUp.latencyMs.p95} ms, decoders ${warmUp.decodersTotal}, grammars compiled ${warmUp.grammarsCompiled}\n`);
      for (const calls of levels) {
        const turns = Math.max(turnsPerCall ?? 4, Math.ceil((turnsMin ?? 16) / calls));
        const level = await measureLevel(engine, itemsByContext, calls, turns, native);
        perLevel.push(level);
        process.stdout.write(`bench speech-concurrency: ${variant.name} N=${calls}: p95 ${level.latencyMs.p95} ms, `
          + `accuracy ${level.accuracy}, late frames ${level.lateFrames}, cores ${level.coresUsed}, `
          + `decoders ${level.decodersTotal}, load ${level.loadAverage1m5m15m.atEnd.join(' ')}\n`);
      }
    } finally {
      await engine.close();
    }
    const baseline = perLevel[0] as LevelMeasurement;
    const ratio = (value: number | null, base: number | null): number | null =>
      (value === null || base === null || base === 0 ? null : Math.round((value / base) * 100) / 100);
    const meeting = perLevel.filter((level) => level.latencyMs.p95 !== null
      && level.latencyMs.p95 < latencyP95TargetMs);
    measured.push({ variant: variant.name, description: variant.description, decodersMax: engine.decodersMax,
      warmUp,
      largestNMeetingP95Target: meeting.length === 0 ? null : Math.max(...meeting.map((level) => level.calls)),
      levels: perLevel.map((level) => ({ ...level, vsN1: {
        latencyP95: ratio(level.latencyMs.p95, baseline.latencyMs.p95),
        cpuPerCallSecond: ratio(level.cpuMsPerCallSecond, baseline.cpuMsPerCallSecond),
        accuracy: ratio(level.accuracy, baseline.accuracy) } })) });
    written(false);
  }
  return written(true);
}

if (isMainModule(import.meta.url)) {
  await benchSpeechConcurrency({ resultsDir: benchArgument('results', 'bench/results') });
}
