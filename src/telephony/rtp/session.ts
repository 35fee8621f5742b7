// One call's media: a UDP socket from the port pool, outbound audio paced at 20 ms by a monotonic
// clock (each frame is due at start + n·20 ms, so timer lateness never accumulates into drift),
// silence when there is nothing to play (keeps NAT bindings and the far end's jitter buffer alive),
// RFC 4733 keys both ways, inbound audio through the jitter buffer, and symmetric RTP: once a valid
// packet arrives, we send to where it came from, whatever the SDP said (the caller may be behind NAT).
import { randomInt } from 'node:crypto';
import type { Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../../config/logger.js';
import { assert } from '../errors.js';
import type { AudioCodec } from '../sdp.js';
import { DtmfReceiver, planDtmf } from './dtmf-4733.js';
import { decodeG711, encodeG711, silenceByte } from './g711.js';
import { JitterBuffer, defaultJitterBufferOptions } from './jitter-buffer.js';
import { parseRtpPacket, serializeRtpPacket } from './packet.js';
import type { BoundRtpSocket } from './port-pool.js';

export const frameDurationMs = 20;
export const samplesPerFrame = 160;
/** When the event loop stalls, at most this many late frames are sent at once; beyond it we resync. */
const catchUpFramesMax = 5;
const digitDurationMs = 100;
const interDigitGapFrames = 3;
const queuedDigitsMax = 64;

export interface MediaParameters {
  readonly codec: AudioCodec;
  readonly payloadType: number;
  readonly telephoneEventPayloadType: number | null;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** false when the far end does not want our audio (hold: sendonly/inactive offers). */
  readonly sending: boolean;
}

export interface RtpSessionOptions {
  readonly binding: BoundRtpSocket;
  readonly media: MediaParameters;
  readonly logger: Logger;
  readonly mediaTimeoutMs: number;
  readonly onDigit: (digit: string) => void;
  readonly onMediaTimeout: () => void;
}

export interface RtpStats {
  packetsSent: number;
  packetsReceived: number;
  /** Packets carrying our own SSRC: our audio came back (RFC 3550 §8.2 loop), e.g. from an echo. */
  packetsLooped: number;
  packetsIgnored: number;
  digitsReceived: number;
  /** Our frames that left a whole frame period or more after their due time (the far end may underrun). */
  framesSentLate: number;
  /** Our frames never sent because the event loop stalled past catchUpFramesMax (a gap the far end hears). */
  framesSkipped: number;
  late: number;
  duplicate: number;
  lost: number;
}

export type PlaybackResult = 'completed' | 'stopped';

interface DigitInProgress {
  readonly payloads: readonly Buffer[];
  index: number;
  readonly timestamp: number;
  readonly done: () => void;
}

interface Playback {
  readonly samples: Int16Array;
  offset: number;
  readonly done: (result: PlaybackResult) => void;
}

export class RtpSession {
  private readonly socket: Socket;
  private readonly ssrc = randomInt(1, 0xffffffff);
  private sequence = randomInt(0, 0xffff);
  private timestamp = randomInt(0, 0xffffffff);
  private media: MediaParameters;
  private remote: { address: string; port: number };
  private latched = false;
  private readonly jitter = new JitterBuffer<Int16Array>(defaultJitterBufferOptions);
  private readonly dtmf: DtmfReceiver;
  private readonly audioListeners = new Set<(frame: Int16Array) => void>();
  private playback: Playback | null = null;
  private readonly digitQueue: Array<{ payloads: readonly Buffer[]; done: () => void }> = [];
  private digitInProgress: DigitInProgress | null = null;
  private gapFrames = 0;
  private readonly startedAt = performance.now();
  private framesDone = 0;
  private lastInboundAt = performance.now();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly stats_: RtpStats = {
    packetsSent: 0, packetsReceived: 0, packetsLooped: 0, packetsIgnored: 0, digitsReceived: 0,
    framesSentLate: 0, framesSkipped: 0, late: 0, duplicate: 0, lost: 0,
  };

  constructor(private readonly options: RtpSessionOptions) {
    assert(options.mediaTimeoutMs > frameDurationMs, 'media timeout must exceed one frame');
    this.socket = options.binding.socket;
    this.media = options.media;
    this.remote = { address: options.media.remoteAddress, port: options.media.remotePort };
    this.dtmf = new DtmfReceiver((digit) => {
      this.stats_.digitsReceived += 1;
      options.onDigit(digit);
    });
    this.socket.on('message', (data, source) => this.receive(data, source.address, source.port));
    this.socket.on('error', (error) => options.logger.debug({ err: error }, 'rtp socket error'));
    this.schedule();
  }

  get localPort(): number {
    return this.options.binding.port;
  }

  get stats(): Readonly<RtpStats> {
    const { late, duplicate, lost } = this.jitter.stats;
    return { ...this.stats_, late, duplicate, lost };
  }

  get codec(): AudioCodec {
    return this.media.codec;
  }

  get remoteAddress(): { address: string; port: number } {
    return { ...this.remote };
  }

  /** New SDP from a re-INVITE: new codec or address; symmetric latching starts over. */
  update(media: MediaParameters): void {
    this.media = media;
    this.remote = { address: media.remoteAddress, port: media.remotePort };
    this.latched = false;
    this.jitter.reset();
  }

  onAudio(listener: (frame: Int16Array) => void): () => void {
    this.audioListeners.add(listener);
    return () => this.audioListeners.delete(listener);
  }

  /** Queues audio (8 kHz mono); a playback already running is stopped first (it resolves 'stopped'). */
  play(samples: Int16Array): Promise<PlaybackResult> {
    this.stopPlayback();
    if (this.closed) return Promise.resolve('stopped');
    return new Promise((resolve) => {
      this.playback = { samples, offset: 0, done: resolve };
    });
  }

  stopPlayback(): void {
    const playback = this.playback;
    this.playback = null;
    playback?.done('stopped');
  }

  /** Sends keys as RFC 4733 events; resolves when the last end packet has gone out. */
  sendDigits(digits: string): Promise<void> {
    if (this.media.telephoneEventPayloadType === null || this.closed) return Promise.resolve();
    const plans = [...digits].map((digit) => planDtmf(digit, digitDurationMs));
    if (this.digitQueue.length + plans.length > queuedDigitsMax) throw new RangeError('too many queued DTMF digits');
    return new Promise((resolve) => {
      plans.forEach((plan, index) => {
        this.digitQueue.push({ payloads: plan.payloads, done: index === plans.length - 1 ? resolve : () => undefined });
      });
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.stopPlayback();
    for (const digit of this.digitQueue.splice(0)) digit.done();
    this.digitInProgress?.done();
    this.audioListeners.clear();
    this.options.binding.release();
  }

  private receive(data: Buffer, address: string, port: number): void {
    if (this.closed) return;
    const packet = parseRtpPacket(data);
    const media = this.media;
    if (packet === null) {
      this.stats_.packetsIgnored += 1;
      return;
    }
    if (packet.ssrc === this.ssrc) {
      this.stats_.packetsLooped += 1;
      return;
    }
    const isAudio = packet.payloadType === media.payloadType;
    const isEvent = media.telephoneEventPayloadType !== null && packet.payloadType === media.telephoneEventPayloadType;
    if (!isAudio && !isEvent) {
      this.stats_.packetsIgnored += 1;
      return;
    }
    this.stats_.packetsReceived += 1;
    this.lastInboundAt = performance.now();
    if (!this.latched) {
      this.latched = true;
      this.remote = { address, port };
    }
    if (isEvent) this.dtmf.receive(packet.timestamp, packet.payload);
    else this.jitter.put(packet.sequence, decodeG711(packet.payload, media.codec));
  }

  private schedule(): void {
    const dueAt = this.startedAt + (this.framesDone + 1) * frameDurationMs;
    this.timer = setTimeout(() => this.tick(), Math.max(0, dueAt - performance.now()));
  }

  private tick(): void {
    if (this.closed) return;
    const now = performance.now();
    let framesDue = Math.floor((now - this.startedAt) / frameDurationMs) - this.framesDone;
    if (framesDue > catchUpFramesMax) {
      // A long stall: sending a burst would only overflow the far end's jitter buffer.
      this.stats_.framesSkipped += framesDue - 1;
      this.framesDone += framesDue - 1;
      this.timestamp = (this.timestamp + (framesDue - 1) * samplesPerFrame) >>> 0;
      // The caller's audio of those frames still reaches the listeners (the recognizer must hear it all).
      for (let skipped = 1; skipped < framesDue; skipped += 1) this.deliverInbound();
      framesDue = 1;
    }
    for (let frame = 0; frame < framesDue; frame += 1) {
      this.framesDone += 1;
      const lateMs = now - (this.startedAt + this.framesDone * frameDurationMs);
      if (lateMs >= frameDurationMs) this.stats_.framesSentLate += 1;
      this.sendFrame();
      this.deliverInbound();
    }
    if (now - this.lastInboundAt > this.options.mediaTimeoutMs) {
      this.options.onMediaTimeout();
      return;
    }
    if (!this.closed) this.schedule();
  }

  private deliverInbound(): void {
    const frame = this.jitter.take();
    if (frame === null) return;
    for (const listener of this.audioListeners) listener(frame);
  }

  private sendFrame(): void {
    const timestamp = this.timestamp;
    this.timestamp = (this.timestamp + samplesPerFrame) >>> 0;
    if (this.digitInProgress === null && this.gapFrames === 0) {
      const next = this.digitQueue.shift();
      if (next !== undefined) this.digitInProgress = { ...next, index: 0, timestamp };
    }
    const digit = this.digitInProgress;
    if (digit !== null && this.media.telephoneEventPayloadType !== null) {
      const payload = digit.payloads[digit.index] ?? Buffer.alloc(4);
      this.send(this.media.telephoneEventPayloadType, digit.index === 0, digit.timestamp, payload);
      digit.index += 1;
      if (digit.index >= digit.payloads.length) {
        this.digitInProgress = null;
        this.gapFrames = interDigitGapFrames;
        digit.done();
      }
      return;
    }
    if (this.gapFrames > 0) this.gapFrames -= 1;
    this.send(this.media.payloadType, false, timestamp, encodeG711(this.nextAudioFrame(), this.media.codec));
  }

  private nextAudioFrame(): Int16Array {
    const playback = this.playback;
    const frame = new Int16Array(samplesPerFrame);
    if (playback === null) return frame;
    const end = Math.min(playback.offset + samplesPerFrame, playback.samples.length);
    frame.set(playback.samples.subarray(playback.offset, end));
    playback.offset = end;
    if (playback.offset >= playback.samples.length) {
      this.playback = null;
      playback.done('completed');
    }
    return frame;
  }

  private send(payloadType: number, marker: boolean, timestamp: number, payload: Buffer): void {
    const sequence = this.sequence;
    this.sequence = (this.sequence + 1) & 0xffff;
    if (!this.media.sending || this.remote.port === 0 || this.remote.address === '0.0.0.0') return;
    const data = serializeRtpPacket({ marker, payloadType, sequence, timestamp, ssrc: this.ssrc, payload });
    this.stats_.packetsSent += 1;
    this.socket.send(data, this.remote.port, this.remote.address);
  }
}

/** A frame of silence in the codec (for tests and comfort frames). */
export function silentPayload(codec: AudioCodec): Buffer {
  return Buffer.alloc(samplesPerFrame, silenceByte(codec));
}
