// Configuration from the environment and `.env` (SPEC §10), validated once at start-up.
// An invalid value stops start-up with a message that names the variable and what was expected.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { isIP } from 'node:net';
import { z } from 'zod';
import {
  backgroundDecodesDefault, backgroundDecodesLimit, decodingDefault, latticeWaitMsDefault, latticeWaitMsMax,
  noiseFloorBelowSpeechDbDefault, noiseFloorBelowSpeechDbMax, noiseFloorDbOf, noisyLineSnrDbDefault, noisyLineSnrDbMax,
  pocketsphinxDecodings,
} from '../speech/pocketsphinx/pocketsphinx-settings.js';
import { normalizePhone } from './phone.js';
import { parseTrunk } from './sip-trunk.js';

export const jurisdictionCodes = { iowa: 'ia' } as const;
export type StateOrProvince = keyof typeof jurisdictionCodes;
export const speechEngines = ['pocketsphinx', 'vosk', 'none'] as const;

/** MONEY_AMOUNT_MAX_CENTS when unset: $1,000,000 in one payment. */
export const moneyAmountMaxCentsDefault = 100_000_000;
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: ReadonlyArray<{ variable: string; message: string }>) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
  }
}

/** What "tell me about" says on the phone until the operator sets TELL_ME_ABOUT_TEXT. */
export const tellMeAboutTextDefault = 'The Delegate Network lets every voter vote on the bills before the House, '
  + 'or name a delegate who votes for them, and take that power back at any time. Every vote and delegation '
  + 'is public in the audit log.';
const tellMeAboutTextCharactersMax = 2000;

const hostPort = z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:5060')
  .refine((value) => { const port = Number(value.slice(value.lastIndexOf(':') + 1)); return port > 0 && port < 65536; },
    'port must be 1-65535');
/** A listening address: port 0 asks the system for a free port (tests, several instances on one host). */
const listenHostPort = z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'expected host:port, e.g. 0.0.0.0:5060')
  .refine((value) => Number(value.slice(value.lastIndexOf(':') + 1)) < 65536, 'port must be 1-65535, or 0 for any free port');

const port = z.coerce.number({ error: 'expected a port number' }).int('expected a whole number')
  .min(1024, 'expected a port from 1024 to 65535').max(65535, 'expected a port from 1024 to 65535');

