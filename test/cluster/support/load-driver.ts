// An app process for the multi-host tests, run on a namespace host with the repo's configuration from
// the environment (REDIS_SENTINELS or REDIS_CLUSTER_NODES, REDIS_WAIT_REPLICAS, AUDIT_LOG, …):
//   setup <roll.zip> <voters,…> <cents>  import the roll, add bills hr1–hr3, mint <cents> to each voter
//   load <voters,…> <durationMs> <label>   votes and payments through the app services until the time is up
// Every write the services acknowledged is printed as one JSON line with its audit-log seq, so the
// test can check after a failover that each one is still there. Failures are printed too, never hidden.
// Environment: the app's (REDIS_*, DATA_DIR, AUDIT_LOG, …) and DRIVER_JURISDICTION (below).
import { createContext } from '../../../src/app/context.js';
import { importRollFile } from '../../../src/app/roll-import-service.js';
import { loadConfig, readEnvironment } from '../../../src/config/config.js';
import { createLogger } from '../../../src/config/logger.js';

const publishIntervalMs = 500;
const choices = ['yes', 'no', 'abstain'] as const;
const bills = ['hr1', 'hr2', 'hr3'];

function emit(record: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ ...record, at: Date.now() })}\n`);
}

async function main(): Promise<void> {
  const [mode, ...args] = process.argv.slice(2);
  // DRIVER_JURISDICTION: another hash tag than STATE_OR_PROVINCE's (several jurisdictions on one
  // Cluster in bench/scale.ts); the roll format stays Iowa's, the only one implemented.
  const base = loadConfig(readEnvironment());
  const jurisdiction = process.env.DRIVER_JURISDICTION;
  const config = jurisdiction === undefined ? base : { ...base, jurisdiction };
  const context = await createContext(config, createLogger(process.env.DRIVER_LOG_LEVEL ?? 'warn', 'load-driver'));
  try {
    if (mode === 'setup') {
      const [zip = '', voterList = '', cents = '0'] = args;
      await importRollFile(context, zip);
      await context.democracy.addBills(bills.map((id, i) => ({ id, number: `H.R. ${i + 1}`, title: `Test bill ${i + 1}`, week: '' })), 'cli');
      const minter = await context.callers.byVoterId(voterList.split(',')[0] ?? '', 'cli');
      for (const voter of voterList.split(',')) {
        await context.money.mint(minter, { to: { voter }, amountCents: Number(cents), idempotencyKey: `setup-mint-${voter}` });
      }
      await context.publishLog();
      emit({ setup: 'done' });
    } else if (mode === 'load') {
      const [voterList = '', durationMs = '0', label = 'x'] = args;
      await load(context, voterList.split(','), Number(durationMs), label);
    } else {
      throw new Error(`unknown mode ${String(mode)}`);
    }
  } finally {
    await context.close();
  }
}

async function load(context: Awaited<ReturnType<typeof createContext>>, voters: string[], durationMs: number,
  label: string): Promise<void> {
  // Catch up with the log first (a fresh AUDIT_LOG file gets the whole history), as a server that has
  // been running would have: the timed loop then sees only the steady-state publishing.
  await context.publishLog().catch((error: unknown) => emit({ publishFail: (error as Error).message.slice(0, 200) }));
  const end = Date.now() + durationMs;
  // Publishing runs beside the writes, as in `serve` (src/app/server.ts): one at a time, never awaited
  // by the write loop, so sealing another process's entries does not stall this process's writes.
  let publishing: Promise<void> | null = null;
  const publish = (): void => {
    publishing ??= context.publishLog()
      .then(() => undefined, (error: unknown) => emit({ publishFail: (error as Error).message.slice(0, 200) }))
      .finally(() => { publishing = null; });
  };
  const timer = setInterval(publish, publishIntervalMs);
  for (let i = 0; Date.now() < end; i += 1) {
    const voter = voters[i % voters.length] ?? '';
    const started = Date.now();
    try {
      const caller = await context.callers.byVoterId(voter, 'cli');
      if (i % 2 === 0) {
        const bill = bills[Math.floor(i / voters.length) % bills.length] ?? 'hr1';
        const choice = choices[Math.floor(i / (voters.length * bills.length)) % choices.length] ?? 'yes';
        const result = await context.democracy.vote(caller, bill, choice);
        const entry = result.entries[0];
        if (entry !== undefined) emit({ ack: 'vote', seq: entry.seq, voter, bill, choice, started });
      } else {
        const to = voters[(i + 1) % voters.length] ?? '';
        const key = `load-${label}-${String(i).padStart(6, "0")}`;
        const cents = 1 + (i % 97);
        const result = await context.money.pay(caller, { to: { voter: to }, amountCents: cents, idempotencyKey: key });
        emit({ ack: 'pay', seq: result.entry?.seq ?? null, status: result.status, key, from: voter, to, cents, started });
      }
    } catch (error) {
      emit({ fail: (error as Error).message.slice(0, 200) });
    }
  }
  clearInterval(timer);
  await publishing;
  await context.publishLog().catch((error: unknown) => emit({ publishFail: (error as Error).message.slice(0, 200) }));
  emit({ done: true });
}

main().catch((error: unknown) => {
  process.stderr.write(`load-driver: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
