// The whole `corpus run`: manifest (checked first, so a bad one fails before any work), roll voters
// read from the ZIP, the engine and judge built for them, every item recognized, then summary.json
// and report.html.
import { basename, resolve } from 'node:path';
import type { Jurisdiction } from '../../roll/jurisdiction.js';
import type { PocketsphinxSettings } from '../factory.js';
import { cityAgreementDefault, type PhoneLoopSettings } from '../names/two-pass-name-recognizer.js';
import { createCorpusEngine, listeningWith, type CorpusEngineName } from './engine.js';
import { loadManifest } from './manifest.js';
import { writeCorpusReport } from './outputs.js';
import { readRollVoters } from './roll-voters.js';
import { runCorpus, type CorpusRun } from './runner.js';
import { summarize, type CorpusSummary } from './summary.js';

export interface CorpusFilesOptions {
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
  /** The fallback finder's fit check (TwoPassOptions.fitGapMin); null or absent: off, as serve runs. */
  fitGapMin?: number | null;
  /** The phone-loop confidence (TwoPassOptions.phoneLoop); null or absent: off, as serve runs. */
  phoneLoop?: PhoneLoopSettings | null;
  /** The city agreement check (TwoPassOptions.cityAgreement); absent: on, as serve runs. */
  cityAgreement?: boolean;
  /** Settling a failed agreement check by both cities' voters (TwoPassOptions.disputeLeadMin); null or absent: off. */
  disputeLeadMin?: number | null;
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
  const { voters } = await readRollVoters(options.rollPath, options.jurisdiction);
  const engine = await createCorpusEngine(options.engine, voters, {
    poolSize: Math.max(1, options.concurrency ?? 1), voskModel: options.voskModel ?? null,
    // null is off, as both are by default (twoPassDefaults); the city check is on, as by default.
    twoPass: { fitGapMin: options.fitGapMin ?? null, phoneLoop: options.phoneLoop ?? null,
      cityAgreement: options.cityAgreement ?? cityAgreementDefault, disputeLeadMin: options.disputeLeadMin ?? null },
    ...(options.pocketsphinx === undefined ? {} : { pocketsphinx: options.pocketsphinx }) });
  try {
    const run = await runCorpus({ manifestPath, manifest, ...listeningWith(engine),
      concurrency: options.concurrency ?? 1, paced: options.paced === true,
      ...(options.onItem === undefined ? {} : { onItem: options.onItem }) });
    const summary = summarize(run);
    const title = `Speech corpus ${basename(manifestPath)}: ${engine.recognizer.engine}, ${voters.length} voters`;
    const written = await writeCorpusReport(options.reportDir, summary, run, title);
    return { summary, run, ...written };
  } finally {
    await engine.close();
  }
}
