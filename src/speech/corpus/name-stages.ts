// Where the name path loses the right voter (issue 4): for each name item of a manifest, stage by stage,
// is the right city among pass 1's cities, the fallback finder's, the cities pass 2 decoded; is the right
// voter in pass 2's readings, and in a decode of the right city's grammar (what pass 2 could do given the
// city); what the matcher decided. Items are run one at a time, so each trace of the name path is its own.
// The separate pass-1 and fallback decodes listen as the path does (same grammars and N-best), on the
// same decoders, so they may differ from the path's own by the decoders' carried channel estimate.
import type { RegisteredVoter } from '../../core/voter.js';
import { voterPhrases } from '../grammar/name-grammar.js';
import { cityOfHypothesis } from '../names/city-finder-grammar.js';
import { citySlug } from '../names/name-roll.js';
import { finderWeightAfterFit } from '../names/reading-fit.js';
import { nameOfReading } from '../names/reading-words.js';
import {
  likelyCities, twoPassDefaults, type NamePassTimings, type TwoPassOptions, type VoterGap,
} from '../names/two-pass-name-recognizer.js';
import type { Hypothesis, Recognizer } from '../recognizer.js';
import { decodeAudioFile } from './audio-file.js';
import type { CorpusEngine } from './engine.js';
import type { Outcome } from './judge.js';
import { audioPath, type Manifest, type ManifestItem } from './manifest.js';
import { recognizePcm, trailingSilenceMsDefault } from './runner.js';

/** One name item, stage by stage. */
export interface NameStageRow {
  audio: string;
  expected: string;
  split: string;
  expectedCity: string;
  /** Pass 1 (the city finder) alone: its likely cities, and whether it ended with no reading at all. */
  pass1Cities: string[];
  pass1NoReading: boolean;
  /** The fallback finder alone (independent slots, best path): the city it names, or null. */
  fallbackCity: string | null;
  /** That decode's reading (the words it heard), or null. */
  fallbackReading: ReadingTrace | null;
  /** The name path itself: whether it asked the fallback finder, the cities pass 2 decoded. */
  pathFallbackUsed: boolean;
  citiesDecoded: string[];
  /** Pass 2 ran (pass 1 ended with some speech and the path reached pass 2). */
  pass2Ran: boolean;
  /** A pass-2 reading names the expected voter (any of the voter's phrases). */
  voterInPass2: boolean;
  /** Decoding the right city's grammar on the same audio: the voter among its readings (pass 2's ceiling). */
  voterInRightCityDecode: boolean;
  /** Pass 2's voter against the fallback finder's free reading, per 10 ms of speech (reading-fit.ts), or null. */
  fitGapPerFrame: number | null;
  /** That gap reached the path's fitGapMin, so the finder's reading was left out of the mixture. */
  finderReadingLeftOut: boolean;
  /** Each decoded city's best voter against the phone loop (phone-loop-confidence.ts); `right`: the one said. */
  voterGaps: Array<VoterGap & { right: boolean }>;
  /** What the gap decided (accept, reject, undecided; '' when pass 2 did not run). */
  phoneLoopDecision: string;
  /** Waiting for the phone loop after pass 2's decodes (0 when off). */
  phoneLoopMs: number;
  /** The agreement check: the live fallback finder's reading and city (null: none heard; undefined: not checked). */
  finderReading?: string | null;
  finderCity?: string | null;
  /** Neither the top voter's city nor its surname was the finder's: the path offered nothing (cityAgreementDefault). */
  cityDisagreed: boolean;
  /** Pass 1's cities found no voter and the finder's other city was tried (NamePassTimings.finderCityTried). */
  finderCityTried: boolean;
  /** How the dispute between the two cities' voters was settled (city-dispute.ts), when it was decoded. */
  dispute?: NamePassTimings['dispute'];
  /** Pass 2 tried again with the first names' short forms (shortFormRetryBelow), and whether its reading won. */
  shortFormRetried: boolean;
  shortFormTaken: boolean;
  /**
   * The path's readings before the mixture (pass-mixture.ts): pass 2's (weighted by city share) and the finders'
   * that named its cities, so a decision rule can be replayed on them without decoding again.
   */
  pass2Readings: ReadingTrace[];
  finderReadings: ReadingTrace[];
  /** Final readings of the path (best first, at most 3) and the matcher's decision. */
  heard: string[];
  outcome: Outcome | 'error';
  note: string;
}

