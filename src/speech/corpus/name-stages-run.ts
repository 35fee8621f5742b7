// `corpus name-stages`: the name stage table (name-stages.ts) of a manifest against a roll, printed per
// split and written as name-stages.json (the counts per split and every item's row).
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Jurisdiction } from '../../roll/jurisdiction.js';
import type { PocketsphinxSettings } from '../factory.js';
import type { NamePassTimings } from '../names/two-pass-name-recognizer.js';
import { createCorpusEngine, twoPassOf, type NamePathSettings } from './engine.js';
import { loadManifest } from './manifest.js';
import { countNameStages, nameStageLines, nameStageRows } from './name-stages.js';
import { prepareReportDir } from './outputs.js';
import { readRollVoters } from './roll-voters.js';

export interface NameStagesOptions extends NamePathSettings {
  rollPath: string;
  manifestPath: string;
  reportDir: string;
  jurisdiction: Jurisdiction;
  /** POCKETSPHINX_* (MLLR, lattice wait); absent ones take their defaults. */
  pocketsphinx?: PocketsphinxSettings;
  onItem?: (done: number, total: number) => void;
}

export async function runNameStages(options: NameStagesOptions): Promise<{ lines: string[]; path: string }> {
  const manifestPath = resolve(options.manifestPath);
  const manifest = await loadManifest(manifestPath);
  const dir = await prepareReportDir(options.reportDir);
  const { voters } = await readRollVoters(options.rollPath, options.jurisdiction);
  const traces: NamePassTimings[] = [];
  const twoPass = twoPassOf(options);
  const engine = await createCorpusEngine('pocketsphinx', voters, { poolSize: 1, twoPass,
    ...(options.pocketsphinx === undefined ? {} : { pocketsphinx: options.pocketsphinx }),
    onNameTimings: (timings) => traces.push(timings) });
  try {
    const rows = await nameStageRows({ engine, manifest, manifestPath, voters, traces, twoPass,
      ...(options.onItem === undefined ? {} : { onItem: options.onItem }) });
    const splits = [...new Set(rows.map((row) => row.split))].sort();
    const counts = Object.fromEntries(splits.map((split) =>
      [split === '' ? 'all' : split, countNameStages(rows.filter((row) => row.split === split))]));
    const path = join(dir, 'name-stages.json');
    await writeFile(path, `${JSON.stringify({ counts, rows }, null, 2)}\n`);
    return { lines: nameStageLines(rows), path };
  } finally {
    await engine.close();
  }
}
