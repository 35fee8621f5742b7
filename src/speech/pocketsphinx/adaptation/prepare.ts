// First half of scripts/adapt-telephone-model: everything sphinxtrain's bw needs that Node makes —
// the adaptation audio and transcripts, the decoder's own feat.params (telephone CMN prior included,
// so sphinx_fe computes the features with the decoder's parameters), and the model's mixture weights
// as a float file bw reads. The script then runs sphinx_fe, bw and mllr_solve.
import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { channelConditions, type ChannelCondition } from '../../corpus/channel.js';
import { debianCmudictPath } from '../../lexicon/cmudict.js';
import { debianModelDir } from '../library.js';
import { noiseFloorBelowSpeechDbDefault, noiseFloorBelowSpeechDbMax, noiseFloorDbOf } from '../pocketsphinx-settings.js';
import { writeTelephoneFeatParams } from '../telephone-features.js';
import { makeAdaptationSet } from './adaptation-set.js';
import { readDensityCount, readSendump, writeMixtureWeights } from './mixture-weights.js';

function isChannelCondition(value: string): value is ChannelCondition {
  return (channelConditions as readonly string[]).includes(value);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    out: { type: 'string' },
    model: { type: 'string', default: `${debianModelDir}/en-us` },
    utterances: { type: 'string', default: '320' },
    seed: { type: 'string', default: '31' },
    'held-out': { type: 'string', default: 'test-audio/ci/manifest-held-out.json' },
    workers: { type: 'string', default: '2' },
    'voip-share': { type: 'string', default: '0.15' },
    'noise-floor-db': { type: 'string', default: String(noiseFloorBelowSpeechDbDefault ?? 'off') },
    condition: { type: 'string' },
  } });
  if (values.out === undefined) throw new Error('--out <work directory> is required');
  const number = (value: string, what: string): number => {
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed) || parsed < 1) throw new RangeError(`--${what} must be a whole number ≥ 1`);
    return parsed;
  };
  const voipShare = Number(values['voip-share']);
  if (!(voipShare >= 0 && voipShare < 1)) throw new RangeError('--voip-share must be a fraction from 0 to below 1');
  const noiseFloorBelowSpeechDb = noiseFloorDbOf(values['noise-floor-db']);
  if (noiseFloorBelowSpeechDb === undefined) {
    throw new RangeError(`--noise-floor-db must be off or above 0 and at most ${noiseFloorBelowSpeechDbMax}`);
  }
  const condition = values.condition;
  if (condition !== undefined && !isChannelCondition(condition)) {
    throw new RangeError(`--condition must be one of ${channelConditions.join(', ')}`);
  }
  await mkdir(values.out, { recursive: true });
  const log = (line: string): void => { process.stdout.write(`adapt: ${line}\n`); };
  const densities = await readDensityCount(join(values.model, 'means'));
  await writeMixtureWeights(join(values.out, 'mixture_weights'),
    await readSendump(join(values.model, 'sendump'), densities));
  await writeTelephoneFeatParams({ modelDir: values.model, outPath: join(values.out, 'feat.params') });
  await makeAdaptationSet({ out: values.out, utterances: number(values.utterances, 'utterances'),
    seed: number(values.seed, 'seed'), heldOutManifest: values['held-out'], cmudictPath: debianCmudictPath,
    workers: number(values.workers, 'workers'), voipShare, noiseFloorBelowSpeechDb,
    ...(condition === undefined ? {} : { condition }) }, log);
}

main().catch((error: unknown) => {
  process.stderr.write(`adapt: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
