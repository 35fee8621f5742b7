// The production telephone front door (SPEC §11): drachtio-server terminates SIP, FreeSWITCH carries
// the media. The app connects to drachtio-server with drachtio-srf (reconnecting with backoff),
// screens every INVITE with the same CallerTrust as the embedded endpoint (Identity, From,
// P-Asserted-Identity, called number, source address), connects the caller to a FreeSWITCH endpoint
// with drachtio-fsmrf, and runs the one dialog (runDialog) over a SipCall whose media is that endpoint.
import { mkdirSync } from 'node:fs';
import type { Logger } from 'pino';
import type { AppContext } from '../../app/context.js';
import type { CallChannel, CallFacts } from '../../ivr/call-channel.js';
import { cryptoDigits, runDialog, type DialogEnd, type DialogOptions } from '../../ivr/dialog.js';
import { incomingFacts } from '../../ivr/phone-line.js';
import { PromptSynthesizer } from '../../ivr/prompts.js';
import { defaultDialogTimings } from '../../ivr/verb.js';
import { jurisdictionFor } from '../../roll/jurisdictions.js';
import { CallerTrust } from '../../trust/caller-trust.js';
import { SipCall } from '../call.js';
import { callFacts } from '../call-state.js';
import { parseSipMessage } from '../sip/parser.js';
import { createMrf, createSrf, type MediaServer, type Srf, type SrfRequest, type SrfResponse } from './drachtio-modules.js';
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
}

export interface DrachtioPhoneLineOptions {
  readonly context: AppContext;
  readonly logger: Logger;
  readonly settings: DrachtioLineSettings;
  readonly dialog?: Partial<Omit<DialogOptions, 'context' | 'redis' | 'logger'>>;
  readonly trust?: CallerTrust;
  readonly onDialogEnd?: (call: CallChannel, end: DialogEnd) => void;
}

export class DrachtioPhoneLine {
  readonly srf: Srf;
  readonly trust: CallerTrust;
  private mediaServer: MediaServer | null = null;
  private readonly dialogs = new Set<Promise<DialogEnd>>();
  private readonly calls = new Set<SipCall<FreeSwitchMedia>>();
  private readonly dialogOptions: DialogOptions;
  private stopping = false;
  /** How many times drachtio-srf (re)connected and authenticated. */
  connections = 0;

  constructor(private readonly options: DrachtioPhoneLineOptions) {
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
    this.srf = createSrf();
    mkdirSync(options.settings.mediaDir, { recursive: true });
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
  }

  private async onInvite(req: SrfRequest, res: SrfResponse): Promise<void> {
    const { logger } = this.options;
    const parsed = parseSipMessage(Buffer.from(req.raw), { contentLengthRequired: false });
    if (!parsed.ok || parsed.message.kind !== 'request') {
      res.send(400);
      return;
    }
    const facts: CallFacts = callFacts(parsed.message,
      { address: req.source_address, port: Number(req.source_port), transport: 'udp' });
    const callId = req.get('Call-ID') ?? '';
    const screening = await this.trust.screen(incomingFacts(callId, facts));
    if (screening.kind === 'refused') {
      res.send(screening.sipStatus, screening.retryAfterSeconds === undefined ? {}
        : { headers: { 'Retry-After': String(screening.retryAfterSeconds) } });
      return;
    }
    const mediaServer = this.mediaServer;
    if (mediaServer === null || this.stopping) {
      res.send(503);
      return;
    }
    let connected: Awaited<ReturnType<MediaServer['connectCaller']>>;
    try {
      connected = await mediaServer.connectCaller(req, res);
    } catch (error) {
      logger.error({ err: error, callId }, 'could not connect the caller to FreeSWITCH');
      res.send(503);
      return;
    }
    const { endpoint, dialog } = connected;
    const media = new FreeSwitchMedia(endpoint, this.options.settings.mediaDir, callId, logger);
    const call = new SipCall(callId, facts, media, {
      hangup: async (ending) => {
        ending.end('local-hangup');
        await Promise.allSettled([dialog.destroy(), endpoint.destroy()]);
      },
    });
    this.calls.add(call);
    endpoint.on('dtmf', (event: { dtmf: string }) => call.receiveDigit(event.dtmf));
    dialog.on('destroy', () => {
      call.end('remote-hangup');
      endpoint.destroy().catch(() => undefined);
    });
    const run = runDialog(call, screening.decision, this.dialogOptions);
    this.dialogs.add(run);
    void run.then((end) => this.options.onDialogEnd?.(call, end))
      .catch((error: unknown) => logger.error({ err: error, callId }, 'dialog end hook failed'))
      .finally(() => { this.dialogs.delete(run); this.calls.delete(call); });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.calls].map((call) => call.hangup()));
    await Promise.allSettled([...this.dialogs]);
    this.mediaServer?.disconnect();
    try {
      this.srf.disconnect();
    } catch {
      // drachtio-srf throws when no connection is up (e.g. start-up failed): nothing to close.
    }
    this.trust.close();
  }
}
