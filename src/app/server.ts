// The long-running product process (./scripts/start): embedded Redis, a voter roll (a generated
// sample if none is configured), this week's bills, and the public audit log kept published.
// The SIP endpoint answers calls here too (each INVITE screened by caller trust, each call a dialog);
// the web server (public pages, sign-in by phone, /metrics) runs here too, on WEB_LISTEN.
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/config.js';
import type { Logger } from '../config/logger.js';
import { listenSettingError } from '../config/listen-error.js';
import { loadFeedText, parseBillsFeed } from '../bills/house-feed.js';
import { dataDir } from '../roll/data-dir.js';
import { generateRoll } from '../roll/generate.js';
import { splitHostPort } from '../telephony/endpoint-config.js';
import { jurisdictionFor } from '../roll/jurisdictions.js';
import { PhoneLine, type PhoneLineOptions } from '../ivr/phone-line.js';
import { DrachtioPhoneLine } from '../telephony/drachtio/drachtio-phone-line.js';
import { drachtioSettingsFromConfig } from '../telephony/drachtio/drachtio-settings.js';
import { createContext, type AppContext } from './context.js';
import { createRecognizer } from '../speech/factory.js';
import { RemoteRecognizer } from '../speech/grpc/remote-recognizer.js';
import { registerVoiceNameMetrics, withVoiceNames } from '../speech/names/voice-names.js';
import { RecognizerUnavailableError, type Recognizer } from '../speech/recognizer.js';
import { DemurrageJob } from './demurrage-job.js';
import { startDemurrageTimer } from './demurrage-service.js';
import { smsSenderFromConfig, startSmsDeliverer } from './sms-outbox.js';
import { importRollFile } from './roll-import-service.js';
import { startWebServer } from '../web/web-server.js';

export const publishIntervalMs = 1_000;
export const sampleRollSeed = 1;

async function ensureRoll(context: AppContext): Promise<void> {
  const { config, logger } = context;
  const meta = await context.roll.meta();
  if (config.rollPath !== null) {
    if (!existsSync(config.rollPath)) throw new Error(`ROLL_PATH ${config.rollPath} does not exist`);
    logger.info({ path: config.rollPath }, 'importing the configured voter roll (skipped rows are reported)');
    const { report } = await importRollFile(context, config.rollPath);
    logger.info({ generation: report.generation, voters: report.votersImported, badRows: report.badRows }, 'voter roll imported');
    return;
  }
  if (meta !== null) return;
  const samplePath = join(config.dataDir, `sample-roll-${config.sampleRollVoters}-seed${sampleRollSeed}.zip`);
  if (!existsSync(samplePath)) {
    logger.info({ voters: config.sampleRollVoters, path: samplePath }, 'no ROLL_PATH: generating a sample voter roll');
    await generateRoll({ seed: sampleRollSeed, voters: config.sampleRollVoters, outputPath: samplePath,
      jurisdiction: jurisdictionFor(config.stateOrProvince) });
  }
  const { report } = await importRollFile(context, samplePath);
  logger.info({ generation: report.generation, voters: report.votersImported }, 'sample voter roll imported');
}

async function ensureBills(context: AppContext, feed: string | null): Promise<void> {
  const existing = await context.store.bills();
  const source = feed ?? (existing.length === 0 ? join(dataDir(), 'bills', 'sample-bills-this-week.xml') : null);
  if (source === null) return;
  const { week, bills } = parseBillsFeed(await loadFeedText(source, (path) => readFile(path, 'utf8')));
  const { added, updated } = await context.democracy.addBills(bills, 'import');
  context.logger.info({ source, week, added, updated }, feed === null ? 'loaded the sample bills (set BILLS_FEED for real ones)' : 'bills imported');
}

/**
 * The configured speech engine: the gRPC worker pool when ASR_WORKERS is set, else in-process; null
 * (keypad only) when speech is off or cannot load here.
 */
async function startRecognizer(config: Config, logger: Logger): Promise<Recognizer | null> {
  if (config.speechEngine !== 'none' && config.asrWorkers.length > 0) {
    logger.info({ workers: config.asrWorkers }, 'speech recognition: remote ASR workers');
    return new RemoteRecognizer({ workers: config.asrWorkers, logger });
  }
  try {
    return await createRecognizer(config, logger);
  } catch (error) {
    if (!(error instanceof RecognizerUnavailableError)) throw error;
    logger.error(`speech recognition is unavailable: ${error.message}. Calls work by keypad.`);
    return null;
  }
}

