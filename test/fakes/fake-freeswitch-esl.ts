// FAKE FreeSWITCH, for tests only (FreeSWITCH cannot run on these machines). It speaks the real
// event socket (ESL) text protocol as drachtio-fsmrf and drachtio-modesl use it, in both directions:
// - inbound ESL (we listen; drachtio-fsmrf's Mrf#connect): `auth/request`, `auth <password>`,
//   `event json ...`, `api sofia status` (the drachtio_mrf profile's SIP address), `api ...`;
// - outbound ESL (we connect to the X-esl-outbound address of an INVITE, as the dialplan's `socket`
//   app does): `connect` answered with the CHANNEL_DATA reply, `event json`, `filter`, `sendmsg`
//   with `call-command: execute` answered by `+OK` and later CHANNEL_EXECUTE_COMPLETE carrying the
//   Application-UUID, `api uuid_break`, DTMF and CHANNEL_HANGUP events.
// Its SIP side is a peer of the fake drachtio-server. `playback` checks the file is an 8 kHz mono
// 16-bit WAV and takes the file's duration (no RTP); keys are pressed by the test (pressKeys), the
// way FreeSWITCH reports RFC 4733 keys it received. `api uuid_audio_fork <uuid> start <url> mono 8k <meta>`
// really opens the websocket and streams the caller's audio (FakeAudioFork), which the test fills with
// speech (Channel.say). An INVITE without SDP (drachtio-fsmrf's 3pcc createEndpoint) is answered with
// FreeSWITCH's offer; a re-INVITE (Endpoint#modify) with 200 OK.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { FakeAudioFork } from './fake-audio-fork.js';
import type { FakeDrachtioServer } from './fake-drachtio-server.js';
import { responseTo } from './fake-drachtio-server.js';
import { first, formatSipText, methodOf, parseSipText, tagOf, token, uriOf, type SipText } from './sip-text.js';

interface EslCommand {
  readonly line: string;
  readonly headers: Map<string, string>;
}

/** Splits a socket's byte stream into ESL commands: a command line, headers, a blank line. */
function commandReader(socket: Socket, onCommand: (command: EslCommand) => void): void {
  let buffer = '';
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const [line = '', ...rest] = buffer.slice(0, end).split('\n');
      buffer = buffer.slice(end + 2);
      const headers = new Map<string, string>();
      for (const header of rest) {
        const colon = header.indexOf(': ');
        if (colon > 0) headers.set(header.slice(0, colon), header.slice(colon + 2));
      }
      onCommand({ line: line.trim(), headers });
    }
  });
}

function reply(socket: Socket, text: string): void {
  socket.write(`Content-Type: command/reply\nReply-Text: ${text}\n\n`);
}

function apiResponse(socket: Socket, body: string): void {
  socket.write(`Content-Type: api/response\nContent-Length: ${Buffer.byteLength(body)}\n\n${body}`);
}

/** What one executed application did, for assertions. */
export interface Execution {
  readonly app: string;
  readonly arg: string;
  readonly response: string;
}

export class Channel {
  readonly uuid = randomUUID();
  readonly executions: Execution[] = [];
  /** WAV files played to completion or until broken, with their length in samples. */
  readonly played: Array<{ file: string; samples: number; broken: boolean }> = [];
  socket: Socket | null = null;
  subscriptions = new Set<string>();
  hungUp = false;
  /** The audio fork, once `uuid_audio_fork ... start` was asked for (null after stop). */
  fork: FakeAudioFork | null = null;
  /** Every uuid_audio_fork command for this channel, as received. */
  readonly forkCommands: string[] = [];
  /** SDP bodies of re-INVITEs (the remote answer given later, in the 3pcc case). */
  readonly remoteSdpUpdates: string[] = [];
  private playing: { finish: (broken: boolean) => void } | null = null;

  constructor(
    private readonly fs: FakeFreeSwitch,
    readonly invite: SipText,
    readonly peer: string,
    readonly localTag: string,
    readonly localSdp: string,
  ) {}

  get callId(): string {
    return first(this.invite, 'call-id') ?? '';
  }

  event(name: string, headers: Record<string, string> = {}): void {
    if (this.socket === null || this.socket.destroyed) return;
    if (!this.subscriptions.has(name) && !this.subscriptions.has('all')) return;
    const body = JSON.stringify({
      'Event-Name': name, 'Core-UUID': this.fs.coreUuid, 'Unique-ID': this.uuid, 'Channel-Call-UUID': this.uuid,
      'Event-Date-Timestamp': String(Date.now() * 1000), ...headers,
    });
    this.socket.write(`Content-Length: ${Buffer.byteLength(body)}\nContent-Type: text/event-json\n\n${body}`);
  }