/** Accepts the seed's Python-list form ['712-123-9876','712-125-7890'], "a, b", or "a b". */
function parsePhoneList(raw: string, context: z.RefinementCtx): string[] {
  const items = raw.replace(/[[\]'"]/g, ' ').split(/[,;\n]+/).map((item) => item.trim()).filter((item) => item.length > 0);
  const phones: string[] = [];
  for (const item of items) {
    const phone = normalizePhone(item);
    const spaced = item.split(/\s+/).map((part) => normalizePhone(part));
    if (phone !== null) phones.push(phone);
    else if (spaced.length > 1 && spaced.every((part) => part !== null)) phones.push(...(spaced as string[]));
    else context.addIssue({ code: 'custom', message: `"${item}" is not a 10-digit phone number` });
  }
  return phones;
}

/** TRUSTED_TRUNKS: "203.0.113.5, 198.51.100.0/24, 2001:db8::/32". */
function parseTrunkList(raw: string, context: z.RefinementCtx): string[] {
  const items = raw.split(/[,;\s]+/).map((item) => item.trim()).filter((item) => item.length > 0);
  for (const item of items) {
    const [address = '', prefix, extra] = item.split('/');
    const family = isIP(address);
    const prefixMax = family === 6 ? 128 : 32;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= prefixMax);
    if (family === 0 || !prefixOk || extra !== undefined) {
      context.addIssue({ code: 'custom', message: `"${item}" is not an IP address or CIDR block (e.g. 203.0.113.0/24)` });
    }
  }
  return items;
}

/** ASR_WORKERS: "asr-1:50051, asr-2:50051" (host:port of each gRPC speech worker). */
function parseWorkerList(raw: string, context: z.RefinementCtx): string[] {
  const items = raw.split(/[,;\s]+/).map((item) => item.trim()).filter((item) => item.length > 0);
  for (const item of items) {
    if (!hostPort.safeParse(item).success) context.addIssue({ code: 'custom', message: `"${item}" is not host:port, e.g. asr:50051` });
  }
  return items;
}

/** REDIS_SENTINELS / REDIS_CLUSTER_NODES: "10.0.0.1:26379, redis-2:26379". Unset or empty: no list. */
function parseHostPortList(raw: string | undefined, context: z.RefinementCtx): Array<{ host: string; port: number }> {
  if (raw === undefined) return [];
  const items = raw.split(/[,;\s]+/).map((item) => item.trim()).filter((item) => item.length > 0);
  const nodes: Array<{ host: string; port: number }> = [];
  for (const item of items) {
    const parsed = hostPort.safeParse(item);
    if (!parsed.success) {
      context.addIssue({ code: 'custom', message: `"${item}" is not host:port (e.g. 10.0.0.1:26379)` });
      continue;
    }
    const colon = item.lastIndexOf(':');
    nodes.push({ host: item.slice(0, colon).replace(/^\[|\]$/g, ''), port: Number(item.slice(colon + 1)) });
  }
  return nodes;
}

/**
 * Singleton-job leases (store/lease.ts): shorter than a second is renewed too often to survive one slow
 * reply; longer than an hour leaves a crashed job's period blocked for too long.
 */
const jobLeaseTtlMsMin = 1_000;
const jobLeaseTtlMsMax = 3_600_000;

const failurePolicies = ['continue', 'reject'] as const;
const failurePolicy = z.string().trim().toLowerCase().default('continue')
  .pipe(z.enum(failurePolicies, { error: 'expected continue (lower trust) or reject (SIP 4xx)' }));
const booleanFlag = z.string().trim().toLowerCase().default('false')
  .pipe(z.enum(['true', 'false'], { error: 'expected true or false' })).transform((value) => value === 'true');

const schema = z.object({
  STATE_OR_PROVINCE: z.string().trim().toLowerCase().default('iowa')
    .pipe(z.enum(Object.keys(jurisdictionCodes) as [StateOrProvince], { error: `expected one of: ${Object.keys(jurisdictionCodes).join(', ')}` })),
  VOTING_DISTRICT: z.string().trim().regex(/^\d{1,2}$/, 'expected a congressional district number, e.g. 4').optional(),
  SOVEREIGN_PHONES: z.string().default('').transform(parsePhoneList),
  DATA_DIR: z.string().min(1).default('var'),
  AUDIT_LOG: z.string().min(1, 'expected a file path').optional(),
  NUMBER_OF_ACTIVATIONS_TO_REWARD: z.coerce.number({ error: 'expected a whole number' })
    .int('expected a whole number').min(1, 'expected at least 1').max(10_000_000, 'expected at most 10,000,000')
    .default(65_536),
  MONEY_AMOUNT_MAX_CENTS: z.coerce.number({ error: 'expected a whole number of cents' })
    .int('expected a whole number of cents').min(1, 'expected at least 1 cent')
    .max(100_000_000_000_00, 'expected at most 10,000,000,000,000 cents').default(moneyAmountMaxCentsDefault),
  DEMURRAGE_RATE_BASIS_POINTS: z.coerce.number({ error: 'expected basis points per period, e.g. 50 for 0.5 %' })
    .int('expected whole basis points, e.g. 50 for 0.5 %').min(0, 'expected 0 to 10000 basis points')
    .max(10_000, 'expected 0 to 10000 basis points').default(50),
  DEMURRAGE_PERIOD: z.string().trim().toLowerCase().default('month')
    .pipe(z.enum(['day', 'week', 'month'], { error: 'expected one of: day, week, month' })),
  SMS_WEBHOOK_URL: z.string().regex(/^https?:\/\/\S+$/, 'expected an http:// or https:// URL of the SMS provider webhook')
    .optional(),
  SMS_OUTBOX_FILE: z.string().min(1, 'expected a file path').optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\/.+/, 'expected redis://host:port[/db] or rediss://…').optional(),
  REDIS_SOCKET: z.string().min(1, 'expected a unix socket path').optional(),
  REDIS_SENTINELS: z.string().optional().transform(parseHostPortList),
  REDIS_SENTINEL_MASTER: z.string().trim().regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected a master name of letters, digits, . _ -')
    .default('delegate-network'),
  REDIS_CLUSTER_NODES: z.string().optional().transform(parseHostPortList),
  REDIS_WAIT_REPLICAS: z.coerce.number({ error: 'expected a whole number of replicas' })
    .int('expected a whole number of replicas').min(0, 'expected 0 to 10 replicas').max(10, 'expected 0 to 10 replicas')
    .default(0),
  REDIS_WAIT_TIMEOUT_MS: z.coerce.number({ error: 'expected milliseconds' }).int('expected whole milliseconds')
    .min(10, 'expected 10 to 4000 ms').max(4_000, 'expected 10 to 4000 ms (below the 5 s socket timeout)').default(1_000),
  JOB_LEASE_TTL_MS: z.coerce.number({ error: 'expected milliseconds' }).int('expected whole milliseconds')
    .min(jobLeaseTtlMsMin, `expected ${jobLeaseTtlMsMin} to ${jobLeaseTtlMsMax} ms`)
    .max(jobLeaseTtlMsMax, `expected ${jobLeaseTtlMsMin} to ${jobLeaseTtlMsMax} ms`).default(15_000),
  ROLL_PATH: z.string().min(1).optional(),
  BILLS_FEED: z.string().min(1).optional(),
  SAMPLE_ROLL_VOTERS: z.coerce.number({ error: 'expected a whole number' }).int().min(100, 'expected at least 100')
    .max(5_000_000, 'expected at most 5,000,000').default(20_000),
  SIP_LISTEN: listenHostPort.default('0.0.0.0:5060'),
  SIP_TRUNK: z.string().trim().superRefine((value, context) => {
    try {
      parseTrunk(value);
    } catch (error) {
      context.addIssue({ code: 'custom', message: `${(error as Error).message}; e.g. sip.example.net or 192.0.2.10:5060` });
    }
  }).optional(),
  TELL_ME_ABOUT_TEXT: z.string().trim().min(1, 'expected some text')
    .max(tellMeAboutTextCharactersMax, `expected at most ${tellMeAboutTextCharactersMax} characters`)
    .default(tellMeAboutTextDefault),
  RTP_PORT_MIN: port.default(20_000),
  RTP_PORT_MAX: port.default(20_999),
  MAX_CALLS: z.coerce.number({ error: 'expected a whole number of calls' }).int('expected a whole number of calls')
    .min(1, 'expected at least 1 call').max(100_000, 'expected at most 100,000 calls').default(500),
  STIR_SHAKEN_TRUST_ANCHORS: z.string().min(1, 'expected a file or directory of PEM certificates').optional(),
  STIR_SHAKEN_IAT_WINDOW_S: z.coerce.number({ error: 'expected a whole number of seconds' })
    .int('expected a whole number of seconds').min(10, 'expected at least 10 seconds')
    .max(600, 'expected at most 600 seconds').default(60),
  STIR_SHAKEN_FAILURE_POLICY: failurePolicy,
  STIR_SHAKEN_ABSENT_POLICY: failurePolicy,
  TRUSTED_TRUNKS: z.string().default('').transform(parseTrunkList),
  TRUST_CARRIER_VERSTAT: booleanFlag,
  RATE_LIMIT_CALLS_PER_NUMBER_PER_HOUR: z.coerce.number({ error: 'expected a whole number of calls' })
    .int('expected a whole number of calls').min(1, 'expected at least 1 call')
    .max(10_000, 'expected at most 10,000 calls').default(30),
  RATE_LIMIT_CALLS_PER_SOURCE_PER_MINUTE: z.coerce.number({ error: 'expected a whole number of calls' })
    .int('expected a whole number of calls').min(1, 'expected at least 1 call')
    .max(1_000_000, 'expected at most 1,000,000 calls').default(600),
  TELEPHONY: z.string().trim().toLowerCase().default('embedded')
    .pipe(z.enum(['embedded', 'drachtio'], { error: 'expected embedded (built-in SIP endpoint) or drachtio (drachtio-server + FreeSWITCH)' })),
  DRACHTIO_HOST: z.string().trim().regex(/^[A-Za-z0-9.:-]+$/, 'expected a host name or IP address').default('127.0.0.1'),
  DRACHTIO_PORT: z.coerce.number({ error: 'expected a port number' }).int('expected a whole number')
    .min(1, 'expected a port from 1 to 65535').max(65535, 'expected a port from 1 to 65535').default(9022),
  DRACHTIO_SECRET: z.string().min(1).optional(),
  FREESWITCH_ESL: hostPort.default('127.0.0.1:8021'),
  FREESWITCH_ESL_PASSWORD: z.string().min(1).default('ClueCon'),
  ESL_LISTEN: listenHostPort.default('0.0.0.0:8085'),
  AUDIO_FORK_LISTEN: listenHostPort.default('0.0.0.0:8086'),
  ESL_ADVERTISED_ADDRESS: z.string().trim().regex(/^[A-Za-z0-9.:-]+$/, 'expected a host name or IP address').optional(),
  MEDIA_DIR: z.string().min(1, 'expected a directory path').optional(),
  ASR_WORKERS: z.string().default('').transform(parseWorkerList),
  WEB_LISTEN: listenHostPort.default('127.0.0.1:8080'),
  WEB_COOKIE_SECURE: z.string().trim().toLowerCase().default('true')
    .pipe(z.enum(['true', 'false'], { error: 'expected true or false' })).transform((value) => value === 'true'),
  SPEECH_ENGINE: z.string().trim().toLowerCase().default('pocketsphinx')
    .pipe(z.enum(speechEngines, { error: `expected one of: ${speechEngines.join(', ')}` })),
  VOSK_MODEL: z.string().min(1, 'expected the directory of a Vosk model').optional(),
  SPEECH_DECODERS_MAX: z.coerce.number({ error: 'expected a whole number of decoders' })
    .int('expected a whole number of decoders').min(1, 'expected at least 1 decoder')
    .max(512, 'expected at most 512 decoders').default(32),
  NAME_WARMUP_CITIES: z.coerce.number({ error: 'expected a whole number of cities' })
    .int('expected a whole number of cities').min(0, 'expected 0 (off) or more cities')
    // At most the city grammar cache's size (cityGrammarsMaxDefault), or the warm-up would evict its own work.
    .max(64, 'expected at most 64 cities (the name grammar cache\'s size)').default(8),
  // The name path's large-roll mode (above wholeRollPass1VotersMax, 100 k) is not fit to offer voters yet.
  NAME_VOICE_VOTERS_MAX: z.coerce.number({ error: 'expected a whole number of voters' })
    .int('expected a whole number of voters').min(0, 'expected 0 (names never by voice) or more voters')
    .default(100_000),
  NAME_AGREEMENT_CHECK: z.string().trim().toLowerCase().default('true')
    .pipe(z.enum(['true', 'false'], { error: 'expected true or false' })).transform((value) => value === 'true'),
  NAME_SHORT_FORMS: z.string().trim().toLowerCase().default('true')
    .pipe(z.enum(['true', 'false'], { error: 'expected true or false' })).transform((value) => value === 'true'),
  // Above NAME_VOICE_VOTERS_MAX: the town as its own answer, then the name among that town's voters.
  NAME_TOWN_FIRST: z.string().trim().toLowerCase().default('false')
    .pipe(z.enum(['true', 'false'], { error: 'expected true or false' })).transform((value) => value === 'true'),
  POCKETSPHINX_MLLR: z.string().trim().min(1, 'expected telephone, off or the path of an mllr_matrix')
    .default('off'),
  POCKETSPHINX_NUMBER_MLLR: z.string().trim().min(1, 'expected telephone, off or the path of an mllr_matrix')
    .default('telephone'),
  POCKETSPHINX_NOISY_MLLR: z.string().trim()
    .min(1, 'expected telephone-noisy, telephone, off or the path of an mllr_matrix').default('telephone-noisy'),
  // dB; under it an answer is on a noisy line (pocketsphinx-settings.ts, noisyLineSnrDbDefault).
  POCKETSPHINX_NOISY_LINE_SNR_DB: z.coerce.number({ error: 'expected a number of dB' })
    .min(0, 'expected 0 (never a noisy line) or more dB').max(noisyLineSnrDbMax, `expected at most ${noisyLineSnrDbMax} dB`)
    .default(noisyLineSnrDbDefault),
  POCKETSPHINX_LATTICE_WAIT_MS: z.coerce.number({ error: 'expected a whole number of milliseconds' })
    .int('expected a whole number of milliseconds').min(0, 'expected 0 (never wait) or more milliseconds')
    .max(latticeWaitMsMax, `expected at most ${latticeWaitMsMax} ms`).default(latticeWaitMsDefault),
  POCKETSPHINX_DECODING: z.string().trim().toLowerCase().default(decodingDefault)
    .pipe(z.enum(pocketsphinxDecodings, { error: `expected ${pocketsphinxDecodings.join(' or ')}` })),
  // dB under the active speech, or off (pocketsphinx-settings.ts, noiseFloorBelowSpeechDbDefault).
  POCKETSPHINX_NOISE_FLOOR_DB: z.string().trim().toLowerCase().default(String(noiseFloorBelowSpeechDbDefault ?? 'off'))
    .transform((value, context) => {
      const db = noiseFloorDbOf(value);
      if (db === undefined) {
        context.addIssue({ code: 'custom',
          message: `expected off or a number of dB above 0 and at most ${noiseFloorBelowSpeechDbMax}` });
        return z.NEVER;
      }
      return db;
    }),
  // Decode an answer taken whole once the caller has been quiet for half the hangover, while a decoder is idle
  // (whole-utterance-session.ts): true (the default) or false.
  POCKETSPHINX_EARLY_DECODE: z.string().trim().toLowerCase().default('true')
    .pipe(z.enum(['true', 'false'], { error: 'expected true or false' })).transform((value) => value === 'true'),
  // While more calls are heard than this, decode calls that may lag run only while fewer than this many run
  // (decode-throttle.ts): cores (the default), a number, or off.
  POCKETSPHINX_BACKGROUND_DECODES: z.string().trim().toLowerCase().default('cores')
    .transform((value, context) => {
      if (value === 'off') return null;
      if (value === 'cores') return backgroundDecodesDefault;
      const decodes = Number(value);
      if (!/^\d+$/.test(value) || decodes < 1 || decodes > backgroundDecodesLimit) {
        context.addIssue({ code: 'custom',
          message: `expected cores, off or a whole number of decodes from 1 to ${backgroundDecodesLimit}` });
        return z.NEVER;
      }
      return decodes;
    }),
  LOG_LEVEL: z.string().trim().toLowerCase().default('info')
    .pipe(z.enum(logLevels, { error: `expected one of: ${logLevels.join(', ')}` })),
}).superRefine((config, context) => {
  if (config.REDIS_URL !== undefined && config.REDIS_SOCKET !== undefined) {
    context.addIssue({ code: 'custom', path: ['REDIS_SOCKET'], message: 'set REDIS_URL or REDIS_SOCKET, not both' });
  }
  const modes = [config.REDIS_URL !== undefined || config.REDIS_SOCKET !== undefined, config.REDIS_SENTINELS.length > 0,
    config.REDIS_CLUSTER_NODES.length > 0].filter(Boolean).length;
  if (modes > 1) {
    context.addIssue({ code: 'custom', path: [config.REDIS_CLUSTER_NODES.length > 0 ? 'REDIS_CLUSTER_NODES' : 'REDIS_SENTINELS'],
      message: 'set one of REDIS_URL/REDIS_SOCKET, REDIS_SENTINELS or REDIS_CLUSTER_NODES' });
  }
  if (config.TRUST_CARRIER_VERSTAT && config.TRUSTED_TRUNKS.length === 0) {
    context.addIssue({ code: 'custom', path: ['TRUST_CARRIER_VERSTAT'],
      message: 'set TRUSTED_TRUNKS too: a verstat is trusted only from listed carrier trunks' });
  }
  if (config.TELEPHONY === 'drachtio' && config.DRACHTIO_SECRET === undefined) {
    context.addIssue({ code: 'custom', path: ['DRACHTIO_SECRET'], message: 'required with TELEPHONY=drachtio (the secret in drachtio.conf.xml)' });
  }
  if (config.RTP_PORT_MIN >= config.RTP_PORT_MAX) {
    context.addIssue({ code: 'custom', path: ['RTP_PORT_MAX'], message: 'must be greater than RTP_PORT_MIN' });
  }
});

