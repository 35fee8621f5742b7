// Where pocketsphinx's time goes under concurrency: every call of the loaded library (library.ts) is
// timed, the synchronous ones (they hold the event loop, so every call's audio waits) apart from the
// asynchronous ones (a libuv pool thread each; their wall time includes waiting for a free thread).
// The library object is the process's one instance, so wrapping its methods times what the recognizer
// calls; nothing is replaced.
import { loadPocketsphinx } from '../src/speech/pocketsphinx/library.js';

export interface CallTiming {
  calls: number;
  totalMs: number;
  maxMs: number;
}

export class NativeCallTiming {
  private readonly timings = new Map<string, CallTiming>();

  private constructor() {}

  /** Starts timing every method of the process's pocketsphinx library. */
  static install(): NativeCallTiming {
    const timing = new NativeCallTiming();
    const library = loadPocketsphinx() as unknown as Record<string, unknown>;
    for (const [name, original] of Object.entries(library)) {
      if (typeof original !== 'function') continue;
      const call = original as (...args: unknown[]) => unknown;
      library[name] = (...args: unknown[]): unknown => {
        const started = performance.now();
        const value = call(...args);
        if (value instanceof Promise) {
          return value.finally(() => { timing.record(`${name} (pool thread)`, performance.now() - started); });
        }
        timing.record(`${name} (event loop)`, performance.now() - started);
        return value;
      };
    }
    return timing;
  }

  /** The `top` calls since the last snapshot by total time; then starts counting afresh. */
  snapshot(top = 10): Record<string, CallTiming> {
    const sorted = [...this.timings.entries()].sort(([, a], [, b]) => b.totalMs - a.totalMs).slice(0, top);
    this.timings.clear();
    return Object.fromEntries(sorted.map(([name, { calls, totalMs, maxMs }]) =>
      [name, { calls, totalMs: Math.round(totalMs), maxMs: Math.round(maxMs) }]));
  }

  private record(name: string, ms: number): void {
    const timing = this.timings.get(name) ?? { calls: 0, totalMs: 0, maxMs: 0 };
    timing.calls += 1;
    timing.totalMs += ms;
    timing.maxMs = Math.max(timing.maxMs, ms);
    this.timings.set(name, timing);
  }
}