  /** The CHANNEL_DATA headers FreeSWITCH sends in reply to `connect` (values URL-encoded). */
  channelData(): string {
    const data: Record<string, string> = {
      'Event-Name': 'CHANNEL_DATA', 'Core-UUID': this.fs.coreUuid, 'Unique-ID': this.uuid, 'Channel-Unique-ID': this.uuid,
      'Channel-State': 'CS_EXECUTE', 'Answer-State': 'answered', 'Call-Direction': 'inbound',
      variable_sip_user_agent: first(this.invite, 'user-agent') ?? '', variable_sip_call_id: this.callId,
      variable_rtp_local_sdp_str: this.localSdp, variable_switch_r_sdp: this.invite.body,
      variable_local_media_ip: '127.0.0.1', variable_local_media_port: '30000', variable_dtmf_type: 'rfc2833',
    };
    return Object.entries(data).map(([name, value]) => `${name}: ${encodeURIComponent(value)}`).join('\n');
  }

  async execute(app: string, arg: string, eventUuid: string): Promise<void> {
    this.event('CHANNEL_EXECUTE', { Application: app, 'Application-Data': arg, 'Application-UUID': eventUuid });
    let response = '_none_';
    if (app === 'playback') response = await this.playback(arg);
    else if (app === 'hangup') this.fs.hangUp(this, 'NORMAL_CLEARING', true);
    else if (!['set', 'export', 'answer', 'send_dtmf', 'sleep'].includes(app)) response = `-ERR unknown application ${app}`;
    this.executions.push({ app, arg, response });
    this.event('CHANNEL_EXECUTE_COMPLETE', {
      Application: app, 'Application-Data': arg, 'Application-UUID': eventUuid, 'Application-Response': response,
    });
  }

  private async playback(file: string): Promise<string> {
    let samples: number;
    try {
      const wav = await readFile(file);
      const valid = wav.toString('ascii', 0, 4) === 'RIFF' && wav.readUInt16LE(22) === 1 && wav.readUInt32LE(24) === 8000
        && wav.readUInt16LE(34) === 16;
      if (!valid) return 'FILE NOT FOUND';
      samples = wav.readUInt32LE(40) / 2;
    } catch {
      return 'FILE NOT FOUND';
    }
    this.event('PLAYBACK_START', { 'Playback-File-Path': file });
    const broken = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), samples / 8 / this.fs.playbackSpeed);
      this.playing = { finish: (wasBroken) => { clearTimeout(timer); resolve(wasBroken); } };
    });
    this.playing = null;
    this.played.push({ file, samples, broken });
    this.event('PLAYBACK_STOP', { 'Playback-File-Path': file });
    return 'FILE PLAYED';
  }

  /** The caller says `samples` (8 kHz) into the audio fork; resolves when all of it was streamed. */
  async say(samples: Int16Array): Promise<void> {
    const fork = this.fork;
    if (fork === null) throw new Error('no audio fork is running on this channel');
    await fork.opened;
    await fork.say(samples);
  }

  get isPlaying(): boolean {
    return this.playing !== null;
  }

  /** `uuid_break`: the playing file stops at once. */
  breakPlayback(): void {
    this.playing?.finish(true);
  }
}

export class FakeFreeSwitch {
  readonly coreUuid = randomUUID();
  readonly channels: Channel[] = [];
  /** Every inbound-ESL command received, in order (e.g. `auth ...`, `api sofia status`). */
  readonly inboundCommands: string[] = [];
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  /** False: as a FreeSWITCH without mod_audio_fork loaded (uuid_audio_fork is an unknown command). */
  audioForkLoaded = true;

  /** `playbackSpeed` 10 plays a 1 s prompt in 100 ms. */
  constructor(
    readonly password: string,
    private readonly drachtio: FakeDrachtioServer,
    readonly sipAddress = '127.0.0.1:5080',
    readonly playbackSpeed = 1,
  ) {
    drachtio.addPeer(sipAddress, (raw) => this.onSip(raw));
  }

  async listen(): Promise<number> {
    const server = createServer((socket) => this.acceptInbound(socket));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as { port: number }).port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    if (server !== null) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  channelFor(callId: string): Channel | undefined {
    return this.channels.find((channel) => channel.callId === callId);
  }

