// A running web server for tests: its own redis-server, a generated sample roll, two bills, and a
// seeded random set of delegations and votes made through the real use cases (channel "cli"),
// then the web server on 127.0.0.1 port 0. Also the roll's phones, for the privacy crawl.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, type AppContext } from '../../../src/app/context.js';
import { importRollFile } from '../../../src/app/roll-import-service.js';
import { loadConfig, type Environment } from '../../../src/config/config.js';
import { createLogger } from '../../../src/config/logger.js';
import type { RegisteredVoter } from '../../../src/core/voter.js';
import { generateRoll } from '../../../src/roll/generate.js';
import { jurisdictionFor } from '../../../src/roll/jurisdictions.js';
import { Prng } from '../../../src/roll/prng.js';
import { startWebServer, type RunningWeb } from '../../../src/web/web-server.js';
import { startTestRedis, type TestRedis } from '../../support/redis.js';

export const fixtureBills = [
  { id: 'hr1234', number: 'H.R. 1234', title: 'Test Act', week: '2026-11-23' },
  { id: 'hr99', number: 'H.R. 99', title: 'Older Act', week: '2026-11-16' },
];

export interface WebFixture {
  redis: TestRedis;
  dir: string;
  context: AppContext;
  web: RunningWeb;
  voters: RegisteredVoter[];
  stop(): Promise<void>;
}

export async function startWebFixture(
  options: { voters: number; actions: number; env?: Environment },
): Promise<WebFixture> {
  const redis = await startTestRedis();
  const dir = mkdtempSync(join(tmpdir(), 'dn-web-'));
  const config = loadConfig({ REDIS_SOCKET: redis.server.socketPath, DATA_DIR: dir, ...options.env });
  const context = await createContext(config, createLogger('silent'));
  const rollPath = join(dir, 'roll.zip');
  await generateRoll({ seed: 11, voters: options.voters, outputPath: rollPath, jurisdiction: jurisdictionFor('iowa') });
  await importRollFile(context, rollPath);
  await context.democracy.addBills(fixtureBills, 'import');
  const voters: RegisteredVoter[] = [];
  for await (const batch of context.roll.scanVoters()) voters.push(...batch);
  voters.sort((a, b) => a.id.localeCompare(b.id));
  const prng = new Prng(5);
  const pick = (): RegisteredVoter => voters[prng.int(voters.length)] as RegisteredVoter;
  for (let index = 0; index < options.actions; index += 1) {
    const caller = context.callers.registeredCaller(pick(), true, 'cli');
    const roll = prng.int(10);
    if (roll < 5) {
      const delegate = pick();
      if (delegate.id !== caller.voterId) await context.democracy.delegate(caller, delegate.id);
    } else if (roll < 6) {
      const delegate = pick();
      if (delegate.id !== caller.voterId) await context.democracy.delegate(caller, delegate.id, { bill: 'hr1234' });
    } else {
      const bill = fixtureBills[prng.int(2)]?.id ?? 'hr1234';
      await context.democracy.vote(caller, bill, (['yes', 'no', 'abstain'] as const)[prng.int(3)] ?? 'yes');
    }
  }
  await context.auditLog.sealAll();
  const web = await startWebServer(context, '127.0.0.1:0', { cookieSecure: true, verifyCacheMs: 0 });
  return {
    redis, dir, context, web, voters,
    async stop(): Promise<void> {
      await web.close();
      await context.close();
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
