// The production telephone front door (SPEC §11): drachtio-server terminates SIP, FreeSWITCH carries
// the media. The app connects to drachtio-server with drachtio-srf (reconnecting with backoff),
// screens every INVITE with the same CallerTrust as the embedded endpoint (Identity, From,
// P-Asserted-Identity, called number, source address), connects the caller to a FreeSWITCH endpoint
// with drachtio-fsmrf, and runs the one dialog (runDialog) over a SipCall whose media is that endpoint.
// The caller's audio reaches the recognizer through mod_audio_fork (AudioForkServer); the call-back's
// outbound call goes out through drachtio-server too (DrachtioDialer). Emits 'call' per answered call.
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import type { Logger } from 'pino';
import type { AppContext } from '../../app/context.js';
import type { CallChannel, CallFacts } from '../../ivr/call-channel.js';
import { DialerOutboundCaller } from '../../ivr/dialer-outbound-caller.js';
import { normalizePhone } from '../../core/phone.js';
import type { Recognizer } from '../../speech/recognizer.js';
import { cryptoDigits, runDialog, type DialogEnd, type DialogOptions } from '../../ivr/dialog.js';
import { incomingFacts } from '../../ivr/phone-line.js';
import { PromptSynthesizer } from '../../ivr/prompts.js';
import { defaultDialogTimings } from '../../ivr/verb.js';
import { jurisdictionFor } from '../../roll/jurisdictions.js';
import { CallerTrust } from '../../trust/caller-trust.js';
import type { TrustDecision } from '../../trust/trust-policy.js';
import { SipCall } from '../call.js';
import { callFacts } from '../call-state.js';
import { parseSipMessage } from '../sip/parser.js';
import { AudioForkServer } from './audio-fork-server.js';
import { DrachtioDialer } from './drachtio-dialer.js';
import {
  createMrf, createSrf, type FsEndpoint, type MediaServer, type Srf, type SrfDialog, type SrfRequest, type SrfResponse,
} from './drachtio-modules.js';
import { EarlyDigits } from './early-digits.js';
import { FreeSwitchMedia } from './freeswitch-media.js';

export interface DrachtioLineSettings {
  readonly drachtio: { host: string; port: number; secret: string };
  readonly freeswitch: { host: string; port: number; password: string };
  /** Where FreeSWITCH's outbound event socket reaches this process (`host:port`, port 0: any). */
  readonly eslListen: { host: string; port: number };
  /** Address FreeSWITCH should connect to for eslListen (e.g. the app's service name in compose). */
  readonly eslAdvertisedAddress?: string;
  /** Directory shared with FreeSWITCH where prompts are written as WAV files. */
  readonly mediaDir: string;
  /** Backoff ceiling for reconnecting to drachtio-server. */
  readonly reconnectMaxDelayMs?: number;
  readonly connectTimeoutMs?: number;
  /** Where mod_audio_fork's websocket reaches this process (port 0: any); unset: no speech on this path. */
  readonly audioForkListen?: { host: string; port: number };
  /** `host:port` of the SIP trunk for the call-back's outbound calls; unset: no call-back. */
  readonly trunk?: string;
  /** Most calls at once, counting those being set up; the next INVITE gets 503 (default 500). */
  readonly maxCalls?: number;
}

const maxCallsDefault = 500;

/** An inbound call once answered: its channel, the trust verdict and its FreeSWITCH channel's uuid. */
interface AnsweredCall {
  readonly call: SipCall<FreeSwitchMedia>;
  readonly decision: TrustDecision;
  readonly uuid: string;
}
/** What a refused caller's carrier is told to wait before trying again, as the embedded line says. */
const busyRetryAfterSeconds = 5;

export interface DrachtioPhoneLineOptions {
  readonly context: AppContext;
  readonly logger: Logger;
  readonly settings: DrachtioLineSettings;
  readonly dialog?: Partial<Omit<DialogOptions, 'context' | 'redis' | 'logger'>>;
  readonly trust?: CallerTrust;
  readonly onDialogEnd?: (call: CallChannel, end: DialogEnd) => void;
}

