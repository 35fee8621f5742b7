// Imports a voter roll export and makes it current together with tentative-voter migration and
// the audit-log entry (one atomic switch; see roll-activation.ts).
import { basename } from 'node:path';
import { RollImportError } from '../roll/errors.js';
import { importRoll, type ImportReport } from '../roll/import.js';
import { jurisdictionFor } from '../roll/jurisdictions.js';
import type { Committer } from '../store/commit.js';
import type { AppContext } from './context.js';
import { activateRollGeneration, type ActivationReport } from './roll-activation.js';
import { runSingletonJob } from './singleton-job.js';

const lockWaitMarginMs = 5_000;

export interface RollImportResult {
  report: ImportReport;
  activation: ActivationReport;
}

type ImportOptions = { district?: string | null; onProgress?: (bytesDone: number, bytesTotal: number) => void };

/**
 * Imports under the `roll-import` job lease: the switch commit is fenced by its token, and every write
 * of the new generation by the import lock's token (roll/import.ts), both checked inside the scripts.
 * So an importer that stalled past its lease while another took over can neither write into the roll
 * nor switch it when it wakes up. Both expire after JOB_LEASE_TTL_MS without renewal.
 */
export async function importRollFile(
  context: AppContext, zipPath: string, options: ImportOptions = {},
): Promise<RollImportResult> {
  const ttlMs = context.config.jobLeaseTtlMs;
  const outcome = await runSingletonJob(
    { redis: context.connection.redis, keys: context.keys, committer: context.committer, logger: context.logger },
    'roll-import', { ttlMs, waitMs: ttlMs + lockWaitMarginMs },
    (fenced) => importUnderLease(context, fenced, zipPath, options));
  if (!outcome.ran) {
    throw new RollImportError('import-locked', `another roll import is running (its lease expires at most ${ttlMs} ms `
      + 'after that import stops)');
  }
  return outcome.value;
}

async function importUnderLease(
  context: AppContext, committer: Committer, zipPath: string, options: ImportOptions,
): Promise<RollImportResult> {
  let activation: ActivationReport = { migrated: 0, ambiguous: 0 };
  const district = options.district ?? context.config.votingDistrict;
  const report = await importRoll({
    redis: context.connection.redis,
    // The roll's keys carry the context's hash tag, the same keys the app reads it from.
    jurisdiction: { ...jurisdictionFor(context.config.stateOrProvince), code: context.config.jurisdiction },
    zipPath,
    ...(district === null ? {} : { district }),
    logger: context.logger,
    // An import killed mid-way holds the lock until its TTL runs out; wait for that instead of failing.
    lockTtlMs: context.config.jobLeaseTtlMs,
    lockWaitMs: context.config.jobLeaseTtlMs + lockWaitMarginMs,
    onProgress: (_rows, bytesDone, bytesTotal) => options.onProgress?.(bytesDone, bytesTotal),
    activate: async (generation, previous) => {
      activation = await activateRollGeneration({
        keys: context.keys, committer, store: context.store, roll: context.roll,
        generation, previous, voters: await context.roll.count(generation), source: basename(zipPath),
        activationsToReward: context.config.activationsToReward,
      });
    },
  });
  await context.publishLog();
  return { report, activation };
}