export interface Config {
  stateOrProvince: StateOrProvince;
  jurisdiction: string;
  votingDistrict: string | null;
  sovereignPhones: readonly string[];
  dataDir: string;
  auditLogPath: string;
  auditLogJsonPath: string;
  activationsToReward: number;
  /** Largest single payment or mint, in cents. */
  moneyAmountMaxCents: number;
  /** Demurrage charged per period, in basis points (1/100 of a percent) of each balance. */
  demurrageRateBasisPoints: number;
  demurragePeriod: 'day' | 'week' | 'month';
  /** Text-message receipts: the provider's webhook, or a file of JSON lines for local runs (or neither). */
  smsWebhookUrl: string | null;
  smsOutboxFile: string | null;
  redis: { kind: 'url'; url: string } | { kind: 'socket'; path: string } | { kind: 'embedded'; dir: string }
    | { kind: 'sentinel'; sentinels: RedisNode[]; masterName: string } | { kind: 'cluster'; nodes: RedisNode[] };
  /** After each acknowledged commit, WAIT for this many replicas (0: do not wait); see README "Beyond one machine". */
  redisWaitReplicas: number;
  redisWaitTimeoutMs: number;
  /** Lease of a singleton job (demurrage, roll import): a holder that stops renewing loses it after this. */
  jobLeaseTtlMs: number;
  rollPath: string | null;
  /** House "Bills This Week" feed: file path or URL, imported at start. */
  billsFeed: string | null;
  sampleRollVoters: number;
  sipListen: string;
  /** host:port of the SIP trunk for calls we place (call-back); null: no outbound calls. */
  sipTrunk: string | null;
  /** What "tell me about" says (SPEC §6). */
  tellMeAboutText: string;
  rtpPortMin: number;
  rtpPortMax: number;
  /** Most calls one app process carries at once; more are refused with 503 + Retry-After. */
  maxCalls: number;
  stirShakenTrustAnchors: string | null;
  /** How old a PASSporT's iat may be (RFC 8224 §6.2.1 suggests 60 s). */
  stirShakenIatWindowSeconds: number;
  /** A failed verification: continue at lower trust, or refuse with the RFC 8224 response. */
  stirShakenFailurePolicy: 'continue' | 'reject';
  /** A call without Identity: continue, or refuse with 428. */
  stirShakenAbsentPolicy: 'continue' | 'reject';
  /** Carrier trunk addresses (IPs / CIDR blocks) whose verstat may count as attestation A. */
  trustedTrunks: readonly string[];
  trustCarrierVerstat: boolean;
  rateLimitCallsPerNumberPerHour: number;
  /** Per source address: for carrier traffic that is the whole trunk, so the default is generous. */
  rateLimitCallsPerSourcePerMinute: number;
  webListen: string;
  /** Which telephone front door `serve` runs: the embedded SIP endpoint, or drachtio-server + FreeSWITCH. */
  telephony: 'embedded' | 'drachtio';
  drachtio: { host: string; port: number; secret: string | null };
  /** FreeSWITCH event socket (inbound ESL) and where its outbound socket connections reach us. */
  freeswitchEsl: { address: string; password: string };
  eslListen: string;
  eslAdvertisedAddress: string | null;
  /** Where FreeSWITCH's mod_audio_fork websocket reaches us (the caller's audio, for speech). */
  audioForkListen: string;
  /** Prompts as WAV files, shared with FreeSWITCH (drachtio telephony). */
  mediaDir: string;
  /** gRPC speech workers; empty: recognize in-process. */
  asrWorkers: readonly string[];
  /** Secure flag on web cookies; false only for plain-http deployments reached by other hosts than localhost. */
  webCookieSecure: boolean;
  /** Speech recognizer (issue 4); vosk falls back to pocketsphinx when its model is missing. */
  speechEngine: (typeof speechEngines)[number];
  voskModel: string | null;
  /** Most concurrent utterances decoded at once (one decoder each). */
  speechDecodersMax: number;
  /** Largest cities whose name grammars `serve` builds at start (after the name directory); 0: on first use. */
  nameWarmupCities: number;
  /** Rolls of more voters than this are not named by voice: phone number or keypad spelling instead. */
  nameVoiceVotersMax: number;
  /** Offer a spoken name's voter only when the fallback finder heard its city or surname too (cityAgreementDefault). */
  nameAgreementCheck: boolean;
  /** Hear a first name's short forms ("bill" for William) by a second decode when unsure (shortFormRetryBelow). */
  nameShortForms: boolean;
  /** On a roll above nameVoiceVotersMax: ask the town, then the name within it, by voice (pick-voter.ts). */
  nameTownFirst: boolean;
  /** pocketsphinx MLLR channel adaptation: `telephone` (models/telephone-mllr), `off`, or an mllr_matrix path. */
  pocketsphinxMllr: string;
  /** The same for amounts, digit strings, spelled surnames and commands (context-mllr.ts): `telephone` by default. */
  pocketsphinxNumberMllr: string;
  pocketsphinxNoisyMllr: string;
  pocketsphinxNoisyLineSnrDb: number;
  /** How long an N-best answer waits for the word lattice before it goes out as the best reading alone. */
  pocketsphinxLatticeWaitMs: number;
  /** utterance: each utterance decoded at its end with its own cepstral mean; streaming: as it arrives. */
  pocketsphinxDecoding: (typeof pocketsphinxDecodings)[number];
  /** dB the noise floor lies under the caller's speech; null: none. */
  pocketsphinxNoiseFloorDb: number | null;
  /**
   * While more calls than this are heard, decode calls that may lag run only while fewer than this many run
   * (decode-throttle.ts); null: no limit.
   */
  pocketsphinxBackgroundDecodes: number | null;
  /** Decode an answer taken whole before its hangover ends, while a decoder is idle. */
  pocketsphinxEarlyDecode: boolean;
  logLevel: (typeof logLevels)[number];
}

