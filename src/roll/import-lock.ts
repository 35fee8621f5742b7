// One roll import at a time per jurisdiction, across processes and machines (SPEC §11). The lock
// expires on its own, so a process killed with -9 blocks the next import for at most one TTL.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RollStore } from '../store/roll-store.js';
import { RollImportError } from './errors.js';

export const importLockTtlMsDefault = 15_000;
const lockPollIntervalMs = 200;
/** Refresh three times per TTL, so one slow Redis reply does not lose the lock. */
const refreshesPerTtl = 3;

export class ImportLock {
  private lostReason: string | null = null;
  private timer: NodeJS.Timeout | undefined;

  /** `token` is also the fence of every generation write (RollStore.fencedBy). */
  private constructor(private readonly store: RollStore, readonly token: string,
    private readonly ttlMs: number) {}

  static async acquire(store: RollStore, options: { ttlMs: number; waitMs: number }): Promise<ImportLock> {
    assert.ok(options.ttlMs >= 100 && options.waitMs >= 0, 'bad lock timing');
    const token = randomUUID();
    const deadline = Date.now() + options.waitMs;
    while (!(await store.acquireImportLock(token, options.ttlMs))) {
      if (Date.now() >= deadline) {
        throw new RollImportError('import-locked',
          `another roll import is running (its lock expires at most ${options.ttlMs} ms after that import stops)`);
      }
      await sleep(lockPollIntervalMs);
    }
    const lock = new ImportLock(store, token, options.ttlMs);
    lock.startRefreshing();
    return lock;
  }

  private startRefreshing(): void {
    this.timer = setInterval(() => {
      this.store.refreshImportLock(this.token, this.ttlMs).then(
        (held) => { if (!held) this.lostReason ??= 'the import lock expired'; },
        (error: unknown) => { this.lostReason ??= `cannot refresh the import lock: ${String(error)}`; });
    }, Math.floor(this.ttlMs / refreshesPerTtl));
    // The refresh timer alone must not keep a finished CLI process alive.
    this.timer.unref();
  }

  /** Throws once the lock was lost: another import may be writing by now. */
  assertHeld(): void {
    if (this.lostReason !== null) throw new RollImportError('lock-lost', `roll import stopped: ${this.lostReason}`);
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    await this.store.releaseImportLock(this.token);
  }
}
