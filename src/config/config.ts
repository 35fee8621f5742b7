// Configuration from the environment and `.env` (SPEC §10), validated once at start-up.
// An invalid value stops start-up with a message that names the variable and what was expected.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';
import { normalizePhone } from './phone.js';

export const jurisdictionCodes = { iowa: 'ia' } as const;
export type StateOrProvince = keyof typeof jurisdictionCodes;
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: ReadonlyArray<{ variable: string; message: string }>) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
  }
}

const hostPort = z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:5060')
  .refine((value) => { const port = Number(value.slice(value.lastIndexOf(':') + 1)); return port > 0 && port < 65536; },
    'port must be 1-65535');

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
  REDIS_URL: z.string().regex(/^rediss?:\/\/.+/, 'expected redis://host:port[/db] or rediss://…').optional(),
  REDIS_SOCKET: z.string().min(1, 'expected a unix socket path').optional(),
  ROLL_PATH: z.string().min(1).optional(),
  SAMPLE_ROLL_VOTERS: z.coerce.number({ error: 'expected a whole number' }).int().min(100, 'expected at least 100')
    .max(5_000_000, 'expected at most 5,000,000').default(20_000),
  SIP_LISTEN: hostPort.default('0.0.0.0:5060'),
  RTP_PORT_MIN: port.default(20_000),
  RTP_PORT_MAX: port.default(20_999),
  STIR_SHAKEN_TRUST_ANCHORS: z.string().min(1, 'expected a file or directory of PEM certificates').optional(),
  WEB_LISTEN: hostPort.default('127.0.0.1:8080'),
  LOG_LEVEL: z.string().trim().toLowerCase().default('info')
    .pipe(z.enum(logLevels, { error: `expected one of: ${logLevels.join(', ')}` })),
}).superRefine((config, context) => {
  if (config.REDIS_URL !== undefined && config.REDIS_SOCKET !== undefined) {
    context.addIssue({ code: 'custom', path: ['REDIS_SOCKET'], message: 'set REDIS_URL or REDIS_SOCKET, not both' });
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
  redis: { kind: 'url'; url: string } | { kind: 'socket'; path: string } | { kind: 'embedded'; dir: string };
  rollPath: string | null;
  sampleRollVoters: number;
  sipListen: string;
  rtpPortMin: number;
  rtpPortMax: number;
  stirShakenTrustAnchors: string | null;
  webListen: string;
  logLevel: (typeof logLevels)[number];
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
    redis: value.REDIS_URL !== undefined ? { kind: 'url', url: value.REDIS_URL }
      : value.REDIS_SOCKET !== undefined ? { kind: 'socket', path: value.REDIS_SOCKET }
        : { kind: 'embedded', dir: resolve(dataDir, 'redis') },
    rollPath: value.ROLL_PATH === undefined ? null : resolve(value.ROLL_PATH),
    sampleRollVoters: value.SAMPLE_ROLL_VOTERS,
    sipListen: value.SIP_LISTEN,
    rtpPortMin: value.RTP_PORT_MIN,
    rtpPortMax: value.RTP_PORT_MAX,
    stirShakenTrustAnchors: value.STIR_SHAKEN_TRUST_ANCHORS ?? null,
    webListen: value.WEB_LISTEN,
    logLevel: value.LOG_LEVEL,
  };
}
