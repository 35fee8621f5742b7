// The audio and transcripts sphinxtrain adapts the en-us model with (scripts/adapt-telephone-model):
// what callers say in every grammar context, spoken by the corpus's TUNING voices only, through the
// same telephone channel as the corpus (band-pass, 8 kHz, noise or a harder impairment, G.711 μ-law)
// or, for a share given by --voip-share (default 15 %), a clean VoIP G.711 channel (8 kHz, μ-law only),
// then given the decoder's noise floor (noise-floor.ts, measured on the whole utterance as a whole-utterance
// decode does) and upsampled to 16 kHz by the decoder's own Upsampler8to16, so the features bw sees are made
// as the decoder makes them. Names come from a roll generated with another seed than the
// corpus's, and no surname the held-out manifest says or spells is used: the held-out figure stays clean.
// Deterministic for its seed (same TTS versions → same files).
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { generateRoll } from '../../../roll/generate.js';
import { jurisdictionFor } from '../../../roll/jurisdictions.js';
import { Prng } from '../../../roll/prng.js';
import { NoiseFloor } from '../../audio/noise-floor.js';
import { Upsampler8to16 } from '../../audio/upsampler.js';
import { muLawToPcm, telephoneChannel, type ChannelCondition } from '../../corpus/channel.js';
import { encodeG711 } from '../../../telephony/rtp/g711.js';
import { readRollVoters } from '../../corpus/roll-voters.js';
import { contextUtterance, nameUtterance, uniquelyNamedVoters, type Utterance } from '../../corpus/utterances.js';
import { runTool, speak, ttsVoices, type TtsVoice } from '../../corpus/voices.js';
import { staticGrammarContexts } from '../../grammar/static-grammars.js';
import type { GrammarContext } from '../../recognizer.js';
import { writeSubsetDictionary } from '../dictionary.js';

export interface AdaptationSetOptions {
  out: string;
  utterances: number;
  seed: number;
  /** The corpus's held-out manifest: surnames it says or spells are kept out of the adaptation set. */
  heldOutManifest: string;
  cmudictPath: string;
  workers: number;
  /** Share of utterances through the clean `voip` channel instead of the corpus's PSTN conditions. */
  voipShare: number;
  /** The decoder's noise floor (dB under the speech; POCKETSPHINX_NOISE_FLOOR_DB); null: the audio as heard. */
  noiseFloorBelowSpeechDb: number | null;
  /**
   * Every utterance through this one channel condition instead of the corpus's mix and the VoIP share (the
   * noisy-line transform: `snr10`); absent: the mix.
   */
  condition?: ChannelCondition;
}

export interface AdaptationItem {
  id: string;
  context: GrammarContext;
  text: string;
  /** The words bw aligns (lower case, dictionary spelling). */
  words: string[];
  voice: string;
  condition: AdaptationChannel;
}

/**
 * The corpus's PSTN conditions, plus `voip`: G.711 straight from a softphone or SIP trunk, 8 kHz with no
 * 300 Hz high-pass and no line noise. A transform from PSTN audio alone loses some clean 8 kHz speech
 * (models/README.md has the figures of both).
 */
export type AdaptationChannel = ChannelCondition | 'voip';

/** Not the corpus's roll seed (11): other voters, other name combinations. */
const rollSeed = 23;
const rollVoters = 3000;
/** Names are the hard part and the most varied phonetically: 40 % of the set. */
const nameShare = 0.4;

/** Surnames the held-out part says (its names and spellings): the adaptation set never says them. */
async function heldOutSurnamesOf(manifestPath: string): Promise<Set<string>> {
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { items: Array<{ context: string;
    expected: string; text?: string; }>; };
  const surnames = new Set<string>();
  for (const item of manifest.items) {
    if (item.context === 'spelled') surnames.add(item.expected);
    if (item.context === 'name' && item.text !== undefined) {
      // "first [middle] last of|in city": the word before the preposition is the surname.
      const words = item.text.toLowerCase().split(/\s+/);
      const at = words.findIndex((word) => word === 'of' || word === 'in');
      if (at > 0) surnames.add(words[at - 1] ?? '');
    }
  }
  return surnames;
}

