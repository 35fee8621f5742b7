// Matchable voters drawn from the sample-roll generator (src/roll/sample-voters.ts) without writing a
// ZIP: the benchmark and the property tests need millions of realistic names quickly.
import { cleanText } from '../../roll/normalize.js';
import { jurisdictionFor } from '../../roll/jurisdictions.js';
import { Prng } from '../../roll/prng.js';
import { loadSampleNames } from '../../roll/sample-names.js';
import { SampleVoterSource } from '../../roll/sample-voters.js';
import type { MatchableVoter } from './name-index.js';

export function* sampleMatchableVoters(count: number, seed: number): Generator<MatchableVoter> {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`bad voter count ${count}`);
  const jurisdiction = jurisdictionFor('iowa');
  const source = new SampleVoterSource(jurisdiction, loadSampleNames(), new Prng(seed));
  for (let made = 0; made < count; made += 1) {
    const voter = source.next();
    yield {
      id: voter.regnNum,
      first: cleanText(voter.first),
      middle: cleanText(voter.middle),
      last: cleanText(voter.last),
      suffix: cleanText(voter.suffix),
      city: cleanText(voter.place.city),
      county: cleanText(voter.place.county),
      zip: voter.zip,
      street: cleanText([voter.preDirection, voter.streetName, voter.streetType].filter(Boolean).join(' ')),
    };
  }
}
