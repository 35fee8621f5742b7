// A call's media on a FreeSWITCH endpoint (drachtio-fsmrf), in the shape the call needs from its
// media (CallMedia), so the same SipCall (type-ahead, collectDigits, barge-in) serves both transports.
// Prompts are WAV files FreeSWITCH plays (`playback`); stopping one is `uuid_break`; keys come as
// ESL DTMF events; keys we send are `send_dtmf`. The caller's audio comes back over mod_audio_fork's
// websocket (AudioForkServer) and goes to onAudio listeners: the recognizer, through the dialog.
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
  private forking = false;

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
   * Asks FreeSWITCH to fork the caller's audio (mono, 8 kHz L16) to `url`. Resolves false when
   * FreeSWITCH refuses (module not loaded, channel gone): the call then works by keypad only.
   */
  async startAudioFork(url: string, metadata: Record<string, string>): Promise<boolean> {
    if (this.closed) return false;
    // The metadata is the command's last argument: JSON without spaces, so FreeSWITCH keeps it whole.
    const command = `${this.endpoint.uuid} start ${url} mono 8k ${JSON.stringify(metadata)}`;
    try {
      const reply = (await this.endpoint.api('uuid_audio_fork', command)).getBody().trim();
      if (reply.startsWith('+OK')) {
        this.forking = true;
        return true;
      }
      this.logger.warn({ reply, callId: this.callId }, 'FreeSWITCH refused uuid_audio_fork; keypad only');
    } catch (error) {
      this.logger.warn({ err: error, callId: this.callId }, 'uuid_audio_fork failed; keypad only');
    }
    return false;
  }

  /** One frame of the caller's audio from the fork. */
  receiveAudio(frame: Int16Array): void {
    if (this.closed) return;
    for (const listener of this.audioListeners) listener(frame);
  }

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
    if (this.forking) {
      // FreeSWITCH also stops the fork when the channel goes; this covers a hang-up from our side.
      this.endpoint.api('uuid_audio_fork', `${this.endpoint.uuid} stop`)
        .catch((error: unknown) => this.logger.debug({ err: error }, 'uuid_audio_fork stop failed'));
    }
    this.forking = false;
    this.closed = true;
    this.audioListeners.clear();
  }
}