/** Transcript words: lower case, no punctuation, hyphenated names as separate words. */
export function transcriptWords(text: string): string[] {
  return text.toLowerCase().replace(/[,.?!]/g, ' ').split(/[\s-]+/).filter((word) => word.length > 0);
}

/** Outside the VoIP share: the corpus generator's mix (70 % 20 dB SNR, 10 % each harder condition). */
function pickCondition(prng: Prng, voipShare: number): AdaptationChannel {
  const draw = prng.float();
  if (draw < voipShare) return 'voip';
  const roll = (draw - voipShare) / (1 - voipShare);
  return roll < 0.7 ? 'snr20' : roll < 0.8 ? 'snr10' : roll < 0.9 ? 'clipped' : 'packet-loss';
}

/**
 * Names (from voters whose every word CMUdict has: bw aligns only words the dictionary pronounces),
 * then the other contexts in turn. Held-out surnames are never said, so no held-out name is either.
 */
async function chooseUtterances(options: AdaptationSetOptions, work: string, dictPath: string, prng: Prng):
Promise<Utterance[]> {
  const rollPath = join(work, 'adaptation-roll.zip');
  const jurisdiction = jurisdictionFor('iowa');
  await generateRoll({ seed: rollSeed, voters: rollVoters, outputPath: rollPath, jurisdiction });
  const { voters } = await readRollVoters(rollPath, jurisdiction);
  const heldOutSurnames = await heldOutSurnamesOf(options.heldOutManifest);
  // Compound surnames too: no part of one may be a held-out surname.
  const named = uniquelyNamedVoters(voters, prng).filter((voter) => !heldOutSurnames.has(voter.name.last)
    && !voter.name.last.split(/[\s-]+/).some((part) => heldOutSurnames.has(part)));
  const candidates = named.map((voter) => nameUtterance(voter, prng));
  const others: Utterance[] = [];
  const kinds = staticGrammarContexts;
  const nameCount = Math.round(options.utterances * nameShare);
  for (let i = 0; i < options.utterances - nameCount; i++) {
    others.push(contextUtterance(kinds[i % kinds.length] ?? 'command', named, prng));
  }
  const missing = new Set(await writeSubsetDictionary({ cmudictPath: options.cmudictPath, outPath: dictPath,
    words: [...candidates, ...others].flatMap((utterance) => transcriptWords(utterance.text)) }));
  const pronounceable = (utterance: Utterance): boolean =>
    transcriptWords(utterance.text).every((word) => !missing.has(word));
  const names = candidates.filter(pronounceable).slice(0, nameCount);
  const chosen: Utterance[] = [];
  // Interleaved, so every voice says every kind of utterance.
  for (let i = 0; i < Math.max(names.length, others.length); i++) {
    const name = names[i];
    const other = others[i];
    if (name !== undefined) chosen.push(name);
    if (other !== undefined && pronounceable(other)) chosen.push(other);
  }
  return chosen;
}

/**
 * 8 kHz audio as the decoder turns it into its 16 kHz input for a whole utterance: the noise floor measured on
 * all of it (none when `noiseFloorBelowSpeechDb` is null), then Upsampler8to16. Callers pass one of sixteen
 * seeds, not the decoder's one: the transform learns a floor, not one sample of it (and not one seed per
 * utterance: noise-floor.ts keeps each seed's sequence for good).
 */
export function asTheDecoderHears(heard: Int16Array, noiseFloorBelowSpeechDb: number | null, seed: number):
Int16Array {
  const floored = noiseFloorBelowSpeechDb === null ? heard
    : new NoiseFloor({ belowSpeechDb: noiseFloorBelowSpeechDb, measureMs: 0, seed }).whole(heard);
  return new Upsampler8to16().process(floored);
}