export interface RunningServer {
  context: AppContext;
  /** The embedded SIP endpoint, or (TELEPHONY=drachtio) the drachtio-server + FreeSWITCH line. */
  phone: PhoneLine | DrachtioPhoneLine;
  /** `host:port` the SIP endpoint listens on (UDP and TCP), with the bound port; or the drachtio-server. */
  sipAddress: string;
  /** The web server's URL, with the bound port. */
  webUrl: string;
  stop(): Promise<void>;
}

export async function startServer(
  config: Config, logger: Logger, phoneOptions: Partial<Omit<PhoneLineOptions, 'context' | 'logger'>> = {},
): Promise<RunningServer> {
  mkdirSync(config.dataDir, { recursive: true });
  const context = await createContext(config, logger);
  try {
    await ensureRoll(context);
    await ensureBills(context, config.billsFeed);
    await context.publishLog();
  } catch (error) {
    await context.close();
    throw error;
  }
  // Both lines listen by speech: the embedded endpoint from its RTP, the drachtio line from mod_audio_fork.
  const engine = await startRecognizer(config, logger);
  // Names by voice and dial-by-name: the roll's name index and grammars, and the two-pass name recognizer.
  const voiceNames = await withVoiceNames(engine, context.roll, logger, { warmUpCities: config.nameWarmupCities,
    agreementCheck: config.nameAgreementCheck, shortForms: config.nameShortForms,
    voiceVotersMax: config.nameVoiceVotersMax, townFirst: config.nameTownFirst,
    pronunciationCacheDir: join(config.dataDir, 'pronunciations') });
  const recognizer = voiceNames.recognizer;
  const closeRecognizer = async (): Promise<void> => {
    await recognizer?.close().catch((error: unknown) => logger.error({ err: error }, 'closing the recognizer failed'));
    await voiceNames.close().catch((error: unknown) => logger.error({ err: error }, 'removing name grammars failed'));
  };
  const phone = config.telephony === 'drachtio'
    ? new DrachtioPhoneLine({ context, logger, settings: drachtioSettingsFromConfig(config),
      dialog: { recognizer, names: voiceNames.names, ...phoneOptions.dialog } })
    : new PhoneLine({ context, logger, ...phoneOptions, dialog: { recognizer, names: voiceNames.names,
      ...phoneOptions.dialog } });
  try {
    await phone.start();
  } catch (error) {
    await phone.stop().catch(() => undefined);
    await closeRecognizer();
    await context.close();
    // The embedded endpoint binds SIP_LISTEN itself; the drachtio line only connects out.
    throw config.telephony === 'drachtio' ? error : listenSettingError('SIP_LISTEN', config.sipListen, error);
  }
  let web: Awaited<ReturnType<typeof startWebServer>>;
  try {
    web = await startWebServer(context, config.webListen, { cookieSecure: config.webCookieSecure });
  } catch (error) {
    await phone.stop().catch(() => undefined);
    // The recognizer's decoders and the name grammars' files go too (a web port in use must leave nothing behind).
    await closeRecognizer();
    await context.close();
    throw listenSettingError('WEB_LISTEN', config.webListen, error);
  }
  registerVoiceNameMetrics(web.services.metrics.registry, voiceNames.names);
  // Answered calls are counted on both lines.
  const countCall = (): void => web.services.metrics.callsAnswered.inc();
  if (phone instanceof PhoneLine) phone.endpoint.on('call', countCall);
  else phone.on('call', countCall);
  // Demurrage runs are idempotent per period and resumable; the job lease lets one process run it at a time.
  const stopDemurrage = startDemurrageTimer(new DemurrageJob(context), logger);
  const smsSender = smsSenderFromConfig(config);
  const stopSms = smsSender === null ? async (): Promise<void> => undefined
    : startSmsDeliverer({ outbox: context.sms, sender: smsSender, roll: context.roll, logger });
  const sipHost = splitHostPort(config.sipListen).host;
  let publishing: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    publishing = context.publishLog().catch((error: unknown) => logger.error({ err: error }, 'publishing the audit log failed'));
  }, publishIntervalMs);
  return {
    context,
    phone,
    sipAddress: phone instanceof PhoneLine ? `${sipHost.includes(':') ? `[${sipHost}]` : sipHost}:${phone.port}`
      : `drachtio-server ${config.drachtio.host}:${config.drachtio.port}`,
    webUrl: web.url,
    async stop(): Promise<void> {
      await web.close().catch((error: unknown) => logger.error({ err: error }, 'stopping the web server failed'));
      await phone.stop().catch((error: unknown) => logger.error({ err: error }, 'stopping the SIP endpoint failed'));
      clearInterval(timer);
      await Promise.all([stopDemurrage(), stopSms()]);
      await publishing;
      await context.publishLog().catch((error: unknown) => logger.error({ err: error }, 'final publish failed'));
      await closeRecognizer();
      await context.close();
    },
  };
}
