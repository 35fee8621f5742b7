// Names on a 550 k-voter roll (issue 4's target size), too slow for CI: the committed corpus test-audio/scale
// (50 names of tuning and held-out voices, rendered from `roll generate --voters 550000 --seed 7`, which this
// benchmark generates again and checks by its SHA-256) through the corpus runner, two ways on the same names:
// - one-utterance: "first last of town" through the two-pass name path, as a roll of up to
//   NAME_VOICE_VOTERS_MAX is named (the baseline: above 100 k it runs the large-roll pass 1);
// - town-first: the town said on its own, read back, then the name alone among that town's voters
//   (NAME_TOWN_FIRST), with 50 more towns said alone (context 'city');
// - town-first-readied: the same, with the name's grammars readied while the town is read back, as the dialog
//   does (runner.ts readBackMs, here readBackMs below): the names' latency against town-first's is what that buys.
// Each way listens on an engine of its own, so none finds another's grammars built or compiled.
// Held out is the figure that counts. Written to bench/results/names-at-scale.json.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateRoll } from '../src/roll/generate.js';
import { jurisdictionFor } from '../src/roll/jurisdictions.js';
import { createCorpusEngine, listeningWith } from '../src/speech/corpus/engine.js';
import { loadManifest } from '../src/speech/corpus/manifest.js';
import { readRollVoters } from '../src/speech/corpus/roll-voters.js';
import { runCorpus } from '../src/speech/corpus/runner.js';
import { latencyByContext, summarize } from '../src/speech/corpus/summary.js';
import { benchArgument, isMainModule, writeBenchResult } from './support.js';

const scaleDir = fileURLToPath(new URL('../../test-audio/scale/', import.meta.url));
/** The roll the corpus was rendered from (test-audio/README.md, scale). */
export const scaleRoll = { voters: 550_000, seed: 7,
  sha256: 'ad479cd08c520d9414184079ba47a6fa906bca3db612c154b3ec438debe45a08' } as const;
/**
 * The read-back's share of the dialog's time between the town and the name: well under the 6.8 s the dialog's
 * voice (flite kal) takes to say "I heard you say des moines. Is that right? Say yes or no, or press 1 for yes,
 * 2 for no.", for callers who say yes while it plays.
 */
const readBackMs = 3000;
const ways = [
  { way: 'one-utterance', corpus: 'one-utterance', readBackMs: 0 },
  { way: 'town-first', corpus: 'town-first', readBackMs: 0 },
  { way: 'town-first-readied', corpus: 'town-first', readBackMs },
] as const;
const splits = ['tuning', 'held-out'] as const;

export async function benchNamesAtScale(options: { resultsDir: string }): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), 'dn-names-at-scale-'));
  try {
    const rollPath = join(dir, 'roll.zip');
    const jurisdiction = jurisdictionFor('iowa');
    await generateRoll({ seed: scaleRoll.seed, voters: scaleRoll.voters, outputPath: rollPath, jurisdiction });
    const sha256 = createHash('sha256').update(await readFile(rollPath)).digest('hex');
    if (sha256 !== scaleRoll.sha256) {
      throw new Error(`the generated 550 k roll is not the one test-audio/scale was rendered from (sha256 ${sha256}); `
        + 'the roll generator changed: render the corpus again (test-audio/README.md, scale)');
    }
    const { voters } = await readRollVoters(rollPath, jurisdiction);
    const results: Record<string, unknown> = {};
    const prepareMs: Record<string, number> = {};
    const nameLatencies = new Map<string, { p50: number | null; p95: number | null }>();
    for (const { way, corpus, readBackMs: readBack } of ways) {
      const prepared = performance.now();
      const engine = await createCorpusEngine('pocketsphinx', voters, { poolSize: 8 });
      prepareMs[way] = Math.round(performance.now() - prepared);
      try {
        for (const split of splits) {
          const manifestPath = join(scaleDir, corpus, `manifest-${split}.json`);
          const manifest = await loadManifest(manifestPath);
          const started = performance.now();
          // One utterance at a time: the town-first names decode a large town's surname ranges side by side.
          const run = await runCorpus({ manifestPath, manifest, ...listeningWith(engine), concurrency: 1,
            readBackMs: readBack });
          const summary = summarize(run);
          const latency = latencyByContext(run);
          if (latency.name !== undefined) nameLatencies.set(`${way}/${split}`, latency.name);
          results[`${way}/${split}`] = { ...summary, latencyMsByContext: latency, readBackMs: readBack,
            wallMs: Math.round(performance.now() - started) };
          process.stdout.write(`  ${way} ${split}: ${JSON.stringify(summary.contexts)}\n`);
        }
      } finally {
        await engine.close();
      }
    }
    const correct = (key: string): number =>
      (results[key] as ReturnType<typeof summarize> | undefined)?.contexts.name?.correct ?? 0;
    const ratio = (split: string): number | null => {
      const baseline = correct(`one-utterance/${split}`);
      return baseline === 0 ? null : Math.round((correct(`town-first/${split}`) / baseline) * 100) / 100;
    };
    const latencyRatio = (split: string, percentile: 'p50' | 'p95'): number | null => {
      const baseline = nameLatencies.get(`town-first/${split}`)?.[percentile] ?? null;
      const readied = nameLatencies.get(`town-first-readied/${split}`)?.[percentile] ?? null;
      if (baseline === null || readied === null || baseline === 0) return null;
      return Math.round((readied / baseline) * 100) / 100;
    };
    const result = {
      roll: scaleRoll, engine: 'pocketsphinx', prepareMs, results,
      // Names right, town first against one utterance on the same names (null: the baseline got none right).
      townFirstOverOneUtterance: { tuning: ratio('tuning'), heldOut: ratio('held-out') },
      // The names' latency readied during the read-back against not readied (same names, fresh engines).
      readiedOverNotReadiedNameLatency: {
        p50: { tuning: latencyRatio('tuning', 'p50'), heldOut: latencyRatio('held-out', 'p50') },
        p95: { tuning: latencyRatio('tuning', 'p95'), heldOut: latencyRatio('held-out', 'p95') },
      },
    };
    writeBenchResult(options.resultsDir, 'names-at-scale', result);
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (isMainModule(import.meta.url)) {
  await benchNamesAtScale({ resultsDir: benchArgument('results', 'bench/results') });
}