/**
 * TTS → telephone band at 8 kHz → channel impairment → μ-law round trip → the decoder's noise floor → the
 * decoder's 16 kHz upsampler.
 */
async function render(item: AdaptationItem, voice: TtsVoice, out: string, work: string, seed: number,
  noiseFloorBelowSpeechDb: number | null): Promise<void> {
  const raw = join(work, 'raw.wav');
  const band = join(work, 'band.wav');
  const textFile = join(work, 'text.txt');
  await writeFile(textFile, item.text);
  await speak(voice, item.text, raw, textFile);
  const band8k = item.condition === 'voip' ? [] : ['sinc', '300-3400'];
  await runTool(['sox', raw, '-b', '16', '-c', '1', band, ...band8k, 'rate', '-v', '8000', 'gain', '-n', '-6']);
  const bandWav = new wavefile.WaveFile(await readFile(band));
  const pcm = Int16Array.from(bandWav.getSamples(false, Int16Array) as unknown as Int16Array);
  const idHash = [...item.id].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) >>> 0, 0);
  const muLaw = item.condition === 'voip' ? new Uint8Array(encodeG711(pcm, 'PCMU'))
    : telephoneChannel(pcm, item.condition, new Prng(seed * 100_003 + idHash));
  const wide = asTheDecoderHears(muLawToPcm(muLaw), noiseFloorBelowSpeechDb, seed * 16 + (idHash % 16));
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, 16_000, '16', wide);
  await writeFile(join(out, 'wav', `${item.id}.wav`), wav.toBuffer());
}

/**
 * Writes `out/wav/*.wav` (16 kHz), `adapt.fileids`, `adapt.transcription`, `adapt.dict` and
 * `adaptation-set.json` (what each file says, which voice and channel). Returns the items written.
 */
export async function makeAdaptationSet(options: AdaptationSetOptions, log: (line: string) => void):
Promise<AdaptationItem[]> {
  const voices = ttsVoices.filter((voice) => !voice.heldOut);
  const prng = new Prng(options.seed);
  const work = await mkdtemp(join(tmpdir(), 'dn-adapt-'));
  try {
    await mkdir(join(options.out, 'wav'), { recursive: true });
    const usable = await chooseUtterances(options, work, join(options.out, 'adapt.dict'), prng);
    log(`${usable.length} utterances`);
    const items: AdaptationItem[] = usable.map((utterance, index) => {
      const voice = voices[index % voices.length] as TtsVoice;
      // Drawn either way, so a fixed condition leaves the rest of the seed's choices as they were.
      const drawn = pickCondition(prng, options.voipShare);
      const condition = options.condition ?? drawn;
      return { id: `${utterance.context}-${String(index).padStart(4, '0')}-${voice.id}-${condition}`,
        context: utterance.context, text: utterance.text, words: transcriptWords(utterance.text), voice: voice.id,
        condition };
    });
    let next = 0;
    let done = 0;
    const worker = async (): Promise<void> => {
      const own = await mkdtemp(join(work, 'worker-'));
      for (let index = next++; index < items.length; index = next++) {
        const item = items[index] as AdaptationItem;
        const voice = voices.find((candidate) => candidate.id === item.voice) as TtsVoice;
        await render(item, voice, options.out, own, options.seed, options.noiseFloorBelowSpeechDb);
        done += 1;
        if (done % 50 === 0 || done === items.length) log(`${done}/${items.length} rendered`);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.workers) }, worker));
    await writeFile(join(options.out, 'adapt.fileids'), items.map((item) => `${item.id}\n`).join(''));
    await writeFile(join(options.out, 'adapt.transcription'),
      items.map((item) => `<s> ${item.words.join(' ')} </s> (${item.id})\n`).join(''));
    await writeFile(join(options.out, 'adaptation-set.json'), `${JSON.stringify(items, null, 1)}\n`);
    return items;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
