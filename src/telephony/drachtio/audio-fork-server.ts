// The websocket end of FreeSWITCH's mod_audio_fork: `uuid_audio_fork <uuid> start <url> mono 8k <metadata>`
// makes FreeSWITCH connect here (subprotocol audio.drachtio.org), send the metadata as one text frame,
// then the caller's audio as binary frames of L16 (16-bit signed PCM, host byte order: little-endian
// on the x86/ARM machines FreeSWITCH runs on), 8 kHz mono. Each call gets an unguessable path, so a
// stray or hostile connection cannot speak into someone else's call; unknown paths are closed at once.
import { randomBytes } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

export const audioForkSubprotocol = 'audio.drachtio.org';
/** A 20 ms frame at 8 kHz is 320 bytes; FreeSWITCH batches a few. Anything far larger is not its audio. */
const framePayloadMaxBytes = 64 * 1024;

export interface AudioForkSink {
  /** 8 kHz mono samples, in arrival order. */
  audio(frame: Int16Array): void;
  /** FreeSWITCH's text frames (the metadata we gave it, or JSON it sends), for logging. */
  text?(text: string): void;
  /** The fork's websocket closed (stop, hang-up, or FreeSWITCH gone). */
  closed?(): void;
}

export interface AudioForkRegistration {
  /** The ws:// URL to give `uuid_audio_fork ... start`. */
  readonly url: string;
  readonly unregister: () => void;
}

export class AudioForkServer {
  private server: WebSocketServer | null = null;
  private readonly sinks = new Map<string, AudioForkSink>();
  private readonly sockets = new Set<WebSocket>();
  private boundPort = 0;
  /** Connections refused (unknown path or wrong subprotocol), for tests and logs. */
  refused = 0;

  constructor(private readonly options: {
    readonly listen: { host: string; port: number };
    /** Host FreeSWITCH uses to reach us; default: the listen host, or this machine's first IPv4 address. */
    readonly advertisedHost?: string;
    readonly logger: Logger;
  }) {}

  async start(): Promise<void> {
    const { host, port } = this.options.listen;
    const server = new WebSocketServer({
      host, port, maxPayload: framePayloadMaxBytes,
      // FreeSWITCH offers audio.drachtio.org (or MOD_AUDIO_FORK_SUBPROTOCOL_NAME); accept it when offered.
      handleProtocols: (protocols) => (protocols.has(audioForkSubprotocol) ? audioForkSubprotocol : false),
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    server.on('error', (error) => this.options.logger.error({ err: error }, 'audio fork server error'));
    this.boundPort = (server.address() as { port: number }).port;
    server.on('connection', (socket, request) => this.accept(socket, request.url ?? ''));
  }

  get port(): number {
    return this.boundPort;
  }

  /** A path for one call's fork; frames arriving on it go to `sink` until unregistered. */
  register(sink: AudioForkSink): AudioForkRegistration {
    const token = randomBytes(18).toString('base64url');
    this.sinks.set(token, sink);
    const host = this.advertisedHost();
    const url = `ws://${host.includes(':') ? `[${host}]` : host}:${this.boundPort}/fork/${token}`;
    return { url, unregister: () => { this.sinks.delete(token); } };
  }

  private advertisedHost(): string {
    if (this.options.advertisedHost !== undefined) return this.options.advertisedHost;
    const { host } = this.options.listen;
    if (host !== '0.0.0.0' && host !== '::') return host;
    for (const addresses of Object.values(networkInterfaces())) {
      const address = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
      if (address !== undefined) return address.address;
    }
    return '127.0.0.1';
  }

  private accept(socket: WebSocket, path: string): void {
    const token = /^\/fork\/([A-Za-z0-9_-]+)$/.exec(path)?.[1];
    const sink = token === undefined ? undefined : this.sinks.get(token);
    if (sink === undefined || socket.protocol !== audioForkSubprotocol) {
      this.refused += 1;
      this.options.logger.warn({ path: path.slice(0, 80) }, 'audio fork connection for no call; closed');
      socket.close(1008, 'unknown fork');
      return;
    }
    this.sockets.add(socket);
    // An odd byte count can split a sample across frames: keep the odd byte for the next one.
    let carry: Buffer | null = null;
    socket.on('message', (data: RawData, isBinary: boolean) => {
      const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      if (!isBinary) {
        sink.text?.(bytes.toString('utf8'));
        return;
      }
      const joined: Buffer = carry === null ? bytes : Buffer.concat([carry, bytes]);
      const whole = joined.length - (joined.length % 2);
      carry = whole === joined.length ? null : Buffer.from(joined.subarray(whole));
      if (whole === 0) return;
      const frame = new Int16Array(whole / 2);
      for (let index = 0; index < frame.length; index += 1) frame[index] = joined.readInt16LE(index * 2);
      sink.audio(frame);
    });
    socket.on('close', () => {
      this.sockets.delete(socket);
      sink.closed?.();
    });
    socket.on('error', (error) => this.options.logger.debug({ err: error }, 'audio fork socket error'));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    this.sinks.clear();
    const server = this.server;
    this.server = null;
    if (server !== null) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
