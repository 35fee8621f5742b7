// The app's side of the ASR workers: a Recognizer whose streams run on a pool of gRPC workers.
// Each utterance's audio is kept until its result, so when a worker dies (or misses its deadline)
// the stream is replayed on another worker and the caller never notices; speech-start is reported
// once. Workers are pinged in the background and a worker that fails is skipped until it answers
// again. When no worker can take the stream, AsrWorkersDownError tells the dialog to use the keypad.
// Grammars built at run time (addGrammar: the roll's names) are uploaded to a worker before its first
// stream that listens with them, and again when a worker answers NOT_FOUND (it restarted).
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { grammarId, type GrammarDefinition } from '../grammar/grammar-definition.js';
import {
  nothingHeard, RecognizerUnavailableError, type Recognition, type RecognitionStream, type RecognizeOptions,
  type Recognizer,
} from '../recognizer.js';
import { newRecognitionClient, type RecognitionClient, type WireRequest, type WireResponse } from './asr-proto.js';
import { uploadOf } from './grammar-upload.js';

/** No ASR worker could take (or finish) an utterance: the dialog falls back to the keypad. */
export class AsrWorkersDownError extends RecognizerUnavailableError {
  override name = 'AsrWorkersDownError';
}

export interface RemoteRecognizerOptions {
  /** `host:port` of each worker. */
  readonly workers: readonly string[];
  readonly logger: Logger;
  readonly healthIntervalMs?: number;
  readonly pingDeadlineMs?: number;
  /** Added to the utterance's own limits (no-speech timeout + max speech) for a stream's deadline. */
  readonly deadlineSlackMs?: number;
  /** Deadline of one grammar upload (a large city's FSG is megabytes). */
  readonly uploadDeadlineMs?: number;
  /** Run-time grammars remembered for upload, least recently used dropped first. */
  readonly grammarsMax?: number;
}

/** No worker can take the run-time grammar a stream needs (their engine takes none): keypad instead. */
export class AsrGrammarRefusedError extends RecognizerUnavailableError {
  override name = 'AsrGrammarRefusedError';
}

interface Worker {
  readonly address: string;
  readonly client: RecognitionClient;
  /** null until the first ping or stream tells. */
  healthy: boolean | null;
  active: number;
  engine: string | null;
  /** The definition object each grammar id was last uploaded as (a re-added grammar is a new object). */
  readonly uploaded: Map<string, GrammarDefinition>;
}

export interface WorkerState {
  readonly address: string;
  readonly healthy: boolean | null;
  readonly active: number;
}

/** Errors that say the worker, not the request, failed: the stream moves to another worker. */
const workerFaults = new Set<grpc.status>([
  grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED, grpc.status.INTERNAL, grpc.status.UNKNOWN,
  grpc.status.RESOURCE_EXHAUSTED, grpc.status.ABORTED, grpc.status.CANCELLED,
]);

function pcmBytes(frame: Int16Array): Buffer {
  const bytes = Buffer.allocUnsafe(frame.length * 2);
  for (let index = 0; index < frame.length; index += 1) bytes.writeInt16LE(frame[index] ?? 0, index * 2);
  return bytes;
}

export class RemoteRecognizer implements Recognizer {
  readonly engine = 'remote:grpc';
  private readonly workers: Worker[];
  private readonly timer: NodeJS.Timeout;
  private readonly streams = new Set<RemoteStream>();
  private readonly pingDeadlineMs: number;
  readonly deadlineSlackMs: number;
  private next = 0;
  /** Run-time grammars by id, in least-recently-used order. */
  private readonly grammars = new Map<string, GrammarDefinition>();

  constructor(readonly options: RemoteRecognizerOptions) {
    if (options.workers.length === 0) throw new RecognizerUnavailableError('no ASR workers configured (ASR_WORKERS)');
    this.workers = options.workers.map((address) => ({
      address, client: newRecognitionClient(address), healthy: null, active: 0, engine: null, uploaded: new Map(),
    }));
    this.pingDeadlineMs = options.pingDeadlineMs ?? 500;
    this.deadlineSlackMs = options.deadlineSlackMs ?? 3_000;
    this.timer = setInterval(() => { void this.checkHealth(); }, options.healthIntervalMs ?? 2_000);
    this.timer.unref();
  }

  get logger(): Logger {
    return this.options.logger;
  }

  /** Pings every worker once (also run on a timer); resolves when all have answered or timed out. */
  async checkHealth(): Promise<readonly WorkerState[]> {
    await Promise.all(this.workers.map((worker) => new Promise<void>((resolve) => {
      worker.client.Ping({}, { deadline: Date.now() + this.pingDeadlineMs }, (error, reply) => {
        const healthy = error === null;
        if (healthy !== worker.healthy) this.logger.info({ worker: worker.address, healthy }, 'asr worker health changed');
        worker.healthy = healthy;
        if (reply !== undefined) worker.engine = reply.engine;
        resolve();
      });
    })));
    return this.state();
  }

