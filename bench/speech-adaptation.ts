// Telephone-channel MLLR adaptation (models/telephone-mllr, scripts/adapt-telephone-model), measured
// against its baseline in the same run: the committed CI corpus's held-out part (the figure that counts:
// voices and names the adaptation never heard) and tuning part, each through the corpus runner's whole
// path with POCKETSPHINX_MLLR=off (the model as Debian ships it) and =telephone. Per context: correct,
// wrong-confident and rejected items, and the difference. Writes bench/results/speech-adaptation.json.
import { fileURLToPath } from 'node:url';
import { jurisdictionFor } from '../src/roll/jurisdictions.js';
import { createCorpusEngine, listeningWith } from '../src/speech/corpus/engine.js';
import { loadManifest } from '../src/speech/corpus/manifest.js';
import { readRollVoters } from '../src/speech/corpus/roll-voters.js';
import { runCorpus } from '../src/speech/corpus/runner.js';
import { summarize, type ContextCounts, type CorpusSummary } from '../src/speech/corpus/summary.js';
import type { GrammarContext } from '../src/speech/recognizer.js';
import { benchArgument, isMainModule, writeBenchResult } from './support.js';

const corpusDir = fileURLToPath(new URL('../../test-audio/', import.meta.url));
const settings = ['off', 'telephone'] as const;

function totals(summary: CorpusSummary): { correct: number; total: number; wrongConfident: number } {
  const all = Object.values(summary.contexts);
  return { correct: all.reduce((sum, counts) => sum + counts.correct, 0),
    total: all.reduce((sum, counts) => sum + counts.total, 0),
    wrongConfident: all.reduce((sum, counts) => sum + counts.wrongConfident, 0) };
}

export async function benchSpeechAdaptation(options: { resultsDir: string }): Promise<Record<string, unknown>> {
  const { voters } = await readRollVoters(`${corpusDir}roll-sample.zip`, jurisdictionFor('iowa'));
  const parts: Record<string, unknown> = {};
  for (const part of ['held-out', 'tuning'] as const) {
    const manifestPath = `${corpusDir}ci/manifest-${part}.json`;
    const manifest = await loadManifest(manifestPath);
    const measured: Partial<Record<(typeof settings)[number], CorpusSummary>> = {};
    for (const setting of settings) {
      const engine = await createCorpusEngine('pocketsphinx', voters, { poolSize: 1, pocketsphinxMllr: setting });
      try {
        measured[setting] = summarize(await runCorpus({ manifestPath, manifest, ...listeningWith(engine) }));
      } finally {
        await engine.close();
      }
      process.stdout.write(`bench speech-adaptation: ${part} mllr=${setting}: `
        + `${JSON.stringify(measured[setting]?.contexts)}\n`);
    }
    const off = measured.off as CorpusSummary;
    const on = measured.telephone as CorpusSummary;
    const perContext = Object.fromEntries((Object.entries(off.contexts) as Array<[GrammarContext, ContextCounts]>)
      .map(([context, before]) => {
        const after = on.contexts[context] as ContextCounts;
        return [context, { total: before.total, correctOff: before.correct, correctTelephone: after.correct,
          gained: after.correct - before.correct, wrongConfidentOff: before.wrongConfident,
          wrongConfidentTelephone: after.wrongConfident, rejectedOff: before.rejected,
          rejectedTelephone: after.rejected }];
      }));
    parts[part] = { items: manifest.items.length, perContext, all: { off: totals(off), telephone: totals(on) },
      latencyMs: { off: off.latencyMs, telephone: on.latencyMs },
      realTimeFactor: { off: off.realTimeFactor, telephone: on.realTimeFactor } };
  }
  const result = {
    corpus: 'test-audio/ci (192 items, 3,000-voter roll)', engine: 'pocketsphinx 0.8, Debian en-us',
    adaptation: 'models/telephone-mllr/mllr_matrix (global MLLR, scripts/adapt-telephone-model)',
    heldOut: parts['held-out'], tuning: parts.tuning,
    baseline: 'POCKETSPHINX_MLLR=off: the same corpus, engine and run without the transform',
    measuredAt: new Date().toISOString(),
  };
  writeBenchResult(options.resultsDir, 'speech-adaptation', result);
  return result;
}

if (isMainModule(import.meta.url)) {
  await benchSpeechAdaptation({ resultsDir: benchArgument('results', 'bench/results') });
}
