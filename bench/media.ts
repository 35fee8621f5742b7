// Media benchmark (issue 5): N concurrent calls, each a real sipp caller streaming G.711 speech
// ("yes", then silence, every few seconds) into the embedded endpoint, where every call runs the
// dialog's own listen step (SpeechListener: prompt playing, audio streaming to the shared pocketsphinx
// recognizer, barge-in) and plays the next prompt as soon as an answer is recognized. Per N it reports
// end-of-speech → next prompt p50/p95 (end of speech as the recognizer's VAD decided it, after its
// hangover; and, as the caller waits, from the last voiced frame; the prompt's first frame leaves at the
// next 20 ms tick after play()), RTP frames sent late or skipped (our
// prompt audio underrunning at the caller), CPU cores used and peak RSS. The figure is the largest N
// with p95 < 300 ms and no skipped frames; the baseline in the same run is N = 1.
//
//   node dist/bench/media.js [--results bench/results] [--calls 1,10,25,50,100] [--seconds 18] [--decoders 8]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { SpeechListener } from '../src/ivr/speech-listener.js';
import { PromptSynthesizer } from '../src/ivr/prompts.js';
import { parseYesNo } from '../src/speech/parse/index.js';
import { PocketsphinxRecognizer } from '../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import type { Recognition, RecognitionStream, Recognizer, RecognizeOptions } from '../src/speech/recognizer.js';
import { SipEndpoint } from '../src/telephony/endpoint.js';
import type { SipCall } from '../src/telephony/call.js';
import type { CallChannel } from '../src/ivr/call-channel.js';
import { callerScript, type CallerStep } from '../test/telephony/support/caller-media.js';
import { writePcap } from '../test/telephony/support/pcap.js';
import { scenarioDir } from '../test/telephony/support/sipp.js';
import { telephoneSpeech } from '../test/speech/support/telephone-tts.js';
import { hangoverMsDefault } from '../src/speech/audio/vad.js';
import { benchArgument, freePort, isMainModule, percentileOf, writeBenchResult } from './support.js';

const callsDefault = [1, 10, 25, 50, 100];
const secondsDefault = 18;
const decodersDefault = 8;
const utterancePeriodMs = 3_000;
const eosToPromptTargetMs = 300;
const prompt = 'Say yes or no.';

export interface MediaBenchOptions {
  readonly resultsDir: string;
  readonly calls?: readonly number[];
  readonly seconds?: number;
  readonly decoders?: number;
}

interface StepResult {
  readonly calls: number;
  readonly callsAnswered: number;
  readonly answersRecognized: number;
  readonly answersCorrect: number;
  /** From the VAD's end-of-speech decision (after its hangover) to the next prompt. */
  readonly eosToPromptMs: { p50: number; p95: number; max: number };
  /** From the last voiced frame's arrival to the next prompt: what the caller waits, hangover included. */
  readonly lastVoiceToPromptMs: { p50: number; p95: number; max: number };
  readonly framesSent: number;
  readonly framesSentLate: number;
  readonly framesSkipped: number;
  readonly cpuCores: number;
  readonly rssPeakMiB: number;
  readonly withinTarget: boolean;
}

/** Frames louder than this (RMS, about −40 dBFS) are the caller's voice; the script's pauses are digital silence. */
const voicedRms = 330;

/**
 * One call's view of the shared recognizer that notes when its last answer ended: as the VAD decided
 * (result time − the result's latency) and as the audio shows (arrival of the last voiced frame).
 */
class EndOfSpeechClock implements Recognizer {
  readonly engine: string;
  lastEndOfSpeechAt: number | null = null;
  lastVoiceAt: number | null = null;
  private voiceAt: number | null = null;

  constructor(private readonly inner: Recognizer) {
    this.engine = inner.engine;
  }

