// Wires the adapters around the core for one process: configuration, logger, Redis, stores,
// services. The CLI and the server both start here, so they behave the same.
import type { Config } from '../config/config.js';
import type { Logger } from '../config/logger.js';
import { AuditLog } from '../store/audit-log.js';
import { migrateLegacyClaims } from '../store/claim-migration.js';
import { Committer } from '../store/commit.js';
import { confirmReplicated } from '../store/durability.js';
import { connectRedis, type RedisConnection } from '../store/connect.js';
import { DemocracyStore } from '../store/democracy-store.js';
import { jurisdictionKeys, type JurisdictionKeys } from '../store/keys.js';
import { publishLogFiles } from '../store/log-files.js';
import { RollStore } from '../store/roll-store.js';
import { CallerDirectory } from './caller-directory.js';
import { DemocracyService } from './democracy-service.js';
import { LedgerStore } from '../store/ledger-store.js';
import { ActivationRewards, MoneyService } from './money-service.js';
import { SmsOutbox } from './sms-outbox.js';

export interface AppContext {
  config: Config;
  logger: Logger;
  connection: RedisConnection;
  keys: JurisdictionKeys;
  roll: RollStore;
  store: DemocracyStore;
  committer: Committer;
  auditLog: AuditLog;
  democracy: DemocracyService;
  callers: CallerDirectory;
  ledger: LedgerStore;
  money: MoneyService;
  sms: SmsOutbox;
  /** Seals new audit-log entries and appends them to the public files. */
  publishLog(): Promise<number>;
  close(): Promise<void>;
}

export async function createContext(config: Config, logger: Logger): Promise<AppContext> {
  const connection = await connectRedis(config, logger);
  const { redis } = connection;
  const keys = jurisdictionKeys(config.jurisdiction);
  const roll = new RollStore(redis, keys);
  const store = new DemocracyStore(redis, keys);
  const durability = { replicas: config.redisWaitReplicas, timeoutMs: config.redisWaitTimeoutMs };
  const committer = new Committer(redis, keys, durability);
  // Before any commit: a payment retried across the upgrade must find its claim where it now lives.
  const claimsMoved = await migrateLegacyClaims(redis, keys, committer.claims);
  if (claimsMoved > 0) logger.info({ claimsMoved }, 'moved idempotency claims from keys into claim buckets');
  const auditLog = new AuditLog(redis, keys);
  const ledger = new LedgerStore(redis, keys);
  const sms = new SmsOutbox(redis, keys);
  const paths = { textPath: config.auditLogPath, jsonPath: config.auditLogJsonPath };
  return {
    config, logger, connection, keys, roll, store, committer, auditLog,
    democracy: new DemocracyService(store, roll, committer, new ActivationRewards(ledger, config.activationsToReward)),
    callers: new CallerDirectory(roll, store, committer, config.sovereignPhones),
    ledger,
    money: new MoneyService(ledger, committer, roll, store, { amountMaxCents: config.moneyAmountMaxCents }, sms),
    sms,
    async publishLog(): Promise<number> {
      await auditLog.sealAll();
      if (durability.replicas > 0) {
        // Publish only what the replicas hold: a barrier write of our own, then WAIT, covers every
        // entry and hash before it (replication is one ordered stream), so a failover cannot take
        // back a published entry and fork the public chain.
        await redis.incr(keys.key('log', 'publish-barrier'));
        await confirmReplicated(redis, keys.key('log', 'publish-barrier'), durability);
      }
      return publishLogFiles(auditLog, paths);
    },
    async close(): Promise<void> {
      await connection.close();
    },
  };
}