/** A reading as the trace keeps it. */
export interface ReadingTrace {
  text: string;
  confidence: number;
}

function traced(readings: readonly Hypothesis[]): ReadingTrace[] {
  return readings.map((reading) => ({ text: reading.text, confidence: reading.confidence }));
}

export interface NameStageCounts {
  items: number;
  pass1NoReading: number;
  rightCityInPass1: number;
  rightCityInFallback: number;
  fallbackUsed: number;
  rightCityDecoded: number;
  voterInPass2: number;
  voterInRightCityDecode: number;
  finderReadingLeftOut: number;
  phoneLoopAccepted: number;
  phoneLoopRejected: number;
  cityDisagreed: number;
  disputeForOwn: number;
  disputeForFinder: number;
  /** Of those settled, how many by the names said in both cities (the voters having left it unsettled). */
  disputeByCities: number;
  disputeUnsettled: number;
  finderCityTried: number;
  finderCityOffered: number;
  shortFormRetried: number;
  shortFormTaken: number;
  nothingHeard: number;
  correct: number;
  wrongConfident: number;
  rejected: number;
}

const nBest = 5;

/** The name path as the voter's words say it: "first [middle] last" forms, without the place. */
function voterNames(voter: RegisteredVoter): Set<string> {
  const phrases = voterPhrases({ first: voter.name.first, middle: voter.name.middle, last: voter.name.last, city: '' });
  return new Set(phrases.map((phrase) => phrase.join(' ')));
}

function names(readings: readonly Hypothesis[], voter: Set<string>): boolean {
  return readings.some((reading) => voter.has(nameOfReading(reading.text)));
}

async function decode(recognizer: Recognizer, pcm: Int16Array, grammarKey: string, wanted: number):
  Promise<readonly Hypothesis[]> {
  const recognition = await recognizePcm(recognizer, pcm, { context: 'name', grammarKey, nBest: wanted,
    trailingSilenceMs: trailingSilenceMsDefault });
  return recognition.hypotheses;
}

/**
 * The stage table of the manifest's name items. `engine` must have been built with `onNameTimings`
 * writing into `traces` (createCorpusEngine's option), so the path's own trace of each item is read.
 */
