// A real front door for trust tests over SIP: redis-server, a two-voter roll, CallerTrust with the
// test PKI's anchors and its own settings, and the PhoneLine (endpoint + dialog) that screens every
// INVITE with it. CallerTrust logs to memory, so tests read the decision each call was given.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createContext, type AppContext } from '../../src/app/context.js';
import { importRollFile } from '../../src/app/roll-import-service.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/config/logger.js';
import type { DialogEnd } from '../../src/ivr/dialog.js';
import { PhoneLine } from '../../src/ivr/phone-line.js';
import type { TranscriptLine } from '../../src/ivr/session.js';
import { CallerTrust, type CallerTrustOptions } from '../../src/trust/caller-trust.js';
import type { TrustAnchors } from '../../src/trust/certificate-chain.js';
import { quietLogger } from '../telephony/support/endpoint.js';
import { writeIowaZip, type HandVoter } from '../support/iowa-zip.js';
import type { TestRedis } from '../support/redis.js';
import { x5uBodyBytesMaxForTests, x5uFetchTimeoutMsForTests } from './fixtures.js';

export const ann: HandVoter = { id: '1001', first: 'ann', last: 'signed', city: 'ames', county: 'story', phone: '5155550100' };
export const john: HandVoter = { id: '1002', first: 'john', last: 'doe', city: 'adel', county: 'dallas', phone: '5155550102' };

/** One pino line as CallerTrust wrote it. */
export interface LoggedEntry {
  level: number;
  msg: string;
  callId?: string;
  stir?: { status: string; reason?: string; attest?: string };
  trustLevel?: string;
  sipReject?: { status: number; reason: string } | null;
  limited?: string;
  retryAfterSeconds?: number;
}

export interface SipLine {
  context: AppContext;
  line: PhoneLine;
  logs: LoggedEntry[];
  dir: string;
  /** What the dialogs said and heard, in order (tests that read it make one call at a time). */
  transcript: TranscriptLine[];
  /** How each dialog ended, by Call-ID. */
  ends: Map<string, DialogEnd>;
  /** Resolves when the dialog of that call has ended. */
  dialogEnded(callId: string): Promise<DialogEnd>;
  /** Resolves with the Call-ID of the next dialog to end (its BYE may reach the peer a moment before). */
  nextDialogEnd(): Promise<string>;
  logFor(callId: string): LoggedEntry[];
  stop(): Promise<void>;
}

export interface SipLineOptions {
  redis: TestRedis;
  /** Configuration variables on top of the test defaults (SIP and RTP on loopback, temp DATA_DIR). */
  env?: Record<string, string>;
  anchors?: TrustAnchors;
  tlsCa?: string;
  rateLimitWindowsMs?: CallerTrustOptions['rateLimitWindowsMs'];
  rtpPortMin: number;
  /** false: x5u on loopback and private addresses is refused, as in production (tests allow it by default). */
  allowPrivateAddresses?: boolean;
  /** The captcha's digits (the dialog draws two); 4 4 by default. */
  captchaDigit?: number;
}

export async function startSipLine(options: SipLineOptions): Promise<SipLine> {
  const dir = mkdtempSync(join(tmpdir(), 'dn-trust-sip-'));
  const config = loadConfig({
    REDIS_SOCKET: options.redis.server.socketPath, DATA_DIR: dir, SIP_LISTEN: '127.0.0.1:0',
    RTP_PORT_MIN: String(options.rtpPortMin), RTP_PORT_MAX: String(options.rtpPortMin + 99),
    RATE_LIMIT_CALLS_PER_NUMBER_PER_HOUR: '1000', ...options.env,
  });
  const context = await createContext(config, createLogger('silent'));
  await writeIowaZip(join(dir, 'roll.zip'), [ann, john]);
  await importRollFile(context, join(dir, 'roll.zip'));
  const logs: LoggedEntry[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => { logs.push(JSON.parse(line) as LoggedEntry); } });
  const trust = new CallerTrust({
    config, redis: context.connection.redis, keys: context.keys, logger,
    ...(options.anchors === undefined ? {} : { anchors: options.anchors }),
    fetcher: {
      fetchTimeoutMs: x5uFetchTimeoutMsForTests, bodyBytesMax: x5uBodyBytesMaxForTests,
      allowPrivateAddresses: options.allowPrivateAddresses ?? true,
      ...(options.tlsCa === undefined ? {} : { tlsCa: options.tlsCa }),
    },
    ...(options.rateLimitWindowsMs === undefined ? {} : { rateLimitWindowsMs: options.rateLimitWindowsMs }),
  });
  const transcript: TranscriptLine[] = [];
  const ends = new Map<string, DialogEnd>();
  const waiting = new Map<string, (end: DialogEnd) => void>();
  const nextEnd: ((callId: string) => void)[] = [];
  const line = new PhoneLine({
    context, logger: quietLogger(), trust,
    endpoint: { timers: { t1Ms: 100, t2Ms: 400, t4Ms: 500 } },
    dialog: {
      synthesizer: { synthesize: async () => new Int16Array(800) },
      timings: { silenceTimeoutMs: 1_500, interDigitTimeoutMs: 1_200, inactivityHangUpMs: 3_500 },
      captchaDigits: () => options.captchaDigit ?? 4,
      transcript: (entry) => transcript.push(entry),
    },
    onDialogEnd: (call, end) => {
      ends.set(call.callId, end);
      waiting.get(call.callId)?.(end);
      for (const resolve of nextEnd.splice(0)) resolve(call.callId);
    },
  });
  await line.start();
  return {
    context, line, logs, dir, transcript, ends,
    dialogEnded: (callId) => {
      const known = ends.get(callId);
      if (known !== undefined) return Promise.resolve(known);
      return new Promise((resolve) => waiting.set(callId, resolve));
    },
    nextDialogEnd: () => new Promise((resolve) => nextEnd.push(resolve)),
    logFor: (callId) => logs.filter((entry) => entry.callId === callId),
    async stop(): Promise<void> {
      await line.stop();
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
