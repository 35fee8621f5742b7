// A mocha root-hook plugin (.mocharc.json "require") that ends a test run whose event loop stopped.
// Mocha's per-test timeouts are timers: when native code blocks the main thread (a deadlock inside a
// library called through koffi), no timer fires and a CI run sits silent until its own limit. A worker
// thread, which still runs, watches a heartbeat the main thread beats; when it stalls for
// LOOP_WATCHDOG_SECONDS it prints the test that was running and every thread's native stack (gdb, when the
// machine has it), and kills the process so the run fails at once, saying where.
import { Worker } from 'node:worker_threads';

const stallSeconds = Number(process.env.LOOP_WATCHDOG_SECONDS ?? 300);
if (!Number.isFinite(stallSeconds) || stallSeconds <= 0) {
  throw new Error(`LOOP_WATCHDOG_SECONDS must be a positive number of seconds, not ${process.env.LOOP_WATCHDOG_SECONDS}`);
}

const titleBytes = 1024;
/** [0] heartbeat count, [1] title length; then the running test's title as UTF-8. */
const shared = new SharedArrayBuffer(8 + titleBytes);
const counters = new Int32Array(shared, 0, 2);
const title = new Uint8Array(shared, 8, titleBytes);

const beat = setInterval(() => { Atomics.add(counters, 0, 1); }, 1000);
beat.unref();

// The worker's code is its own small script: it needs nothing from the test build.
const watcher = new Worker(`
  const { workerData } = require('node:worker_threads');
  const { writeSync } = require('node:fs');
  const { spawnSync } = require('node:child_process');
  const counters = new Int32Array(workerData.shared, 0, 2);
  const title = new Uint8Array(workerData.shared, 8, workerData.titleBytes);
  let last = Atomics.load(counters, 0);
  let stalledSince = Date.now();
  setInterval(() => {
    const now = Atomics.load(counters, 0);
    if (now !== last) { last = now; stalledSince = Date.now(); return; }
    const stalled = (Date.now() - stalledSince) / 1000;
    if (stalled < workerData.stallSeconds) return;
    const running = Buffer.from(title.slice(0, Atomics.load(counters, 1))).toString('utf8');
    writeSync(2, '\\nloop watchdog: the event loop has not run for ' + Math.round(stalled) + ' s, in the test "'
      + running + '": native code is blocking the main thread. Native stacks follow (when gdb is installed);'
      + ' then the run is killed.\\n');
    const gdb = spawnSync('gdb', ['-batch', '-p', String(process.pid), '-ex', 'thread apply all bt 30'],
      { encoding: 'utf8', timeout: 60000 });
    if (gdb.error === undefined) writeSync(2, gdb.stdout + gdb.stderr);
    else writeSync(2, 'loop watchdog: no native stacks (' + gdb.error.message + ')\\n');
    process.kill(process.pid, 'SIGKILL');
  }, 5000);
`, { eval: true, workerData: { shared, titleBytes, stallSeconds } });
watcher.unref();

export const mochaHooks = {
  beforeEach(this: Mocha.Context): void {
    const encoded = new TextEncoder().encode(this.currentTest?.fullTitle() ?? '(between tests)').slice(0, titleBytes);
    title.set(encoded);
    Atomics.store(counters, 1, encoded.length);
  },
};
