// The swapped-city test of a dispute (city-dispute.ts, settleBySwappedCities): each side's voter's name is said
// in both cities and aligned alone on the utterance, so the four fits differ, pairwise, only by the city's words.
import type { RecognizeOptions } from '../recognizer.js';
import { leadPerFrame, type SwappedCityLeads } from './city-dispute.js';
import type { NameGeneration } from './name-generation.js';
import { alignReading } from './reading-fit.js';
import { readingSaidIn } from './reading-words.js';
import type { GrammarRecognizer } from './two-pass-name-recognizer.js';

/**
 * Both voters' names aligned in both cities (four one-path decodes of the kept audio). Null when the engine
 * cannot align (no path scores, or grammars it cannot forget: the remote workers), a word has no pronunciation,
 * or an alignment found no path.
 */
export async function swappedCityLeads(base: GrammarRecognizer, generation: NameGeneration, options: RecognizeOptions,
  audio: readonly Int16Array[], voters: { own: string; finder: string },
  cities: { own: string; finder: string }): Promise<SwappedCityLeads | null> {
  if (base.removeGrammar === undefined) return null;
  // Each voter's words are in its own city's grammar, each city's words in that city's.
  const built = await Promise.all([cities.own, cities.finder].map(async (slug) => generation.cities.cityGrammar(slug)));
  const pronunciations = new Map(built.flatMap((city) => [...(city?.grammar.pronunciations ?? [])]));
  const inOwn = cities.own.split('-');
  const inFinder = cities.finder.split('-');
  const texts = [voters.own, voters.finder]
    .flatMap((voter) => [readingSaidIn(voter, inOwn), readingSaidIn(voter, inFinder)]);
  const fits = await Promise.all(texts.map(async (text) =>
    alignReading(base, audio, text, options, generation.generation, pronunciations, true)));
  const ownName = leadPerFrame(fits[0]?.acoustic, fits[1]?.acoustic);
  const finderName = leadPerFrame(fits[2]?.acoustic, fits[3]?.acoustic);
  return ownName === null || finderName === null ? null : { ownName, finderName };
}