  start(options: RecognizeOptions): RecognitionStream {
    const stream = this.inner.start(options);
    const result = stream.result.then((recognition: Recognition) => {
      // The result came latencyMs after the VAD's end of speech.
      if (recognition.hypotheses.length > 0) {
        this.lastEndOfSpeechAt = performance.now() - recognition.latencyMs;
        this.lastVoiceAt = this.voiceAt;
      }
      return recognition;
    });
    const write = (frame: Int16Array): void => {
      let energy = 0;
      for (const sample of frame) energy += sample * sample;
      if (Math.sqrt(energy / Math.max(1, frame.length)) > voicedRms) this.voiceAt = performance.now();
      stream.write(frame);
    };
    return { write, end: () => stream.end(), cancel: () => stream.cancel(),
      onSpeechStart: (listener) => stream.onSpeechStart(listener), result };
  }

  async close(): Promise<void> {
    // Shared: the benchmark closes the real recognizer once.
  }
}

async function runSippCalls(target: string, calls: number, cwd: string, timeoutSeconds: number): Promise<number> {
  const args = ['-sf', `${scenarioDir}uac-keys.xml`, target, '-i', '127.0.0.1', '-p', String(await freePort()),
    '-mi', '127.0.0.1', '-mp', String(await freePort()), '-m', String(calls), '-l', String(calls),
    '-r', String(Math.min(calls, 20)), '-nostdin', '-timeout', `${timeoutSeconds}s`, '-timeout_error', '-s', '5550001'];
  const child = spawn('sipp', args, { cwd, stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? -1));
  });
}

async function runStep(
  endpoint: SipEndpoint, recognizer: Recognizer, promptAudio: Int16Array,
  calls: number, seconds: number, cwd: string,
): Promise<StepResult> {
  const latencies: number[] = [];
  const fromVoice: number[] = [];
  let answered = 0;
  let recognized = 0;
  let correct = 0;
  const media = { sent: 0, late: 0, skipped: 0 };
  const callsDone: Array<Promise<void>> = [];
  const onCall = (call: CallChannel): void => {
    // The embedded endpoint's calls are SipCalls with an RTP session (its stats are the underrun figure).
    const channel = call as SipCall;
    answered += 1;
    callsDone.push((async () => {
      const clock = new EndOfSpeechClock(recognizer);
      const listener = new SpeechListener(channel, clock);
      const hangUpAt = performance.now() + seconds * 1000;
      let eosAt: number | null = null;
      let voiceAt: number | null = null;
      while (performance.now() < hangUpAt && !channel.isEnded) {
        // The prompt starts here: the time since the last answer's end of speech is the figure.
        if (eosAt !== null) latencies.push(performance.now() - eosAt);
        if (voiceAt !== null) fromVoice.push(performance.now() - voiceAt);
        eosAt = null;
        voiceAt = null;
        const heard = await listener.listen({
          prompt: promptAudio, maxKeys: 1, firstTimeoutMs: utterancePeriodMs * 2, interKeyTimeoutMs: 1000,
          speech: { context: 'yesno' },
        });
        if (heard.kind === 'hangup') break;
        if (heard.kind !== 'speech') continue;
        recognized += 1;
        if (parseYesNo(heard.hypotheses[0]?.text ?? '') === 'yes') correct += 1;
        eosAt = clock.lastEndOfSpeechAt;
        voiceAt = clock.lastVoiceAt;
      }
      const stats = channel.media.stats;
      media.sent += stats.packetsSent;
      media.late += stats.framesSentLate;
      media.skipped += stats.framesSkipped;
      await channel.hangup();
    })());
  };
  endpoint.on('call', onCall);
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  let rssPeak = process.memoryUsage().rss;
  const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, process.memoryUsage().rss); }, 250);
  try {
    await runSippCalls(`127.0.0.1:${endpoint.port}`, calls, cwd, seconds + 30);
    await Promise.all(callsDone);
  } finally {
    clearInterval(sampler);
    endpoint.off('call', onCall);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - wallBefore;
  const round = (value: number): number => Math.round(value * 10) / 10;
  const summary = (values: number[]): { p50: number; p95: number; max: number } => {
    const sorted = values.sort((a, b) => a - b);
    return {
      p50: round(percentileOf(sorted, 0.5)), p95: round(percentileOf(sorted, 0.95)),
      max: round(sorted.at(-1) ?? Number.NaN),
    };
  };
  const eosToPromptMs = summary(latencies);
  return {
    calls, callsAnswered: answered, answersRecognized: recognized, answersCorrect: correct, eosToPromptMs,
    lastVoiceToPromptMs: summary(fromVoice),
    framesSent: media.sent, framesSentLate: media.late, framesSkipped: media.skipped,
    cpuCores: round((cpu.user + cpu.system) / 1000 / wallMs), rssPeakMiB: Math.round(rssPeak / 2 ** 20),
    withinTarget: answered === calls && latencies.length > 0 && eosToPromptMs.p95 < eosToPromptTargetMs
      && media.skipped === 0,
  };
}