export async function nameStageRows(options: { engine: CorpusEngine; manifest: Manifest; manifestPath: string;
  voters: readonly RegisteredVoter[]; traces: NamePassTimings[]; twoPass?: TwoPassOptions;
  onItem?: (done: number, total: number) => void; }): Promise<NameStageRow[]> {
  const { engine } = options;
  const generation = engine.nameGeneration;
  if (generation === null) throw new Error('the engine has no name path (it takes no run-time grammars)');
  const settings = { ...twoPassDefaults, ...options.twoPass };
  const byId = new Map(options.voters.map((voter) => [voter.id, voter]));
  const base = engine.base as Recognizer & { addGrammar(grammar: unknown): void };
  base.addGrammar(generation.cityFinder);
  if (generation.fallbackFinder !== null) base.addGrammar(generation.fallbackFinder);
  const items = (options.manifest.items as ManifestItem[]).filter((item) => item.context === 'name');
  const rows: NameStageRow[] = [];
  for (const item of items) {
    const voter = byId.get(item.expected);
    const row: NameStageRow = { audio: item.audio, expected: item.expected, split: item.split ?? '',
      expectedCity: voter === undefined ? '' : citySlug(voter.city), pass1Cities: [], pass1NoReading: false,
      fallbackCity: null, fallbackReading: null, pathFallbackUsed: false, citiesDecoded: [], pass2Ran: false,
      voterInPass2: false, voterInRightCityDecode: false, fitGapPerFrame: null, finderReadingLeftOut: false,
      voterGaps: [], phoneLoopDecision: '', phoneLoopMs: 0, cityDisagreed: false, finderCityTried: false,
      shortFormRetried: false, shortFormTaken: false, pass2Readings: [], finderReadings: [], heard: [], outcome: 'error',
      note: '' };
    rows.push(row);
    try {
      if (voter === undefined) throw new Error(`expected voter ${item.expected} is not on the roll`);
      const wanted = voterNames(voter);
      const { pcm } = await decodeAudioFile(audioPath(options.manifestPath, item));
      const pass1 = await decode(base, pcm, generation.cityFinder.grammarKey, settings.cityNBest);
      row.pass1NoReading = pass1.length === 0;
      row.pass1Cities = likelyCities(pass1, generation.citySlugs, settings).map((city) => city.slug);
      if (generation.fallbackFinder !== null) {
        const fallback = await decode(base, pcm, generation.fallbackFinder.grammarKey, 1);
        row.fallbackCity = fallback[0] === undefined ? null : cityOfHypothesis(fallback[0].text, generation.citySlugs);
        row.fallbackReading = fallback[0] === undefined ? null : traced(fallback)[0] ?? null;
      }
      const city = await generation.cities.cityGrammar(row.expectedCity);
      if (city !== null) {
        base.addGrammar(city.grammar);
        row.voterInRightCityDecode = names(await decode(base, pcm, city.grammar.grammarKey, 10), wanted);
      }
      options.traces.length = 0;
      const recognition = await recognizePcm(engine.recognizer, pcm, { context: 'name', nBest,
        trailingSilenceMs: trailingSilenceMsDefault });
      const trace = options.traces[0];
      if (trace !== undefined) {
        row.pass2Ran = true;
        row.pathFallbackUsed = trace.fallbackUsed;
        row.citiesDecoded = [...trace.citiesDecoded];
        row.voterInPass2 = names(trace.pass2Readings, wanted);
        row.pass2Readings = traced(trace.pass2Readings);
        row.finderReadings = traced(trace.finderReadings);
        row.fitGapPerFrame = trace.fitGapPerFrame;
        row.finderReadingLeftOut = finderWeightAfterFit(trace.fitGapPerFrame, settings.fitGapMin, 1) === 0;
        row.voterGaps = trace.voterGaps.map((gap) => ({ ...gap, right: wanted.has(nameOfReading(gap.text))
          && gap.city === row.expectedCity }));
        row.phoneLoopDecision = trace.phoneLoopDecision;
        row.phoneLoopMs = trace.phoneLoopMs;
        if (trace.finderReading !== undefined) row.finderReading = trace.finderReading;
        if (trace.finderCity !== undefined) row.finderCity = trace.finderCity;
        row.cityDisagreed = trace.cityDisagreed === true;
        row.finderCityTried = trace.finderCityTried === true;
        if (trace.dispute !== undefined) row.dispute = { ...trace.dispute };
        row.shortFormRetried = (trace.shortFormRetry?.ms ?? 0) > 0;
        row.shortFormTaken = trace.shortFormRetry?.taken === true;
      }
      row.heard = recognition.hypotheses.slice(0, 3).map((hypothesis) =>
        `${hypothesis.text} (${hypothesis.confidence.toFixed(2)})`);
      const judgement = engine.judge.judge('name', item.expected, recognition.hypotheses);
      row.outcome = judgement.outcome;
      row.note = judgement.note ?? '';
    } catch (error) {
      row.note = error instanceof Error ? error.message : String(error);
    }
    options.onItem?.(rows.length, items.length);
  }
  return rows;
}

