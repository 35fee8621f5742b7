// Demurrage as a singleton job: any number of app processes tick the timer, and the one holding the
// `demurrage` lease runs the period with every commit fenced by the lease token. The run itself is
// idempotent per period (demurrage-service.ts), so a second holder later finds it done.
import type { AppContext } from './context.js';
import { DemurrageService, type DemurrageReport } from './demurrage-service.js';
import { runSingletonJob, type JobOptions } from './singleton-job.js';

export const demurrageJobName = 'demurrage';

export class DemurrageJob {
  constructor(private readonly context: AppContext, private readonly options: JobOptions = {}) {}

  currentPeriod(nowMs: number): string {
    return DemurrageService.fromContext(this.context).currentPeriod(nowMs);
  }

  /** The period's report, or null when another process holds the lease (and is running it). */
  async run(period: string): Promise<DemurrageReport | null> {
    const { context } = this;
    const outcome = await runSingletonJob(
      { redis: context.connection.redis, keys: context.keys, committer: context.committer, logger: context.logger },
      demurrageJobName, { ttlMs: context.config.jobLeaseTtlMs, ...this.options },
      (fenced) => DemurrageService.fromContext(context, fenced).run(period));
    return outcome.ran ? outcome.value : null;
  }
}