export async function benchMedia(options: MediaBenchOptions): Promise<Record<string, unknown>> {
  const steps = options.calls ?? callsDefault;
  const seconds = options.seconds ?? secondsDefault;
  const decoders = options.decoders ?? decodersDefault;
  const cwd = mkdtempSync(join(tmpdir(), 'dn-bench-media-'));
  const recognizer = await PocketsphinxRecognizer.create({ poolSize: decoders });
  const endpoint = new SipEndpoint({
    host: '127.0.0.1', port: 0, rtpPortMin: 30_000, rtpPortMax: 39_999, logger: pino({ level: 'silent' }),
    mediaTimeoutMs: 60_000,
  });
  try {
    await endpoint.start();
    const promptAudio = await new PromptSynthesizer({ cacheDir: join(cwd, 'prompts') }).synthesize(prompt);
    const yes = await telephoneSpeech('yes', 'flite-kal', cwd);
    const script: CallerStep[] = [{ pauseMs: 500 }];
    for (let at = 0; at < seconds * 1000; at += utterancePeriodMs) {
      script.push({ say: yes }, { pauseMs: utterancePeriodMs - yes.length / 8 });
    }
    writePcap(join(cwd, 'keys.pcap'), callerScript(script));
    const results: StepResult[] = [];
    for (const calls of steps) {
      const step = await runStep(endpoint, recognizer, promptAudio, calls, seconds, cwd);
      results.push(step);
      process.stdout.write(`media: ${calls} calls → EOS→prompt p95 ${step.eosToPromptMs.p95} ms, `
        + `${step.framesSkipped} frames skipped, ${step.cpuCores} cores, ${step.rssPeakMiB} MiB\n`);
      if (!step.withinTarget && calls > 1) break;
    }
    const baseline = results[0];
    const best = results.filter((step) => step.withinTarget).reduce((max, step) => Math.max(max, step.calls), 0);
    const result = {
      benchmark: 'media',
      scenario: `sipp callers say "yes" every ${utterancePeriodMs / 1000} s for ${seconds} s; each call listens with `
        + `the dialog's SpeechListener (prompt "${prompt}", yes/no grammar) and re-prompts on every answer`,
      engine: recognizer.engine, decoders, machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' },
      target: { eosToPromptP95Ms: eosToPromptTargetMs, framesSkipped: 0, calls: 100 },
      vadHangoverMs: hangoverMsDefault,
      largestCallsWithinTarget: best,
      baseline: baseline === undefined ? null : { calls: baseline.calls, eosToPromptMs: baseline.eosToPromptMs },
      steps: results.map((step) => ({
        ...step,
        p95VsBaseline: baseline === undefined ? null
          : Math.round((step.eosToPromptMs.p95 / baseline.eosToPromptMs.p95) * 100) / 100,
      })),
      measuredAt: new Date().toISOString(),
    };
    writeBenchResult(options.resultsDir, 'media', result);
    return result;
  } finally {
    await endpoint.close();
    await recognizer.close();
    rmSync(cwd, { recursive: true, force: true });
  }
}

if (isMainModule(import.meta.url)) {
  const resultsDir = benchArgument('results', 'bench/results');
  const calls = benchArgument('calls', callsDefault.join(',')).split(',').map(Number);
  const seconds = Number(benchArgument('seconds', String(secondsDefault)));
  const decoders = Number(benchArgument('decoders', String(decodersDefault)));
  await benchMedia({ resultsDir, calls, seconds, decoders });
}
