// Telephone-channel MLLR adaptation (models/telephone-mllr, scripts/adapt-telephone-model), measured
// against its baseline in the same run: the committed CI corpus's held-out part (the figure that counts:
// voices and names the adaptation never heard) and tuning part, each through the corpus runner's whole
// path with three settings: `off` (the model as Debian ships it, every context), `numbers` (the default:
// the transform for the contexts of src/speech/pocketsphinx/context-mllr.ts, numberContexts) and
// `telephone` (the transform for every context); the name path runs as serve runs it (agreement check
// on). Per context: correct, wrong-confident and rejected
// items. Writes bench/results/speech-adaptation.json.
import { fileURLToPath } from 'node:url';
import { jurisdictionFor } from '../src/roll/jurisdictions.js';
import { numberContexts } from '../src/speech/pocketsphinx/context-mllr.js';
import { createCorpusEngine, listeningWith } from '../src/speech/corpus/engine.js';
import { loadManifest } from '../src/speech/corpus/manifest.js';
import { readRollVoters } from '../src/speech/corpus/roll-voters.js';
import { runCorpus } from '../src/speech/corpus/runner.js';
import { summarize, type ContextCounts, type CorpusSummary } from '../src/speech/corpus/summary.js';
import type { GrammarContext } from '../src/speech/recognizer.js';
import { benchArgument, isMainModule, writeBenchResult } from './support.js';

const corpusDir = fileURLToPath(new URL('../../test-audio/', import.meta.url));
/** POCKETSPHINX_MLLR, POCKETSPHINX_NUMBER_MLLR and POCKETSPHINX_NOISY_MLLR of each setting. */
const settings = {
  off: { mllr: 'off', numberMllr: 'off', noisyMllr: 'off' },
  numbers: { mllr: 'off', numberMllr: 'telephone', noisyMllr: 'telephone-noisy' },
  telephone: { mllr: 'telephone', numberMllr: 'telephone', noisyMllr: 'off' },
} as const;
type Setting = keyof typeof settings;

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
    const measured = {} as Record<Setting, CorpusSummary>;
    for (const setting of Object.keys(settings) as Setting[]) {
      const engine = await createCorpusEngine('pocketsphinx', voters, { poolSize: 1,
        pocketsphinx: { pocketsphinxMllr: settings[setting].mllr,
          pocketsphinxNumberMllr: settings[setting].numberMllr, pocketsphinxNoisyMllr: settings[setting].noisyMllr } });
      try {
        measured[setting] = summarize(await runCorpus({ manifestPath, manifest, ...listeningWith(engine) }));
      } finally {
        await engine.close();
      }
      process.stdout.write(`bench speech-adaptation: ${part} ${setting}: ${JSON.stringify(measured[setting].contexts)}\n`);
    }
    const perContext = Object.fromEntries((Object.keys(measured.off.contexts) as GrammarContext[]).map((context) => {
      const of = (setting: Setting): ContextCounts => measured[setting].contexts[context] as ContextCounts;
      return [context, { total: of('off').total,
        correct: { off: of('off').correct, numbers: of('numbers').correct, telephone: of('telephone').correct },
        wrongConfident: { off: of('off').wrongConfident, numbers: of('numbers').wrongConfident,
          telephone: of('telephone').wrongConfident },
        rejected: { off: of('off').rejected, numbers: of('numbers').rejected, telephone: of('telephone').rejected } }];
    }));
    parts[part] = { items: manifest.items.length, perContext,
      all: { off: totals(measured.off), numbers: totals(measured.numbers), telephone: totals(measured.telephone) },
      latencyMs: { off: measured.off.latencyMs, numbers: measured.numbers.latencyMs,
        telephone: measured.telephone.latencyMs },
      realTimeFactor: { off: measured.off.realTimeFactor, numbers: measured.numbers.realTimeFactor,
        telephone: measured.telephone.realTimeFactor } };
  }
  const result = {
    corpus: 'test-audio/ci (192 items, 3,000-voter roll)', engine: 'pocketsphinx 0.8, Debian en-us',
    adaptation: 'models/telephone-mllr/mllr_matrix (global MLLR, scripts/adapt-telephone-model)',
    settings: {
      off: 'POCKETSPHINX_MLLR=off POCKETSPHINX_NUMBER_MLLR=off POCKETSPHINX_NOISY_MLLR=off: the model as shipped for '
        + 'every context on every line',
      numbers: 'POCKETSPHINX_MLLR=off POCKETSPHINX_NUMBER_MLLR=telephone POCKETSPHINX_NOISY_MLLR=telephone-noisy (the '
        + `defaults): the transform for ${numberContexts.join(', ')} only, and the noisy-line transform for every `
        + 'answer decoded whole on a line under POCKETSPHINX_NOISY_LINE_SNR_DB',
      telephone: 'POCKETSPHINX_MLLR=telephone POCKETSPHINX_NUMBER_MLLR=telephone POCKETSPHINX_NOISY_MLLR=off: the '
        + 'transform for every context on every line',
    },
    heldOut: parts['held-out'], tuning: parts.tuning,
    baseline: 'off: the same corpus, engine and run without the transform',
    measuredAt: new Date().toISOString(),
  };
  writeBenchResult(options.resultsDir, 'speech-adaptation', result);
  return result;
}

if (isMainModule(import.meta.url)) {
  await benchSpeechAdaptation({ resultsDir: benchArgument('results', 'bench/results') });
}
