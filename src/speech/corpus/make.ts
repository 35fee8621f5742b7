// Generates the regression corpus (scripts/make-corpus): utterances for every grammar context, from a
// sample roll, spoken by several TTS voices, passed through a telephone channel, written as μ-law WAV
// (most), MP3 and wideband stereo WAV (to exercise the runner's decoders and resampler), with
// manifest.json and the tuning / held-out manifests beside it. Deterministic for a seed.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import wavefile from 'wavefile';
import { generateRoll } from '../../roll/generate.js';
import { jurisdictionFor } from '../../roll/jurisdictions.js';
import { Prng } from '../../roll/prng.js';
import { staticGrammarContexts } from '../grammar/static-grammars.js';
import { isGrammarContext, type GrammarContext } from '../recognizer.js';
import {
  channelConditions, muLawToPcm, quietLineOf, telephoneChannel, type ChannelCondition,
} from './channel.js';
import type { ManifestItem } from './manifest.js';
import { readRollVoters } from './roll-voters.js';
import type { RegisteredVoter } from '../../core/voter.js';
import { loadNicknames } from '../matcher/index.js';
import {
  contextUtterance, nameUtterance, sayableShortForms, townUtterance, uniquelyNamedVoters, type Utterance,
} from './utterances.js';
import { runTool, speak, ttsVoices, type TtsVoice } from './voices.js';

type AudioFormat = 'wav-ulaw' | 'mp3' | 'wav-16k-stereo';

export interface Planned extends Utterance {
  split: 'tuning' | 'held-out';
  voice: TtsVoice;
  condition: ChannelCondition;
  format: AudioFormat;
  file: string;
  /** A name said after its town (--town-first): the town's own file, same voice and channel. */
  townFile?: string;
}

export interface MakeCorpusOptions {
  roll: string;
  out: string;
  seed: number;
  /** Name items; 40 % of them held out. */
  names: number;
  /** Items per other context; 40 % of them held out. */
  perContext: number;
  /** When `roll` does not exist: generate it with this seed and size. */
  rollSeed: number;
  rollVoters: number;
  workers: number;
  /**
   * Only render these contexts / this split (a larger tuning-only corpus of a few contexts). Chosen after
   * the whole corpus is planned, so every item keeps the words, voice and channel it has in the full one.
   */
  contexts?: readonly GrammarContext[];
  split?: Planned['split'];
  /** Towns said on their own (context 'city'); 40 % of them held out. Planned after everything else. */
  towns?: number;
  /** Names said as two answers, the town and then the name alone (the city-first dialog; manifest `cityAudio`). */
  townFirst?: boolean;
  /**
   * The fraction of name items said with a short form of the first name ("bob lindqvist of ames" for Robert;
   * nicknames.csv), among voters that have one naming no other voter of the town with their surname.
   */
  shortForms?: number;
  /** Every item's line without noise (channel.ts quietLineOf); the plan is the same as without it. */
  quietLine?: boolean;
}

/** A first name's short forms (Nicknames.shortFormsOf), for --short-forms. */
export type ShortFormsOf = (first: string) => readonly string[];

const heldOutFraction = 0.4;

function pickCondition(prng: Prng): ChannelCondition {
  const roll = prng.float();
  if (roll < 0.7) return 'snr20';
  return channelConditions[1 + Math.min(2, Math.floor((roll - 0.7) / 0.1))] ?? 'snr20';
}

function pickFormat(prng: Prng): AudioFormat {
  const roll = prng.float();
  return roll < 0.8 ? 'wav-ulaw' : roll < 0.92 ? 'mp3' : 'wav-16k-stereo';
}