  /** The caller presses keys: FreeSWITCH reports each as a DTMF event, `gapMs` apart. */
  async pressKeys(channel: Channel, keys: string, gapMs: number): Promise<void> {
    for (const key of keys) {
      if (channel.hungUp) return;
      channel.event('DTMF', { 'DTMF-Digit': key, 'DTMF-Duration': '1600', 'DTMF-Source': 'RTP' });
      await new Promise((resolve) => setTimeout(resolve, gapMs));
    }
  }

  // ---- inbound event socket: the app's control connection ----

  private acceptInbound(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    let authed = false;
    socket.write('Content-Type: auth/request\n\n');
    commandReader(socket, ({ line }) => {
      this.inboundCommands.push(line);
      if (!authed) {
        if (line === `auth ${this.password}`) { authed = true; reply(socket, '+OK accepted'); return; }
        reply(socket, '-ERR invalid');
        socket.end('Content-Type: text/disconnect-notice\nContent-Length: 0\n\n');
        return;
      }
      if (line.startsWith('event ')) reply(socket, `+OK event listener enabled ${line.split(' ')[1] ?? 'plain'}`);
      else if (line === 'api sofia status') apiResponse(socket, this.sofiaStatus());
      else if (line.startsWith('api ')) apiResponse(socket, this.api(line.slice(4)));
      else if (line === 'exit') { reply(socket, '+OK bye'); socket.end(); }
      else reply(socket, '-ERR command not found');
    });
  }

  private sofiaStatus(): string {
    return [
      '                     Name\t   Type\t                                      Data\tState',
      '=================================================================================================',
      `             drachtio_mrf\tprofile\t         sip:mod_sofia@${this.sipAddress}\tRUNNING (0)`,
      '=================================================================================================',
      '1 profile 0 aliases', '',
    ].join('\n');
  }

  private api(command: string): string {
    const [name = '', uuid = ''] = command.split(/\s+/);
    const channel = this.channels.find((c) => c.uuid === uuid);
    if (name === 'uuid_break') {
      if (channel === undefined) return '-ERR No such channel!\n';
      channel.breakPlayback();
      return '+OK\n';
    }
    if (name === 'uuid_audio_fork' && this.audioForkLoaded) return this.audioFork(channel, command);
    return `-ERR ${name} Command not found!\n`;
  }

  /** mod_audio_fork's API: start (mono 8k only here) and stop; the connect itself is asynchronous. */
  private audioFork(channel: Channel | undefined, command: string): string {
    const [, , action = '', url = '', mix = '', rate = '', ...metadata] = command.split(' ');
    if (channel === undefined || channel.hungUp) return '-ERR Invalid uuid\n';
    channel.forkCommands.push(command);
    if (action === 'stop') {
      channel.fork?.close();
      channel.fork = null;
      return '+OK Success\n';
    }
    if (action !== 'start' || !/^wss?:\/\//.test(url)) {
      return '-USAGE: <uuid> [start | stop | send_text | pause | resume] [wss-url] [mono | mixed | stereo] [8k | 16k] [metadata]\n';
    }
    if (mix !== 'mono' || rate !== '8k') return `-ERR this fake streams mono 8k only, not ${mix} ${rate}\n`;
    if (channel.fork !== null) return '-ERR a fork is already running on this channel\n';
    const fork = new FakeAudioFork(url, metadata.join(' '));
    channel.fork = fork;
    fork.opened.catch(() => { if (channel.fork === fork) channel.fork = null; });
    return '+OK Success\n';
  }

  // ---- SIP: INVITEs from drachtio-fsmrf (through the fake drachtio-server) ----

  private onSip(raw: string): void {
    const message = parseSipText(raw);
    const method = methodOf(message);
    const callId = first(message, 'call-id') ?? '';
    const channel = this.channelFor(callId);
    if (method === 'INVITE' && channel !== undefined && tagOf(first(message, 'to')) !== null) {
      // A re-INVITE (Endpoint#modify: the far end's answer in the 3pcc case): FreeSWITCH takes it and answers.
      const ok = responseTo(message, 200, 'OK', null);
      ok.headers.set('contact', [`<sip:${this.sipAddress};transport=udp>`]);
      ok.headers.set('content-type', ['application/sdp']);
      ok.body = channel.localSdp;
      channel.remoteSdpUpdates.push(message.body);
      this.drachtio.fromNetwork(this.sipAddress, formatSipText(ok));
      return;
    }
    if (method === 'INVITE') { this.onInvite(message); return; }
    if (method === 'BYE') {
      this.drachtio.fromNetwork(this.sipAddress, formatSipText(responseTo(message, 200, 'OK', null)));
      if (channel !== undefined) this.hangUp(channel, 'NORMAL_CLEARING', false);
    }
    // ACK and responses (to our BYE) need nothing more.
  }

