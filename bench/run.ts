// npm run bench: every benchmark, each writing bench/results/<name>.json with its figures next to a
// baseline measured in the same run. BENCH_VOTERS (default 2,200,000) sets the roll size;
// BENCH_ONLY=tally,roll-import,stir-shaken,sip,media,money,money-soak,web,speech,speech-adaptation,
// speech-concurrency,name-lookup,names-at-scale,phone-on-roll,
// scale picks benchmarks.
import { benchMedia } from './media.js';
import { benchMoney } from './money.js';
import { benchMoneySoak } from './money-soak.js';
import { benchNameLookup } from './name-lookup.js';
import { benchNamesAtScale } from './names-at-scale.js';
import { benchPhoneOnRoll } from './phone-on-roll.js';
import { benchRollImport } from './roll-import.js';
import { benchScale } from './scale.js';
import { benchSip } from './sip.js';
import { benchSpeech } from './speech.js';
import { benchSpeechAdaptation } from './speech-adaptation.js';
import { benchSpeechConcurrency } from './speech-concurrency.js';
import { benchStirShaken } from './stir-shaken.js';
import { benchTally } from './tally.js';
import { benchWeb } from './web.js';

type Benchmark = (options: { voters: number; resultsDir: string }) => Promise<Record<string, unknown>>;

const benchmarks: Record<string, Benchmark> = {
  tally: benchTally,
  'roll-import': benchRollImport,
  'stir-shaken': benchStirShaken,
  sip: benchSip,
  media: benchMedia,
  money: benchMoney,
  web: benchWeb,
  // SOAK_TRANSFERS (default 1,000,000) sets the soak's size.
  'money-soak': async ({ resultsDir }) => benchMoneySoak({ resultsDir,
    transfers: Number(process.env.SOAK_TRANSFERS ?? '1000000') }),
  speech: benchSpeech,
  'speech-adaptation': benchSpeechAdaptation,
  'speech-concurrency': benchSpeechConcurrency,
  'name-lookup': benchNameLookup,
  'names-at-scale': async ({ resultsDir }) => benchNamesAtScale({ resultsDir }),
  'phone-on-roll': async ({ resultsDir }) => benchPhoneOnRoll({ resultsDir }),
  scale: benchScale,
};

const voters = Number(process.env.BENCH_VOTERS ?? '2200000');
if (!Number.isSafeInteger(voters) || voters < 1000) throw new RangeError('BENCH_VOTERS must be a whole number ≥ 1000');
const resultsDir = process.env.BENCH_RESULTS ?? 'bench/results';
const only = (process.env.BENCH_ONLY ?? Object.keys(benchmarks).join(',')).split(',').filter((name) => name.length > 0);

for (const name of only) {
  const bench = benchmarks[name];
  if (bench === undefined) throw new RangeError(`unknown benchmark ${name}; known: ${Object.keys(benchmarks).join(', ')}`);
  const started = Date.now();
  process.stdout.write(`bench ${name}: ${voters.toLocaleString('en-US')} voters…\n`);
  await bench({ voters, resultsDir });
  process.stdout.write(`bench ${name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s → ${resultsDir}/${name}.json\n`);
}