function plan(options: MakeCorpusOptions, utterances: Array<{ utterance: Utterance; split: Planned['split'] }>,
  prng: Prng): Planned[] {
  const voicesOf = {
    tuning: ttsVoices.filter((voice) => !voice.heldOut), 'held-out': ttsVoices.filter((voice) => voice.heldOut),
  };
  const turn = { tuning: 0, 'held-out': 0 };
  return utterances.map(({ utterance, split }, index) => {
    const voices = voicesOf[split];
    const voice = voices[turn[split] % voices.length] as TtsVoice;
    turn[split] += 1;
    const drawn = pickCondition(prng);
    const condition = options.quietLine === true ? quietLineOf(drawn) : drawn;
    const format = pickFormat(prng);
    const extension = format === 'mp3' ? 'mp3' : 'wav';
    const stem = `${String(index).padStart(4, '0')}-${voice.id}-${condition}.${extension}`;
    const file = `audio/${utterance.context}-${stem}`;
    if (options.townFirst === true && utterance.nameAlone !== undefined) {
      return { ...utterance, text: utterance.nameAlone, split, voice, condition, format, file,
        townFile: `audio/town-${stem}` };
    }
    return { ...utterance, split, voice, condition, format, file };
  });
}

function chooseUtterances(options: MakeCorpusOptions, voters: Parameters<typeof uniquelyNamedVoters>[0],
  prng: Prng, shortFormsOf: ShortFormsOf): Array<{ utterance: Utterance; split: Planned['split'] }> {
  const chosen: Array<{ utterance: Utterance; split: Planned['split'] }> = [];
  const named = uniquelyNamedVoters(voters, prng);
  // The first half of the shuffled voters are tuning names, the second half held-out names.
  const half = Math.floor(named.length / 2);
  const heldOutNames = Math.round(options.names * heldOutFraction);
  if (options.names - heldOutNames > half || heldOutNames > named.length - half) {
    throw new RangeError(`the roll has only ${named.length} uniquely named voters for ${options.names} name items`);
  }
  // Short forms draw from a stream of their own: without --short-forms every item is as it always was.
  const shortFormPrng = new Prng(options.seed * 37 + 5);
  // Only a corpus that says short forms needs the namesakes they must not name.
  const surnameInTown = (options.shortForms ?? 0) > 0 ? groupedBySurnameInTown(voters)
    : new Map<string, RegisteredVoter[]>();
  for (let i = 0; i < options.names; i++) {
    const heldOut = i >= options.names - heldOutNames;
    const voter = named[heldOut ? half + (i - (options.names - heldOutNames)) : i];
    if (voter === undefined) continue;
    const sayShortForm = shortFormPrng.float() < (options.shortForms ?? 0);
    const namesakes = surnameInTown.get(townSurname(voter)) ?? [];
    const forms = sayShortForm ? sayableShortForms(voter, namesakes, shortFormsOf) : [];
    const saidFirst = forms.length > 0 ? forms[shortFormPrng.int(forms.length)] : undefined;
    chosen.push({ utterance: nameUtterance(voter, prng, saidFirst), split: heldOut ? 'held-out' : 'tuning' });
  }
  for (const context of staticGrammarContexts) {
    const heldOutItems = Math.round(options.perContext * heldOutFraction);
    for (let i = 0; i < options.perContext; i++) {
      const split = i >= options.perContext - heldOutItems ? 'held-out' : 'tuning';
      const spellFrom = split === 'tuning' ? named.slice(0, half) : named.slice(half);
      chosen.push({ utterance: contextUtterance(context, spellFrom, prng), split });
    }
  }
  // Last and from a stream of their own, so a corpus with towns plans every other item as one without.
  const townPrng = new Prng(options.seed * 31 + 17);
  const towns = options.towns ?? 0;
  const heldOutTowns = Math.round(towns * heldOutFraction);
  for (let i = 0; i < towns; i++) {
    const split = i >= towns - heldOutTowns ? 'held-out' : 'tuning';
    const from = split === 'tuning' ? named.slice(0, half) : named.slice(half);
    const voter = from[townPrng.int(from.length)];
    if (voter !== undefined) chosen.push({ utterance: townUtterance(voter, townPrng), split });
  }
  return chosen;
}

