// A progress bar on a terminal (stderr), nothing when output is piped or in CI.
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

export function createProgress(label: string, unit: string): Progress {
  if (process.stderr.isTTY !== true || process.env.CI === 'true') return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | eta {eta_formatted}`,
    stream: process.stderr, hideCursor: true, etaBuffer: 50, fps: 5,
  }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(done: number, total: number): void {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop(): void {
      if (started) bar.stop();
      started = false;
    },
  };
}
