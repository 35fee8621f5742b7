// A call's media on a FreeSWITCH endpoint (drachtio-fsmrf), in the shape the call needs from its
// media (CallMedia), so the same SipCall (type-ahead, collectDigits, barge-in) serves both transports.
// Prompts are WAV files FreeSWITCH plays (`playback`); stopping one is `uuid_break`; keys come as
// ESL DTMF events; keys we send are `send_dtmf`.
import { unlink } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { CallMedia } from '../call.js';
import type { PlaybackResult } from '../rtp/session.js';
import type { FsEndpoint } from './drachtio-modules.js';
import { writePromptWav } from './wav-file.js';

export class FreeSwitchMedia implements CallMedia {
  private readonly audioListeners = new Set<(frame: Int16Array) => void>();
  private playing: { stopped: boolean } | null = null;
  private closed = false;

  constructor(
    private readonly endpoint: FsEndpoint,
    private readonly mediaDir: string,
    private readonly callId: string,
    private readonly logger: Logger,
  ) {}

  async play(samples: Int16Array): Promise<PlaybackResult> {
    this.stopPlayback();
    if (this.closed) return 'stopped';
    const playback = { stopped: false };
    this.playing = playback;
    const file = await writePromptWav(this.mediaDir, this.callId, samples);
    try {
      // Stopped (or hung up) while the file was written: do not start it.
      if (playback.stopped || this.closed) return 'stopped';
      await this.endpoint.play(file);
      return playback.stopped || this.closed ? 'stopped' : 'completed';
    } catch (error) {
      if (!this.closed) this.logger.warn({ err: error, callId: this.callId }, 'FreeSWITCH playback failed');
      return 'stopped';
    } finally {
      if (this.playing === playback) this.playing = null;
      await unlink(file).catch(() => undefined);
    }
  }

  stopPlayback(): void {
    const playback = this.playing;
    if (playback === null) return;
    playback.stopped = true;
    this.playing = null;
    if (!this.closed) {
      this.endpoint.api('uuid_break', this.endpoint.uuid)
        .catch((error: unknown) => this.logger.debug({ err: error }, 'uuid_break failed'));
    }
  }

  /**
   * Inbound audio: FreeSWITCH forks it with mod_audio_fork to a websocket; that fork is not wired
   * yet, so listeners get no frames and speech falls back to the keypad on this transport.
   */
  onAudio(listener: (frame: Int16Array) => void): () => void {
    this.audioListeners.add(listener);
    return () => this.audioListeners.delete(listener);
  }

  async sendDigits(digits: string): Promise<void> {
    if (this.closed || digits.length === 0) return;
    await this.endpoint.execute('send_dtmf', `${digits}@100`);
  }

  close(): void {
    if (this.closed) return;
    this.stopPlayback();
    this.closed = true;
    this.audioListeners.clear();
  }
}
