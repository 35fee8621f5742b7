// The ASR worker: a gRPC server that runs any Recognizer (Vosk or pocketsphinx in production) for
// the app processes. One Recognize stream is one utterance. Bad input (no config first, an unknown
// grammar context, odd-length or oversized audio) fails that stream with INVALID_ARGUMENT and a
// reason; it never takes the worker down.
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { isGrammarContext, type RecognitionStream, type Recognizer, type RecognizeOptions } from '../recognizer.js';
import { recognitionService, type PingReply, type WireConfig, type WireRequest, type WireResponse } from './asr-proto.js';

/** One chunk may hold at most 1 s of audio: the app sends 20 ms frames. */
export const audioChunkBytesMax = 16_000;
/** Limits on what a config may ask for: a minute of speech, ten hypotheses. */
export const speechMsMax = 60_000;
export const nBestMax = 10;
/** A hangover longer than this would only make callers wait. */
export const endSilenceMsMax = 5_000;

export interface AsrWorkerOptions {
  /** `host:port`; port 0 picks a free port. */
  readonly listen: string;
  readonly recognizer: Recognizer;
  readonly logger: Logger;
}

export interface RunningAsrWorker {
  readonly port: number;
  readonly address: string;
  close(): Promise<void>;
}

class BadRequest extends Error {}

export function recognizeOptionsFrom(config: WireConfig): RecognizeOptions {
  if (!isGrammarContext(config.context)) throw new BadRequest(`unknown grammar context "${config.context}"`);
  const bounded = (name: string, value: number, max: number): number => {
    if (!Number.isInteger(value) || value < 1 || value > max) throw new BadRequest(`${name} must be 1-${max}, got ${value}`);
    return value;
  };
  return {
    context: config.context,
    ...(config.grammarKey === '' ? {} : { grammarKey: config.grammarKey }),
    noSpeechTimeoutMs: bounded('no_speech_timeout_ms', config.noSpeechTimeoutMs, speechMsMax),
    maxSpeechMs: bounded('max_speech_ms', config.maxSpeechMs, speechMsMax),
    nBest: bounded('n_best', config.nBest, nBestMax),
    ...(config.endSilenceMs === undefined || config.endSilenceMs === 0 ? {}
      : { endSilenceMs: bounded('end_silence_ms', config.endSilenceMs, endSilenceMsMax) }),
  };
}

export function pcmFromBytes(bytes: Buffer): Int16Array {
  if (bytes.length % 2 !== 0) throw new BadRequest(`audio chunk of ${bytes.length} bytes is not 16-bit PCM (odd length)`);
  if (bytes.length > audioChunkBytesMax) throw new BadRequest(`audio chunk of ${bytes.length} bytes exceeds ${audioChunkBytesMax}`);
  const samples = new Int16Array(bytes.length / 2);
  for (let index = 0; index < samples.length; index += 1) samples[index] = bytes.readInt16LE(index * 2);
  return samples;
}

export async function startAsrWorker(options: AsrWorkerOptions): Promise<RunningAsrWorker> {
  const { recognizer, logger } = options;
  const active = new Set<RecognitionStream>();
  const server = new grpc.Server();

  const recognize = (call: grpc.ServerDuplexStream<WireRequest, WireResponse>): void => {
    let stream: RecognitionStream | null = null;
    let finished = false;
    const fail = (error: Error): void => {
      if (finished) return;
      finished = true;
      stream?.cancel();
      logger.warn({ err: error.message }, 'asr stream refused');
      call.emit('error', { code: grpc.status.INVALID_ARGUMENT, details: error.message });
    };
    call.on('data', (message: WireRequest) => {
      if (finished) return;
      try {
        if (message.request === 'config') {
          if (stream !== null) throw new BadRequest('a second config on one stream');
          const started = recognizer.start(recognizeOptionsFrom(message.config));
          stream = started;
          active.add(started);
          started.onSpeechStart(() => {
            if (!finished) call.write({ response: 'speechStart', speechStart: {} });
          });
          void started.result.then((result) => {
            active.delete(started);
            if (finished) return;
            finished = true;
            call.write({ response: 'final', final: {
              hypotheses: result.hypotheses.map((h) => ({
                text: h.text, confidence: h.confidence, phones: [...h.phones],
              })),
              end: result.end, speechMs: Math.round(result.speechMs), latencyMs: Math.round(result.latencyMs),
            } });
            call.end();
          }, (error: unknown) => {
            active.delete(started);
            if (finished) return;
            finished = true;
            logger.error({ err: error }, 'recognizer failed');
            call.emit('error', { code: grpc.status.INTERNAL, details: 'the recognizer failed' });
          });
        } else if (stream === null) {
          throw new BadRequest('the first message of a stream must be its config');
        } else if (message.request === 'audio') {
          stream.write(pcmFromBytes(message.audio));
        } else {
          stream.end();
        }
      } catch (error) {
        if (error instanceof BadRequest) fail(error);
        else throw error;
      }
    });
    call.on('end', () => {
      if (stream === null) fail(new BadRequest('the stream ended before its config'));
      else stream.end();
    });
    // The client went away (cancelled, deadline): drop the utterance.
    call.on('cancelled', () => {
      finished = true;
      stream?.cancel();
    });
  };

  const ping: grpc.handleUnaryCall<object, PingReply> = (_call, callback) => {
    callback(null, { engine: recognizer.engine, activeStreams: active.size });
  };

  const { Recognition } = recognitionService();
  server.addService(Recognition.service, { Recognize: recognize, Ping: ping });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(options.listen, grpc.ServerCredentials.createInsecure(), (error, bound) => {
      if (error === null) resolve(bound);
      else reject(new Error(`asr-worker cannot listen on ${options.listen}: ${error.message}`));
    });
  });
  const host = options.listen.slice(0, options.listen.lastIndexOf(':'));
  logger.info({ address: `${host}:${port}`, engine: recognizer.engine }, 'asr worker listening');
  return {
    port,
    address: `${host}:${port}`,
    async close(): Promise<void> {
      for (const stream of active) stream.cancel();
      await new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        // Streams still open after a second are cut.
        setTimeout(() => { server.forceShutdown(); resolve(); }, 1_000).unref();
      });
      await recognizer.close();
    },
  };
}
