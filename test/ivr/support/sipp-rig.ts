// What the sipp dialog suites share: a real redis-server, a temp data dir, the app context with a
// small roll (and this week's bills) imported, and the phone line (the real SIP endpoint on an
// ephemeral port, loopback as a trusted trunk with carrier verstat). Each suite keeps its own callers,
// scenarios and assertions; this only starts and stops the parts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, type AppContext } from '../../../src/app/context.js';
import { importRollFile } from '../../../src/app/roll-import-service.js';
import { loadConfig } from '../../../src/config/config.js';
import { createLogger } from '../../../src/config/logger.js';
import type { Bill } from '../../../src/core/bill.js';
import { PhoneLine, type PhoneLineOptions } from '../../../src/ivr/phone-line.js';
import { quietLogger } from '../../telephony/support/endpoint.js';
import { writeIowaZip, type HandVoter } from '../../support/iowa-zip.js';
import { startTestRedis, type TestRedis } from '../../support/redis.js';

export type RigDialog = NonNullable<PhoneLineOptions['dialog']>;

export interface SippRigOptions {
  /** Prefix of the temp data dir. */
  readonly name: string;
  /** First of 100 RTP ports; suites offset it by pid so parallel runs do not collide. */
  readonly rtpPortMin: number;
  /** More configuration (environment names), e.g. SOVEREIGN_PHONES. */
  readonly env?: Readonly<Record<string, string>>;
  readonly voters: readonly HandVoter[];
  readonly bills?: readonly Bill[];
  /** Runs once the roll and bills are in, before the line starts; returns more dialog options (a recognizer). */
  readonly prepare?: (context: AppContext, dir: string) => Promise<Partial<RigDialog> | undefined>;
  readonly dialog: RigDialog;
  readonly onDialogEnd: NonNullable<PhoneLineOptions['onDialogEnd']>;
}

export interface SippRig {
  readonly redis: TestRedis;
  readonly dir: string;
  readonly context: AppContext;
  readonly line: PhoneLine;
  /** Stops the line, then runs `afterLine` (close a recognizer), then closes the context and redis. */
  stop(afterLine?: () => Promise<void>): Promise<void>;
}

export async function startSippRig(options: SippRigOptions): Promise<SippRig> {
  const redis = await startTestRedis();
  const dir = mkdtempSync(join(tmpdir(), options.name));
  const config = loadConfig({
    REDIS_SOCKET: redis.server.socketPath, DATA_DIR: dir, TRUSTED_TRUNKS: '127.0.0.1', TRUST_CARRIER_VERSTAT: 'true',
    SIP_LISTEN: '127.0.0.1:0', RTP_PORT_MIN: String(options.rtpPortMin), RTP_PORT_MAX: String(options.rtpPortMin + 99),
    ...options.env,
  });
  const context = await createContext(config, createLogger('silent'));
  await writeIowaZip(join(dir, 'roll.zip'), [...options.voters]);
  await importRollFile(context, join(dir, 'roll.zip'));
  if (options.bills !== undefined) await context.democracy.addBills([...options.bills], 'import');
  const more = await options.prepare?.(context, dir);
  const line = new PhoneLine({
    context, logger: quietLogger(),
    endpoint: { timers: { t1Ms: 100, t2Ms: 400, t4Ms: 500 } },
    dialog: { ...options.dialog, ...more },
    onDialogEnd: options.onDialogEnd,
  });
  await line.start();
  return {
    redis, dir, context, line,
    async stop(afterLine?: () => Promise<void>): Promise<void> {
      await line.stop();
      await afterLine?.();
      await context.close();
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
