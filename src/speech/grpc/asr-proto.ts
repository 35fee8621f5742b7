// Loads asr.proto (the wire contract between the app and the ASR workers) and names its messages
// for TypeScript. The .proto is read from beside the compiled file when the build copied it there
// (the Docker image does), otherwise from the source tree, so `dist/` works in both layouts.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import type { RecognitionEnd } from '../recognizer.js';

const protoCandidates = [
  fileURLToPath(new URL('./asr.proto', import.meta.url)),
  fileURLToPath(new URL('../../../../src/speech/grpc/asr.proto', import.meta.url)),
];

export function asrProtoPath(): string {
  const found = protoCandidates.find((path) => existsSync(path));
  if (found === undefined) throw new Error(`asr.proto not found (looked in ${protoCandidates.join(', ')})`);
  return found;
}

export interface WireConfig {
  context: string;
  grammarKey: string;
  noSpeechTimeoutMs: number;
  maxSpeechMs: number;
  nBest: number;
  /** 0: the engine's default (proto3 has no absent numbers). */
  endSilenceMs?: number;
}

export type WireRequest =
  | { request: 'config'; config: WireConfig }
  | { request: 'audio'; audio: Buffer }
  | { request: 'end'; end: Record<string, never> };

export interface WireHypothesis {
  text: string;
  confidence: number;
  phones: string[];
}

export interface WireFinal {
  hypotheses: WireHypothesis[];
  end: RecognitionEnd;
  speechMs: number;
  latencyMs: number;
}

export type WireResponse =
  | { response: 'speechStart'; speechStart: Record<string, never> }
  | { response: 'final'; final: WireFinal };

export interface PingReply {
  engine: string;
  activeStreams: number;
  takesGrammars: boolean;
}

export interface WirePronunciation {
  word: string;
  phones: string[];
}

export interface WireGrammarUpload {
  context: string;
  grammarKey: string;
  format: string;
  source: Buffer;
  pronunciations: WirePronunciation[];
  words: string[];
  wideWordBeam: boolean;
  completeReadingsOnly: boolean;
}

/** Largest gRPC message either side accepts: a roll city's name grammar (FSG) can run to megabytes. */
export const grpcMessageBytesMax = 64 * 1024 * 1024;

export type RecognitionClient = grpc.Client & {
  Recognize(options?: grpc.CallOptions): grpc.ClientDuplexStream<WireRequest, WireResponse>;
  Ping(request: object, options: grpc.CallOptions, callback: grpc.requestCallback<PingReply>): grpc.ClientUnaryCall;
  AddGrammar(request: WireGrammarUpload, options: grpc.CallOptions,
    callback: grpc.requestCallback<Record<string, never>>): grpc.ClientUnaryCall;
};

interface RecognitionPackage {
  Recognition: grpc.ServiceClientConstructor;
}

let loaded: RecognitionPackage | null = null;

/** The Recognition service definition and client constructor (loaded once). */
export function recognitionService(): RecognitionPackage {
  if (loaded !== null) return loaded;
  const definition = loadSync(asrProtoPath(), {
    keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true,
  });
  const root = grpc.loadPackageDefinition(definition) as unknown as {
    delegatenetwork: { asr: { v1: RecognitionPackage } };
  };
  loaded = root.delegatenetwork.asr.v1;
  return loaded;
}

export function newRecognitionClient(address: string): RecognitionClient {
  const { Recognition } = recognitionService();
  return new Recognition(address, grpc.credentials.createInsecure(), {
    // Fail fast when a worker is gone instead of queueing calls until it comes back.
    'grpc.initial_reconnect_backoff_ms': 200,
    'grpc.max_reconnect_backoff_ms': 2_000,
    'grpc.max_send_message_length': grpcMessageBytesMax,
    'grpc.max_receive_message_length': grpcMessageBytesMax,
  }) as unknown as RecognitionClient;
}