function townSurname(voter: RegisteredVoter): string {
  return `${voter.city}|${voter.name.last}`;
}

function groupedBySurnameInTown(voters: readonly RegisteredVoter[]): Map<string, RegisteredVoter[]> {
  const groups = new Map<string, RegisteredVoter[]>();
  for (const voter of voters) {
    const group = groups.get(townSurname(voter));
    if (group === undefined) groups.set(townSurname(voter), [voter]);
    else group.push(voter);
  }
  return groups;
}

function pcmWav(samples: Int16Array, rate: number): Uint8Array {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, rate, '16', samples);
  return wav.toBuffer();
}

async function render(item: Planned, out: string, work: string, seed: number): Promise<void> {
  const raw = join(work, 'raw.wav');
  const band = join(work, 'band.wav');
  const textFile = join(work, 'text.txt');
  await writeFile(textFile, item.text);
  await speak(item.voice, item.text, raw, textFile);
  // The telephone band and rate; peak level -6 dBFS as a handset's AGC would give.
  await runTool(['sox', raw, '-b', '16', '-c', '1', band, 'sinc', '300-3400', 'rate', '-v', '8000', 'gain', '-n', '-6']);
  const bandWav = new wavefile.WaveFile(await readFile(band));
  const pcm = Int16Array.from(bandWav.getSamples(false, Int16Array) as unknown as Int16Array);
  // Each item has its own noise stream, so re-rendering one item does not change the others.
  const fileHash = [...item.file].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) >>> 0, 0);
  const prng = new Prng(seed * 100_003 + fileHash);
  const muLaw = telephoneChannel(pcm, item.condition, prng);
  const target = join(out, item.file);
  if (item.format === 'wav-ulaw') {
    const wav = new wavefile.WaveFile();
    wav.fromScratch(1, 8000, '8m', muLaw);
    await writeFile(target, wav.toBuffer());
    return;
  }
  const heard = join(work, 'heard.wav');
  await writeFile(heard, pcmWav(muLawToPcm(muLaw), 8000));
  if (item.format === 'mp3') await runTool(['lame', '--quiet', '-m', 'm', '-b', '24', heard, target]);
  else await runTool(['sox', heard, '-b', '16', target, 'rate', '-v', '16000', 'channels', '2']);
}

function manifestItem(item: Planned): ManifestItem {
  return { audio: item.file, context: item.context, expected: item.expected, voice: item.voice.id,
    channel: `${item.condition}/${item.format}`, split: item.split,
    text: item.townFile === undefined ? item.text : `${item.town ?? ''} / ${item.text}`,
    ...(item.townFile === undefined ? {} : { cityAudio: item.townFile }) };
}

async function writeManifests(out: string, items: Planned[], rollPath: string): Promise<void> {
  const write = async (name: string, chosen: Planned[]): Promise<void> => {
    const manifest = { roll: relative(out, rollPath), items: chosen.map(manifestItem) };
    await writeFile(join(out, name), `${JSON.stringify(manifest, null, 1)}\n`);
  };
  await write('manifest.json', items);
  await write('manifest-tuning.json', items.filter((item) => item.split === 'tuning'));
  await write('manifest-held-out.json', items.filter((item) => item.split === 'held-out'));
}

/**
 * Every utterance of the corpus (words, voice, channel, format, file), then only `contexts` and `split` when
 * given: the whole corpus is planned first, so an item keeps what it has in the full corpus.
 */
export function planCorpus(options: MakeCorpusOptions, voters: readonly RegisteredVoter[],
  shortFormsOf: ShortFormsOf = () => []): Planned[] {
  const prng = new Prng(options.seed);
  return plan(options, chooseUtterances(options, voters, prng, shortFormsOf), prng)
    .filter((item) => (options.contexts === undefined || options.contexts.includes(item.context))
      && (options.split === undefined || item.split === options.split));
}