  private onInvite(invite: SipText): void {
    const eslTarget = first(invite, 'x-esl-outbound') ?? '';
    const [host = '', port = ''] = [eslTarget.slice(0, eslTarget.lastIndexOf(':')), eslTarget.slice(eslTarget.lastIndexOf(':') + 1)];
    const peer = '127.0.0.1:5060';
    if (eslTarget === '') {
      this.drachtio.fromNetwork(this.sipAddress, formatSipText(responseTo(invite, 480, 'Temporarily Unavailable', token())));
      return;
    }
    const sdp = ['v=0', `o=FreeSWITCH 1 1 IN IP4 127.0.0.1`, 's=FreeSWITCH', 'c=IN IP4 127.0.0.1', 't=0 0',
      'm=audio 30000 RTP/AVP 0 101', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16',
      'a=ptime:20', 'a=sendrecv', ''].join('\r\n');
    const channel = new Channel(this, invite, peer, token(), sdp);
    this.channels.push(channel);
    // The dialplan's `socket <X-esl-outbound> async full`: connect to the app's outbound ESL server.
    const socket = createConnection({ host, port: Number(port) });
    channel.socket = socket;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    commandReader(socket, (command) => this.onOutboundCommand(channel, socket, command));
    // FreeSWITCH answers once the socket application runs.
    const ok = responseTo(invite, 200, 'OK', channel.localTag);
    ok.headers.set('contact', [`<sip:${this.sipAddress};transport=udp>`]);
    ok.headers.set('content-type', ['application/sdp']);
    ok.body = sdp;
    this.drachtio.fromNetwork(this.sipAddress, formatSipText(ok));
  }

  private onOutboundCommand(channel: Channel, socket: Socket, { line, headers }: EslCommand): void {
    if (line === 'connect') {
      const data = channel.channelData();
      socket.write(`Content-Type: command/reply\nReply-Text: +OK\n${data}\n\n`);
    } else if (line.startsWith('event ')) {
      for (const name of line.split(/\s+/).slice(2)) channel.subscriptions.add(name);
      reply(socket, `+OK event listener enabled ${line.split(/\s+/)[1] ?? 'plain'}`);
    } else if (line.startsWith('filter ')) {
      reply(socket, `+OK filter added. [${line.split(' ')[1] ?? ''}]=[${line.split(' ')[2] ?? ''}]`);
    } else if (line === 'myevents' || line === 'linger' || line === 'noevents') {
      reply(socket, '+OK');
    } else if (line.startsWith('sendmsg')) {
      if (headers.get('call-command') !== 'execute') { reply(socket, '-ERR unsupported call-command'); return; }
      reply(socket, '+OK');
      const app = headers.get('execute-app-name') ?? '';
      const arg = headers.get('execute-app-arg') ?? '';
      void channel.execute(app, arg, headers.get('Event-UUID') ?? '');
    } else if (line.startsWith('api ')) {
      apiResponse(socket, this.api(line.slice(4)));
    } else if (line === 'exit') {
      reply(socket, '+OK bye');
      socket.end();
    } else {
      reply(socket, '-ERR command not found');
    }
  }

  /** The channel ends: CHANNEL_HANGUP, a BYE toward drachtio when we hang up, and the socket closes. */
  hangUp(channel: Channel, cause: string, sendBye: boolean): void {
    if (channel.hungUp) return;
    channel.hungUp = true;
    channel.breakPlayback();
    channel.fork?.close();
    channel.fork = null;
    channel.event('CHANNEL_HANGUP', { 'Hangup-Cause': cause });
    if (sendBye) {
      const bye: SipText = { startLine: `BYE ${uriOf(first(channel.invite, 'contact') ?? '')} SIP/2.0`, headers: new Map(), body: '' };
      bye.headers.set('via', [`SIP/2.0/UDP ${this.sipAddress};branch=z9hG4bK${token()}`]);
      bye.headers.set('from', [`${first(channel.invite, 'to') ?? ''};tag=${channel.localTag}`]);
      bye.headers.set('to', [first(channel.invite, 'from') ?? '']);
      bye.headers.set('call-id', [channel.callId]);
      bye.headers.set('cseq', ['1 BYE']);
      this.drachtio.fromNetwork(this.sipAddress, formatSipText(bye));
    }
    const socket = channel.socket;
    setTimeout(() => socket?.end('Content-Type: text/disconnect-notice\nContent-Length: 0\n\n'), 20);
  }
}