export class DrachtioPhoneLine extends EventEmitter<{ call: [CallChannel] }> {
  readonly srf: Srf;
  readonly trust: CallerTrust;
  /** Places the call-back's outbound calls; null without a trunk. */
  readonly dialer: DrachtioDialer | null;
  private readonly recognizer: Recognizer | null;
  private audioFork: AudioForkServer | null = null;
  private mediaServer: MediaServer | null = null;
  private readonly dialogs = new Set<Promise<DialogEnd>>();
  private readonly calls = new Set<SipCall<FreeSwitchMedia>>();
  /** INVITEs being screened or connected to FreeSWITCH: they count against maxCalls before they are calls. */
  private settingUp = 0;
  private readonly dialogOptions: DialogOptions;
  private stopping = false;
  /** How many times drachtio-srf (re)connected and authenticated. */
  connections = 0;

  constructor(private readonly options: DrachtioPhoneLineOptions) {
    super();
    const { context, logger } = options;
    const { config } = context;
    this.trust = options.trust
      ?? new CallerTrust({ config, redis: context.connection.redis, keys: context.keys, logger });
    this.dialogOptions = {
      context, redis: context.connection.redis, logger, jurisdiction: jurisdictionFor(config.stateOrProvince),
      synthesizer: new PromptSynthesizer({ cacheDir: `${config.dataDir}/prompts` }),
      timings: defaultDialogTimings, captchaDigits: cryptoDigits, tellMeAboutText: config.tellMeAboutText,
      ...options.dialog,
    };
    this.recognizer = this.dialogOptions.recognizer ?? null;
    this.srf = createSrf();
    const { trunk } = options.settings;
    this.dialer = trunk === undefined ? null : new DrachtioDialer({
      srf: this.srf, mediaServer: () => this.mediaServer, trunk, logger, canDial: () => !this.stopping,
      attach: ({ endpoint, dialog, to, from }) => {
        const callId = dialog.sip.callId;
        const facts: CallFacts = { from: `sip:+1${from}@${trunk}`, to: `sip:+1${to}@${trunk}`, fromNumber: from,
          toNumber: to, identityHeaders: [], sourceAddress: trunk };
        const early = new EarlyDigits();
        endpoint.on('dtmf', (event: { dtmf: string }) => early.push(event.dtmf));
        return this.attach(callId, facts, endpoint, dialog, early);
      },
    });
    mkdirSync(options.settings.mediaDir, { recursive: true });
  }

  /** The mod_audio_fork websocket's bound port (0 when speech is off on this path). */
  get audioForkPort(): number {
    return this.audioFork?.port ?? 0;
  }