  state(): readonly WorkerState[] {
    return this.workers.map(({ address, healthy, active }) => ({ address, healthy, active }));
  }

  /** The least busy worker not known to be down and not already tried for this utterance. */
  pick(tried: ReadonlySet<string>): Worker | null {
    let chosen: { worker: Worker; index: number } | null = null;
    // Round-robin from after the last pick, so equal workers share the load.
    for (let step = 0; step < this.workers.length; step += 1) {
      const index = (this.next + step) % this.workers.length;
      const worker = this.workers[index];
      if (worker === undefined || worker.healthy === false || tried.has(worker.address)) continue;
      if (chosen === null || worker.active < chosen.worker.active) chosen = { worker, index };
    }
    if (chosen === null) return null;
    this.next = (chosen.index + 1) % this.workers.length;
    return chosen.worker;
  }

  markDown(worker: Worker): void {
    if (worker.healthy !== false) this.logger.warn({ worker: worker.address }, 'asr worker failed a stream; skipping it');
    worker.healthy = false;
    // A worker that comes back has probably restarted without our grammars.
    worker.uploaded.clear();
  }

  /** Remembers a grammar built at run time; workers get it before their first stream that needs it. */
  addGrammar(grammar: GrammarDefinition): void {
    const id = grammarId(grammar.context, grammar.grammarKey);
    this.grammars.delete(id);
    this.grammars.set(id, grammar);
    const max = this.options.grammarsMax ?? 256;
    for (const oldest of this.grammars.keys()) {
      if (this.grammars.size <= max) break;
      this.grammars.delete(oldest);
      for (const worker of this.workers) worker.uploaded.delete(oldest);
    }
  }

  /**
   * Uploads the run-time grammar `options` listen with, if the worker does not have this version of it.
   * Resolves at once for a worker's own grammars (the static contexts).
   */
  async ensureGrammar(worker: Worker, options: RecognizeOptions): Promise<void> {
    const id = grammarId(options.context, options.grammarKey);
    const grammar = this.grammars.get(id);
    if (grammar === undefined || worker.uploaded.get(id) === grammar) return;
    const upload = await uploadOf(grammar);
    await new Promise<void>((resolve, reject) => {
      worker.client.AddGrammar(upload, { deadline: Date.now() + (this.options.uploadDeadlineMs ?? 30_000) },
        (error) => (error === null ? resolve() : reject(error)));
    });
    worker.uploaded.set(id, grammar);
    this.logger.debug({ worker: worker.address, grammar: id, bytes: upload.source.length }, 'grammar uploaded to asr worker');
  }

  /** A worker said it lacks a grammar we uploaded (it restarted): upload it again next time. */
  forgetUpload(worker: Worker, options: RecognizeOptions): boolean {
    const id = grammarId(options.context, options.grammarKey);
    return this.grammars.has(id) && worker.uploaded.delete(id);
  }

  start(options: RecognizeOptions): RecognitionStream {
    if (this.workers.every((w) => w.healthy === false)) throw new AsrWorkersDownError('every ASR worker is down');
    const stream = new RemoteStream(this, options);
    this.streams.add(stream);
    void stream.result.finally(() => this.streams.delete(stream)).catch(() => undefined);
    return stream;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const stream of this.streams) stream.cancel();
    for (const worker of this.workers) worker.client.close();
  }
}

class RemoteStream implements RecognitionStream {
  readonly result: Promise<Recognition>;
  /** Addresses of the workers this utterance ran on, in order (the last one answered). */
  readonly attempts: string[] = [];
  private resolve: (recognition: Recognition) => void = () => undefined;
  private reject: (error: Error) => void = () => undefined;
  private readonly audio: Buffer[] = [];
  private readonly speechListeners: Array<() => void> = [];
  private readonly tried = new Set<string>();
  private call: grpc.ClientDuplexStream<WireRequest, WireResponse> | null = null;
  private worker: Worker | null = null;
  private ended = false;
  private settled = false;
  private speechStarted = false;
  private reuploaded = false;

  constructor(private readonly pool: RemoteRecognizer, private readonly options: RecognizeOptions) {
    this.result = new Promise<Recognition>((resolve, reject) => { this.resolve = resolve; this.reject = reject; });
    this.attempt();
  }

