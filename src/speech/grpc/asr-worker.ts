// The ASR worker: a gRPC server that runs any Recognizer (Vosk or pocketsphinx in production) for
// the app processes. One Recognize stream is one utterance. Bad input (no config first, an unknown
// grammar context, odd-length or oversized audio) fails that stream with INVALID_ARGUMENT and a
// reason; a grammar the worker does not hold fails it with NOT_FOUND (the app uploads it and
// retries); nothing a client sends takes the worker down. Grammars built at run time (the roll's
// names) arrive by AddGrammar when the engine can take them (pocketsphinx).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { canAddGrammars } from '../names/two-pass-name-recognizer.js';
import {
  isGrammarContext, UnknownGrammarError, type RecognitionStream, type Recognizer, type RecognizeOptions,
} from '../recognizer.js';
import {
  grpcMessageBytesMax, recognitionService, type PingReply, type WireConfig, type WireGrammarUpload, type WireRequest,
  type WireResponse,
} from './asr-proto.js';
import { BadGrammarUpload, definitionOf } from './grammar-upload.js';

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
  let closing = false;
  const server = new grpc.Server({
    'grpc.max_receive_message_length': grpcMessageBytesMax, 'grpc.max_send_message_length': grpcMessageBytesMax,
  });
  // Uploaded FSG grammars live here for the worker's life.
  const grammarDir = mkdtempSync(join(tmpdir(), 'dn-asr-grammars-'));

  const recognize = (call: grpc.ServerDuplexStream<WireRequest, WireResponse>): void => {
    let stream: RecognitionStream | null = null;
    let finished = false;
    const fail = (error: Error, code = grpc.status.INVALID_ARGUMENT): void => {
      if (finished) return;
      finished = true;
      stream?.cancel();
      logger.warn({ err: error.message, code }, 'asr stream refused');
      call.emit('error', { code, details: error.message });
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
            if (closing) {
              // Cancelled by our shutdown, not by the caller: the app retries the utterance on another worker.
              call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'the asr worker is shutting down' });
              return;
            }
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
        else if (error instanceof UnknownGrammarError) fail(error, grpc.status.NOT_FOUND);
        else {
          logger.error({ err: error }, 'asr stream failed');
          fail(new Error('the recognizer failed'), grpc.status.INTERNAL);
        }
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

  const takesGrammars = canAddGrammars(recognizer);
  const ping: grpc.handleUnaryCall<object, PingReply> = (_call, callback) => {
    callback(null, { engine: recognizer.engine, activeStreams: active.size, takesGrammars });
  };

  const addGrammar: grpc.handleUnaryCall<WireGrammarUpload, Record<string, never>> = (call, callback) => {
    if (!canAddGrammars(recognizer)) {
      callback({ code: grpc.status.FAILED_PRECONDITION,
        details: `the ${recognizer.engine} engine takes no grammars at run time` });
      return;
    }
    definitionOf(call.request, grammarDir).then((definition) => {
      recognizer.addGrammar(definition);
      logger.debug({ context: definition.context, grammarKey: definition.grammarKey }, 'grammar added');
      callback(null, {});
    }, (error: unknown) => {
      const bad = error instanceof BadGrammarUpload;
      if (!bad) logger.error({ err: error }, 'adding an uploaded grammar failed');
      callback({ code: bad ? grpc.status.INVALID_ARGUMENT : grpc.status.INTERNAL,
        details: bad ? error.message : 'the grammar could not be stored' });
    });
  };

  const { Recognition } = recognitionService();
  server.addService(Recognition.service, { Recognize: recognize, Ping: ping, AddGrammar: addGrammar });
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
      closing = true;
      for (const stream of active) stream.cancel();
      await new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        // Streams still open after a second are cut.
        setTimeout(() => { server.forceShutdown(); resolve(); }, 1_000).unref();
      });
      await recognizer.close();
      rmSync(grammarDir, { recursive: true, force: true });
    },
  };
}