/** Every environment variable the configuration reads (the deployment files' settings are checked against it). */
export const settingNames: readonly string[] = Object.keys(schema.shape);

export interface RedisNode {
  host: string;
  port: number;
}

export type Environment = Record<string, string | undefined>;

/** Values from `.env` fill in what the environment does not set; the environment wins. */
export function readEnvironment(env: Environment = process.env, dotenvPath = '.env'): Environment {
  const fromFile = existsSync(dotenvPath) ? parseDotenv(readFileSync(dotenvPath)) : {};
  const merged: Environment = { ...fromFile };
  for (const [name, value] of Object.entries(env)) if (value !== undefined) merged[name] = value;
  // An empty value means "unset" for the optional variables, as in most .env conventions.
  for (const [name, value] of Object.entries(merged)) if (value === '') delete merged[name];
  return merged;
}

export function loadConfig(env: Environment = readEnvironment()): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? 'configuration'), message: issue.message,
    })));
  }
  const value = parsed.data;
  const dataDir = resolve(value.DATA_DIR);
  const auditLogPath = resolve(value.AUDIT_LOG ?? `${dataDir}/audit_log.txt`);
  return {
    stateOrProvince: value.STATE_OR_PROVINCE,
    jurisdiction: jurisdictionCodes[value.STATE_OR_PROVINCE],
    votingDistrict: value.VOTING_DISTRICT ?? null,
    sovereignPhones: value.SOVEREIGN_PHONES,
    dataDir,
    auditLogPath,
    auditLogJsonPath: auditLogPath.replace(/(\.txt)?$/, '.jsonl'),
    activationsToReward: value.NUMBER_OF_ACTIVATIONS_TO_REWARD,
    moneyAmountMaxCents: value.MONEY_AMOUNT_MAX_CENTS,
    demurrageRateBasisPoints: value.DEMURRAGE_RATE_BASIS_POINTS,
    demurragePeriod: value.DEMURRAGE_PERIOD,
    smsWebhookUrl: value.SMS_WEBHOOK_URL ?? null,
    smsOutboxFile: value.SMS_OUTBOX_FILE === undefined ? null : resolve(value.SMS_OUTBOX_FILE),
    redis: value.REDIS_URL !== undefined ? { kind: 'url', url: value.REDIS_URL }
      : value.REDIS_SOCKET !== undefined ? { kind: 'socket', path: value.REDIS_SOCKET }
        : value.REDIS_SENTINELS.length > 0
          ? { kind: 'sentinel', sentinels: value.REDIS_SENTINELS, masterName: value.REDIS_SENTINEL_MASTER }
          : value.REDIS_CLUSTER_NODES.length > 0 ? { kind: 'cluster', nodes: value.REDIS_CLUSTER_NODES }
            : { kind: 'embedded', dir: resolve(dataDir, 'redis') },
    redisWaitReplicas: value.REDIS_WAIT_REPLICAS,
    redisWaitTimeoutMs: value.REDIS_WAIT_TIMEOUT_MS,
    jobLeaseTtlMs: value.JOB_LEASE_TTL_MS,
    rollPath: value.ROLL_PATH === undefined ? null : resolve(value.ROLL_PATH),
    billsFeed: value.BILLS_FEED ?? null,
    sampleRollVoters: value.SAMPLE_ROLL_VOTERS,
    sipListen: value.SIP_LISTEN,
    sipTrunk: value.SIP_TRUNK ?? null,
    tellMeAboutText: value.TELL_ME_ABOUT_TEXT,
    rtpPortMin: value.RTP_PORT_MIN,
    rtpPortMax: value.RTP_PORT_MAX,
    maxCalls: value.MAX_CALLS,
    stirShakenTrustAnchors: value.STIR_SHAKEN_TRUST_ANCHORS ?? null,
    stirShakenIatWindowSeconds: value.STIR_SHAKEN_IAT_WINDOW_S,
    stirShakenFailurePolicy: value.STIR_SHAKEN_FAILURE_POLICY,
    stirShakenAbsentPolicy: value.STIR_SHAKEN_ABSENT_POLICY,
    trustedTrunks: value.TRUSTED_TRUNKS,
    trustCarrierVerstat: value.TRUST_CARRIER_VERSTAT,
    rateLimitCallsPerNumberPerHour: value.RATE_LIMIT_CALLS_PER_NUMBER_PER_HOUR,
    rateLimitCallsPerSourcePerMinute: value.RATE_LIMIT_CALLS_PER_SOURCE_PER_MINUTE,
    webListen: value.WEB_LISTEN,
    telephony: value.TELEPHONY,
    drachtio: { host: value.DRACHTIO_HOST, port: value.DRACHTIO_PORT, secret: value.DRACHTIO_SECRET ?? null },
    freeswitchEsl: { address: value.FREESWITCH_ESL, password: value.FREESWITCH_ESL_PASSWORD },
    eslListen: value.ESL_LISTEN,
    eslAdvertisedAddress: value.ESL_ADVERTISED_ADDRESS ?? null,
    audioForkListen: value.AUDIO_FORK_LISTEN,
    mediaDir: resolve(value.MEDIA_DIR ?? `${dataDir}/media`),
    asrWorkers: value.ASR_WORKERS,
    webCookieSecure: value.WEB_COOKIE_SECURE,
    speechEngine: value.SPEECH_ENGINE,
    voskModel: value.VOSK_MODEL === undefined ? null : resolve(value.VOSK_MODEL),
    speechDecodersMax: value.SPEECH_DECODERS_MAX,
    nameWarmupCities: value.NAME_WARMUP_CITIES,
    nameAgreementCheck: value.NAME_AGREEMENT_CHECK,
    nameShortForms: value.NAME_SHORT_FORMS,
    nameTownFirst: value.NAME_TOWN_FIRST,
    nameVoiceVotersMax: value.NAME_VOICE_VOTERS_MAX,
    pocketsphinxMllr: value.POCKETSPHINX_MLLR,
    pocketsphinxNumberMllr: value.POCKETSPHINX_NUMBER_MLLR,
    pocketsphinxNoisyMllr: value.POCKETSPHINX_NOISY_MLLR,
    pocketsphinxNoisyLineSnrDb: value.POCKETSPHINX_NOISY_LINE_SNR_DB,
    pocketsphinxLatticeWaitMs: value.POCKETSPHINX_LATTICE_WAIT_MS,
    pocketsphinxDecoding: value.POCKETSPHINX_DECODING,
    pocketsphinxNoiseFloorDb: value.POCKETSPHINX_NOISE_FLOOR_DB,
    pocketsphinxBackgroundDecodes: value.POCKETSPHINX_BACKGROUND_DECODES,
    pocketsphinxEarlyDecode: value.POCKETSPHINX_EARLY_DECODE,
    logLevel: value.LOG_LEVEL,
  };
}