  private attempt(): void {
    const worker = this.pool.pick(this.tried);
    if (worker === null) {
      this.finish(null, new AsrWorkersDownError(`no ASR worker could finish the utterance (tried ${this.attempts.join(', ')})`));
      return;
    }
    this.tried.add(worker.address);
    this.attempts.push(worker.address);
    this.worker = worker;
    this.pool.ensureGrammar(worker, this.options).then(() => this.open(worker), (error: grpc.ServiceError) => {
      if (this.settled) return;
      if (error.code === grpc.status.FAILED_PRECONDITION) {
        this.pool.logger.warn({ worker: worker.address, err: error.message }, 'asr worker takes no run-time grammars');
        this.attempt();
      } else if (workerFaults.has(error.code)) {
        this.pool.markDown(worker);
        this.attempt();
      } else {
        this.finish(null, new AsrGrammarRefusedError(`the ASR worker refused the grammar: ${error.message}`));
      }
    });
  }

  /** Opens the utterance's stream on `worker` (which holds its grammar) and replays the audio so far. */
  private open(worker: Worker): void {
    if (this.settled) return;
    worker.active += 1;
    const { context, grammarKey, noSpeechTimeoutMs, maxSpeechMs, nBest, endSilenceMs } = this.options;
    const deadline = Date.now() + noSpeechTimeoutMs + maxSpeechMs + this.pool.deadlineSlackMs;
    const call = worker.client.Recognize({ deadline });
    this.call = call;
    let answered = false;
    call.on('data', (message: WireResponse) => {
      if (this.call !== call) return;
      if (message.response === 'speechStart') this.speechStart();
      else {
        answered = true;
        worker.healthy = true;
        const { hypotheses, end, speechMs, latencyMs } = message.final;
        this.finish({ hypotheses: hypotheses.map((h) => ({ text: h.text, confidence: h.confidence, phones: h.phones })),
          end, speechMs, latencyMs }, null);
      }
    });
    call.on('error', (error: grpc.ServiceError) => this.failed(call, worker, error));
    call.on('end', () => {
      if (answered) return;
      this.failed(call, worker, Object.assign(new Error('stream ended without a result'), { code: grpc.status.UNKNOWN }));
    });
    call.on('close', () => { worker.active = Math.max(0, worker.active - 1); });
    call.write({ request: 'config', config: {
      context, grammarKey: grammarKey ?? '', noSpeechTimeoutMs, maxSpeechMs, nBest, endSilenceMs: endSilenceMs ?? 0,
    } });
    // Replays what the caller said so far (all of it on a retry).
    for (const bytes of this.audio) call.write({ request: 'audio', audio: bytes });
    if (this.ended) this.endCall(call);
  }

  private failed(
    call: grpc.ClientDuplexStream<WireRequest, WireResponse>, worker: Worker, error: { code?: number; message: string },
  ): void {
    if (this.settled || this.call !== call) return;
    this.call = null;
    const code = error.code ?? grpc.status.UNKNOWN;
    if (code === grpc.status.NOT_FOUND && !this.reuploaded && this.pool.forgetUpload(worker, this.options)) {
      // The worker lost a grammar we gave it (it restarted): give it again and retry there, once.
      this.reuploaded = true;
      this.tried.delete(worker.address);
      this.attempt();
      return;
    }
    if (!workerFaults.has(code)) {
      // The request itself was refused (bad config or audio): no other worker would take it either.
      this.pool.logger.warn({ worker: worker.address, code, err: error.message }, 'asr worker refused the utterance');
      this.finish(nothingHeard('finished'), null);
      return;
    }
    if (code !== grpc.status.DEADLINE_EXCEEDED) this.pool.markDown(worker);
    this.pool.logger.warn({ worker: worker.address, code, err: error.message }, 'asr stream failed; retrying on another worker');
    this.attempt();
  }

  private speechStart(): void {
    if (this.speechStarted) return;
    this.speechStarted = true;
    for (const listener of this.speechListeners) listener();
  }

  private finish(recognition: Recognition | null, error: Error | null): void {
    if (this.settled) return;
    this.settled = true;
    this.audio.length = 0;
    if (recognition !== null) this.resolve(recognition);
    else this.reject(error ?? new AsrWorkersDownError('no ASR worker'));
  }

  private endCall(call: grpc.ClientDuplexStream<WireRequest, WireResponse>): void {
    call.write({ request: 'end', end: {} });
    call.end();
  }

  write(frame: Int16Array): void {
    if (this.settled || this.ended || frame.length === 0) return;
    const bytes = pcmBytes(frame);
    this.audio.push(bytes);
    this.call?.write({ request: 'audio', audio: bytes });
  }

  end(): void {
    if (this.settled || this.ended) return;
    this.ended = true;
    if (this.call !== null) this.endCall(this.call);
  }

  cancel(): void {
    if (this.settled) return;
    const call = this.call;
    this.call = null;
    this.finish(nothingHeard('cancelled'), null);
    call?.cancel();
  }

  onSpeechStart(listener: () => void): void {
    this.speechListeners.push(listener);
  }
}