  /** Connects to drachtio-server (waits for the first authentication) and to FreeSWITCH. */
  async start(): Promise<void> {
    const { settings, logger } = this.options;
    const { drachtio } = settings;
    const firstConnection = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(
        `could not connect to drachtio-server at ${drachtio.host}:${drachtio.port} within ${settings.connectTimeoutMs ?? 30_000} ms`)),
      settings.connectTimeoutMs ?? 30_000);
      this.srf.on('connect', (error: Error | null, hostPort: string) => {
        if (error) {
          logger.error({ err: error.message }, 'drachtio-server refused us (check DRACHTIO_SECRET)');
          clearTimeout(timer);
          reject(new Error(`drachtio-server at ${drachtio.host}:${drachtio.port}: ${error.message}`));
          return;
        }
        this.connections += 1;
        logger.info({ hostPort, connections: this.connections }, 'connected to drachtio-server');
        clearTimeout(timer);
        resolve();
      });
    });
    // drachtio-srf reconnects by itself (backoff ×1.7 up to retryMaxDelay); we log it.
    this.srf.on('reconnecting', (info: { delay: number; attempt: number }) => {
      if (!this.stopping) logger.warn(info, 'drachtio-server connection lost; reconnecting');
    });
    this.srf.on('error', (error: Error) => {
      if (!this.stopping) logger.warn({ err: error.message }, 'drachtio-server connection error');
    });
    this.srf.invite((req, res) => { void this.onInvite(req, res); });
    this.srf.connect({ host: drachtio.host, port: drachtio.port, secret: drachtio.secret,
      reconnect: { retryMaxDelay: settings.reconnectMaxDelayMs ?? 5_000 } });
    await firstConnection;
    const { freeswitch, eslListen } = settings;
    const mrf = createMrf(this.srf);
    this.mediaServer = await mrf.connect({
      address: freeswitch.host, port: freeswitch.port, secret: freeswitch.password,
      listenAddress: eslListen.host, listenPort: eslListen.port,
      ...(settings.eslAdvertisedAddress === undefined ? {} : { advertisedAddress: settings.eslAdvertisedAddress }),
    });
    logger.info({ freeswitch: `${freeswitch.host}:${freeswitch.port}` }, 'connected to FreeSWITCH');
    if (this.recognizer !== null && settings.audioForkListen !== undefined) {
      const fork = new AudioForkServer({ listen: settings.audioForkListen, logger,
        ...(settings.eslAdvertisedAddress === undefined ? {} : { advertisedHost: settings.eslAdvertisedAddress }) });
      await fork.start();
      this.audioFork = fork;
      logger.info({ port: fork.port, engine: this.recognizer.engine }, 'listening for mod_audio_fork audio');
    }
  }

  /** Calls carried now, counting inbound ones still being set up (the bound on MAX_CALLS). */
  get callCount(): number {
    return this.calls.size + this.settingUp;
  }

  private async onInvite(req: SrfRequest, res: SrfResponse): Promise<void> {
    const { logger, settings } = this.options;
    if (this.callCount >= (settings.maxCalls ?? maxCallsDefault)) {
      logger.warn({ calls: this.callCount, callId: req.get('Call-ID') }, 'at MAX_CALLS: refusing a call with 503');
      res.send(503, { headers: { 'Retry-After': String(busyRetryAfterSeconds) } });
      return;
    }
    let answered: AnsweredCall | null;
    this.settingUp += 1;
    try {
      answered = await this.answer(req, res);
    } finally {
      this.settingUp -= 1;
    }
    if (answered !== null) await this.begin(answered);
  }

  /** Screens the caller, connects it to FreeSWITCH and answers; null when the call was refused or given up. */
  private async answer(req: SrfRequest, res: SrfResponse): Promise<AnsweredCall | null> {
    const { logger } = this.options;
    const parsed = parseSipMessage(Buffer.from(req.raw), { contentLengthRequired: false });
    if (!parsed.ok || parsed.message.kind !== 'request') {
      res.send(400);
      return null;
    }
    const facts: CallFacts = callFacts(parsed.message,
      { address: req.source_address, port: Number(req.source_port), transport: 'udp' });
    const callId = req.get('Call-ID') ?? '';
    const screening = await this.trust.screen(incomingFacts(callId, facts));
    if (screening.kind === 'refused') {
      res.send(screening.sipStatus, screening.retryAfterSeconds === undefined ? {}
        : { headers: { 'Retry-After': String(screening.retryAfterSeconds) } });
      return null;
    }
    const mediaServer = this.mediaServer;
    if (mediaServer === null || this.stopping) {
      res.send(503);
      return null;
    }
    // What drachtio-fsmrf's connectCaller does, in two steps, so the endpoint's keys are caught from
    // the moment it exists rather than after the 200 OK round trip (EarlyDigits).
    let endpoint: FsEndpoint;
    try {
      endpoint = await mediaServer.createEndpoint({ remoteSdp: req.body });
    } catch (error) {
      logger.error({ err: error, callId }, 'could not connect the caller to FreeSWITCH');
      res.send(503);
      return null;
    }
    const early = new EarlyDigits();
    endpoint.on('dtmf', (event: { dtmf: string }) => early.push(event.dtmf));
    let dialog: SrfDialog;
    try {
      dialog = await this.srf.createUAS(req, res, { localSdp: endpoint.local.sdp });
    } catch (error) {
      // The caller gave up (CANCEL) or the 200 OK could not be sent.
      logger.info({ err: error, callId }, 'the call ended before it was answered');
      await endpoint.destroy().catch(() => undefined);
      return null;
    }
    const call = this.attach(callId, facts, endpoint, dialog, early);
    return { call, decision: screening.decision, uuid: endpoint.uuid };
  }

  /** Starts the caller's audio fork and the dialog (not awaiting its end). */
  private async begin({ call, decision, uuid }: AnsweredCall): Promise<void> {
    const { logger } = this.options;
    const { callId } = call;
    this.emit('call', call);
    const listens = await this.startSpeech(call, uuid, callId);
    const run = runDialog(call, decision, {
      ...this.callBackFor(call), ...this.dialogOptions, recognizer: listens ? this.recognizer : null,
    });
    this.dialogs.add(run);
    void run.then((end) => this.options.onDialogEnd?.(call, end))
      .catch((error: unknown) => logger.error({ err: error, callId }, 'dialog end hook failed'))
      .finally(() => { this.dialogs.delete(run); });
  }

  /** One call over a FreeSWITCH endpoint and its SIP dialog, inbound or outbound. */
  private attach(callId: string, facts: CallFacts, endpoint: FsEndpoint, dialog: SrfDialog, early: EarlyDigits):
    SipCall<FreeSwitchMedia> {
    const media = new FreeSwitchMedia(endpoint, this.options.settings.mediaDir, callId, this.options.logger);
    const call = new SipCall(callId, facts, media, {
      hangup: async (ending) => {
        ending.end('local-hangup');
        await Promise.allSettled([dialog.destroy(), endpoint.destroy()]);
      },
    });
    this.calls.add(call);
    early.deliverTo((digit) => call.receiveDigit(digit));
    const remoteHangup = (): void => {
      call.end('remote-hangup');
      endpoint.destroy().catch(() => undefined);
    };
    dialog.on('destroy', remoteHangup);
    // A BYE read in the same chunk as the answer's confirmation is handled before createUAS's caller
    // resumes: the dialog emitted 'destroy' to nobody, and only `connected` tells.
    if (!dialog.connected) remoteHangup();
    void call.ended.then(() => this.calls.delete(call));
    return call;
  }

  /**
   * Forks the caller's audio to our websocket (mod_audio_fork) when there is a recognizer to hear it.
   * False: no recognizer, no fork server, or FreeSWITCH refused; the call is then keypad only.
   */
  private async startSpeech(call: SipCall<FreeSwitchMedia>, uuid: string, callId: string): Promise<boolean> {
    const fork = this.audioFork;
    if (this.recognizer === null || fork === null) return false;
    const registration = fork.register({
      audio: (frame) => call.media.receiveAudio(frame),
      text: (text) => this.options.logger.debug({ callId, text: text.slice(0, 200) }, 'audio fork text frame'),
    });
    void call.ended.then(registration.unregister);
    const started = await call.media.startAudioFork(registration.url, { uuid });
    if (!started) registration.unregister();
    return started;
  }

  /** Call-back needs a trunk and a number to present (the one the voter dialed), as on the embedded line. */
  private callBackFor(call: CallChannel): Pick<DialogOptions, 'callBack'> {
    const presented = normalizePhone(call.facts.toNumber ?? '');
    if (this.dialer === null || presented === null) return {};
    const { synthesizer } = this.dialogOptions;
    return { callBack: { caller: new DialerOutboundCaller({
      dialer: this.dialer, from: presented, speak: (text) => synthesizer.synthesize(text),
    }) } };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.calls].map((call) => call.hangup()));
    await Promise.allSettled([...this.dialogs]);
    await this.audioFork?.close();
    this.mediaServer?.disconnect();
    try {
      this.srf.disconnect();
    } catch {
      // drachtio-srf throws when no connection is up (e.g. start-up failed): nothing to close.
    }
    this.trust.close();
  }
}