export async function makeCorpus(options: MakeCorpusOptions, log: (line: string) => void): Promise<number> {
  const jurisdiction = jurisdictionFor('iowa');
  try {
    await readFile(options.roll);
  } catch {
    log(`generating the sample roll ${options.roll} (seed ${options.rollSeed}, ${options.rollVoters} voters)`);
    await generateRoll({ seed: options.rollSeed, voters: options.rollVoters, outputPath: options.roll, jurisdiction });
  }
  const { voters } = await readRollVoters(options.roll, jurisdiction);
  const nicknames = (options.shortForms ?? 0) > 0 ? await loadNicknames() : null;
  const items = planCorpus(options, voters, (first) => nicknames?.shortFormsOf(first) ?? []);
  await mkdir(join(options.out, 'audio'), { recursive: true });
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    const work = await mkdtemp(join(tmpdir(), 'dn-corpus-'));
    try {
      for (let index = next++; index < items.length; index = next++) {
        const item = items[index] as Planned;
        await render(item, options.out, work, options.seed);
        if (item.townFile !== undefined) {
          await render({ ...item, text: item.town ?? '', file: item.townFile }, options.out, work, options.seed);
        }
        done += 1;
        if (done % 20 === 0 || done === items.length) log(`${done}/${items.length} utterances`);
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.workers) }, worker));
  await writeManifests(options.out, items, options.roll);
  return items.length;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: {
    roll: { type: 'string', default: 'test-audio/roll-sample.zip' },
    out: { type: 'string', default: 'test-audio/ci' },
    seed: { type: 'string', default: '4' },
    names: { type: 'string', default: '80' },
    'per-context': { type: 'string', default: '14' },
    'roll-seed': { type: 'string', default: '11' },
    'roll-voters': { type: 'string', default: '3000' },
    workers: { type: 'string', default: '2' },
    contexts: { type: 'string' },
    split: { type: 'string' },
    towns: { type: 'string', default: '0' },
    'town-first': { type: 'boolean', default: false },
    'short-forms': { type: 'string', default: '0' },
    'quiet-line': { type: 'boolean', default: false },
  } });
  const number = (value: string, what: string): number => {
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed) || parsed < 0) throw new RangeError(`--${what} must be a whole number, got ${value}`);
    return parsed;
  };
  const shortForms = Number(values['short-forms']);
  if (!(shortForms >= 0 && shortForms <= 1)) {
    throw new RangeError(`--short-forms must be a fraction from 0 to 1, got ${values['short-forms']}`);
  }
  const contexts = values.contexts?.split(',').map((context) => context.trim());
  const unknown = contexts?.filter((context) => !isGrammarContext(context)) ?? [];
  if (unknown.length > 0) throw new RangeError(`--contexts: unknown context ${unknown.join(', ')}`);
  if (values.split !== undefined && values.split !== 'tuning' && values.split !== 'held-out') {
    throw new RangeError(`--split must be tuning or held-out, got ${values.split}`);
  }
  return await makeCorpus({
    ...(contexts === undefined ? {} : { contexts: contexts as GrammarContext[] }),
    ...(values.split === undefined ? {} : { split: values.split }),
    roll: values.roll, out: values.out, seed: number(values.seed, 'seed'), names: number(values.names, 'names'),
    perContext: number(values['per-context'], 'per-context'), rollSeed: number(values['roll-seed'], 'roll-seed'),
    rollVoters: number(values['roll-voters'], 'roll-voters'), workers: number(values.workers, 'workers'),
    towns: number(values.towns, 'towns'), townFirst: values['town-first'], shortForms, quietLine: values['quiet-line'],
  }, (line) => process.stdout.write(`make-corpus: ${line}\n`));
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  main().then((count) => process.stdout.write(`make-corpus: wrote ${count} utterances\n`), (error: unknown) => {
    process.stderr.write(`make-corpus: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