export function countNameStages(rows: readonly NameStageRow[]): NameStageCounts {
  const count = (test: (row: NameStageRow) => boolean): number => rows.filter(test).length;
  return {
    items: rows.length,
    pass1NoReading: count((row) => row.pass1NoReading),
    rightCityInPass1: count((row) => row.pass1Cities.includes(row.expectedCity)),
    rightCityInFallback: count((row) => row.fallbackCity === row.expectedCity),
    fallbackUsed: count((row) => row.pathFallbackUsed),
    rightCityDecoded: count((row) => row.citiesDecoded.includes(row.expectedCity)),
    voterInPass2: count((row) => row.voterInPass2),
    voterInRightCityDecode: count((row) => row.voterInRightCityDecode),
    finderReadingLeftOut: count((row) => row.finderReadingLeftOut),
    phoneLoopAccepted: count((row) => row.phoneLoopDecision === 'accept'),
    phoneLoopRejected: count((row) => row.phoneLoopDecision === 'reject'),
    cityDisagreed: count((row) => row.cityDisagreed),
    disputeForOwn: count((row) => row.cityDisagreed && row.dispute?.outcome === 'own'),
    disputeForFinder: count((row) => row.cityDisagreed && row.dispute?.outcome === 'finder'),
    disputeByCities: count((row) => row.cityDisagreed && row.dispute?.swappedCities !== undefined
      && row.dispute.outcome !== 'neither'),
    disputeUnsettled: count((row) => row.cityDisagreed && row.dispute?.outcome !== 'own'
      && row.dispute?.outcome !== 'finder'),
    finderCityTried: count((row) => row.finderCityTried),
    finderCityOffered: count((row) => row.finderCityTried && row.dispute?.outcome === 'finder'),
    shortFormRetried: count((row) => row.shortFormRetried),
    shortFormTaken: count((row) => row.shortFormTaken),
    nothingHeard: count((row) => row.heard.length === 0),
    correct: count((row) => row.outcome === 'correct'),
    wrongConfident: count((row) => row.outcome === 'wrong-confident'),
    rejected: count((row) => row.outcome === 'rejected'),
  };
}

const stageLabels: Record<keyof NameStageCounts, string> = {
  items: 'name items',
  pass1NoReading: 'pass 1 ended with no reading',
  rightCityInPass1: 'right city among pass 1\'s cities',
  rightCityInFallback: 'right city named by the fallback finder',
  fallbackUsed: 'the path asked the fallback finder',
  rightCityDecoded: 'right city among the cities pass 2 decoded',
  voterInPass2: 'right voter in pass 2\'s readings',
  voterInRightCityDecode: 'right voter when the right city is decoded (ceiling)',
  finderReadingLeftOut: 'pass 2\'s voter fit as well as the finder\'s reading',
  phoneLoopAccepted: 'the phone loop accepted a city\'s voter',
  phoneLoopRejected: 'the phone loop rejected every voter',
  cityDisagreed: 'the finder heard another city and surname',
  disputeForOwn: '  settled for pass 1\'s city',
  disputeForFinder: '  settled for the finder\'s city',
  disputeByCities: '    of those, by the names said in both cities',
  disputeUnsettled: '  not settled: nothing offered',
  finderCityTried: 'pass 1\'s cities found no voter: the finder\'s city tried',
  finderCityOffered: '  its voter offered (the finder heard a word of it)',
  shortFormRetried: 'pass 2 tried again with short forms (unsure)',
  shortFormTaken: '  that reading was surer and taken',
  nothingHeard: 'nothing heard (no final reading)',
  correct: 'correct',
  wrongConfident: 'wrong-confident',
  rejected: 'rejected',
};

/** "right city among pass 1's cities        30/48" lines, per split. */
export function nameStageLines(rows: readonly NameStageRow[]): string[] {
  const splits = [...new Set(rows.map((row) => row.split))].sort();
  const tables = splits.map((split) => countNameStages(rows.filter((row) => row.split === split)));
  const header = `${'stage'.padEnd(54)}${splits.map((split) => (split === '' ? 'all' : split).padStart(10)).join('')}`;
  const lines = (Object.keys(stageLabels) as Array<keyof NameStageCounts>).map((key) =>
    `${stageLabels[key].padEnd(54)}${tables.map((table) => `${table[key]}/${table.items}`.padStart(10)).join('')}`);
  return [header, ...lines];
}
