// The whole `corpus run`: manifest and report folder (checked first, so a bad one fails before any work),
// roll voters read from the ZIP, the engine and judge built for them, every item recognized, then
// summary.json and report.html.
import { basename, resolve } from 'node:path';
import type { Jurisdiction } from '../../roll/jurisdiction.js';
import type { PocketsphinxSettings } from '../factory.js';
import {
  createCorpusEngine, listeningWith, twoPassOf, type CorpusEngineName, type NamePathSettings,
} from './engine.js';
import { loadManifest } from './manifest.js';
import { prepareReportDir, writeCorpusReport } from './outputs.js';
import { readRollVoters } from './roll-voters.js';
import { runCorpus, type CorpusRun } from './runner.js';
import { summarize, type CorpusSummary } from './summary.js';

export interface CorpusFilesOptions extends NamePathSettings {
  rollPath: string;
  manifestPath: string;
  reportDir: string;
  engine: CorpusEngineName;
  jurisdiction: Jurisdiction;
  concurrency?: number;
  voskModel?: string | null;
  /** POCKETSPHINX_* (MLLR, lattice wait); absent ones take their defaults. */
  pocketsphinx?: PocketsphinxSettings;
  /** Stream each file in real time (runner.ts), so the latency is what a caller waits. */
  paced?: boolean;
  /** The dialog's read-back of a town before its name (runner.ts, readBackMs); 0 by default. */
  readBackMs?: number;
  onItem?: (done: number, total: number) => void;
}

export interface CorpusFilesOutcome {
  summary: CorpusSummary;
  run: CorpusRun;
  summaryPath: string;
  reportPath: string;
}

export async function runCorpusFiles(options: CorpusFilesOptions): Promise<CorpusFilesOutcome> {
  const manifestPath = resolve(options.manifestPath);
  const manifest = await loadManifest(manifestPath);
  await prepareReportDir(options.reportDir);
  const { voters } = await readRollVoters(options.rollPath, options.jurisdiction);
  const engine = await createCorpusEngine(options.engine, voters, {
    poolSize: Math.max(1, options.concurrency ?? 1), voskModel: options.voskModel ?? null,
    twoPass: twoPassOf(options),
    ...(options.pocketsphinx === undefined ? {} : { pocketsphinx: options.pocketsphinx }) });
  try {
    const run = await runCorpus({ manifestPath, manifest, ...listeningWith(engine),
      concurrency: options.concurrency ?? 1, paced: options.paced === true, readBackMs: options.readBackMs ?? 0,
      ...(options.onItem === undefined ? {} : { onItem: options.onItem }) });
    const summary = summarize(run);
    const title = `Speech corpus ${basename(manifestPath)}: ${engine.recognizer.engine}, ${voters.length} voters`;
    const written = await writeCorpusReport(options.reportDir, summary, run, title);
    return { summary, run, ...written };
  } finally {
    await engine.close();
  }
}
