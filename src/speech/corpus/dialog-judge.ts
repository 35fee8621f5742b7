// The judge the corpus runner uses: what the dialog would do with a recognition. Names go through the
// phonetic matcher against the roll (one voter → offered for confirmation; several → chosen by key;
// none, or a lone candidate the matcher was not sure of → asked again); every other context through
// the dialog's parser for it (src/speech/parse/), weighed over the whole N-best the way the dialog's
// questions weigh it (src/ivr/spoken-answer.ts: readings that mean the same answer pool their
// confidence, and a reading the parser cannot read is skipped, so a second reading that fits beats a
// first one that does not).
import { offersSpokenMatch } from '../../ivr/pick-voter.js';
import { spokenTown } from '../../ivr/spoken-town.js';
import { interpretSpeech, type RunnerUp } from '../../ivr/spoken-answer.js';
import { matchName, type NameIndex } from '../matcher/index.js';
import { citySlug } from '../names/name-roll.js';
import {
  parseBillNumber, parseCommand, parseDigits, parsePhoneNumber, parseSpelledLetters, parseSpokenAmount, parseVoteValue,
  parseYesNo,
} from '../parse/index.js';
import type { GrammarContext, Hypothesis, StaticGrammarContext } from '../recognizer.js';
import { amountCentsMax } from './expected-value.js';
import { judgeValue, type CorpusJudge, type Judgement } from './judge.js';

/** The value the dialog takes from the best hypothesis of a non-name prompt, or null (it asks again). */
export function dialogValue(context: StaticGrammarContext, text: string): string | null {
  if (text.trim().length === 0) return null;
  switch (context) {
    case 'command': return parseCommand(text);
    case 'yesno': return parseYesNo(text);
    case 'vote': return parseVoteValue(text);
    case 'bill': return parseBillNumber(text);
    case 'amount': {
      const amount = parseSpokenAmount(text, amountCentsMax);
      return 'cents' in amount ? String(amount.cents) : null;
    }
    case 'digits': return parseDigits(text);
    case 'phone': return parsePhoneNumber(text);
    case 'spelled': return parseSpelledLetters(text);
  }
}

export class DialogJudge implements CorpusJudge {
  /** REGN_NUM → the voter's town slug, built on first use (a town answer or an expected voter). */
  private townOfVoter: Map<string, string> | null = null;

  constructor(private readonly names: NameIndex) {}

  /**
   * As the dialog takes a town answer (spokenTown): a sure town goes on; one read back goes on only if it is
   * the named voter's town (the caller says yes), else the caller says no and hears the runner-up read back,
   * if any, which goes on the same way; otherwise the caller is asked again, as when nothing was heard.
   */
  townTaken(voter: string, hypotheses: readonly Hypothesis[]): string | null {
    const meaning = interpretSpeech(spokenTown, hypotheses);
    if (meaning.kind === 'none') return null;
    if (meaning.kind === 'sure') return meaning.answer;
    return townConfirmed(meaning, this.townsOfVoters().get(voter));
  }

  /** A name item whose voter is not on the roll (a typo, or another roll given) could only be scored wrong. */
  expectedError(context: GrammarContext, expected: string): string | null {
    if (context !== 'name' || this.townsOfVoters().has(expected)) return null;
    return `expected voter ${expected} is not on the roll`;
  }

  private townsOfVoters(): ReadonlyMap<string, string> {
    if (this.townOfVoter === null) {
      this.townOfVoter = new Map();
      for (let row = 0; row < this.names.voterCount; row++) {
        const one = this.names.voter(row);
        this.townOfVoter.set(one.id, citySlug(one.city));
      }
    }
    return this.townOfVoter;
  }

  judge(context: GrammarContext, expected: string, hypotheses: readonly Hypothesis[]): Judgement {
    if (context === 'city') return judgeTown(expected, hypotheses);
    if (context !== 'name') return judgeSpoken(context, expected, hypotheses);
    const match = matchName(this.names, hypotheses);
    const label = (voter: { first: string; last: string; city: string }): string =>
      `${voter.first} ${voter.last} of ${voter.city}`;
    if (match.kind === 'one') {
      return { outcome: match.voter.id === expected ? 'correct' : 'wrong-confident', value: match.voter.id,
        candidates: [{ id: match.voter.id, label: label(match.voter) }] };
    }
    if (match.kind === 'several') {
      const candidates = match.candidates.map((candidate) => ({
        id: candidate.voter.id, label: label(candidate.voter) }));
      const among = candidates.some((candidate) => candidate.id === expected);
      return { outcome: 'rejected', value: null, candidates, note: offersSpokenMatch(match)
        ? `${candidates.length} voters offered to choose from${among ? ', the right one among them' : ', not the right one'}`
        : `1 voter, too poor a fit to offer: asked again${among ? ' (it was the right one)' : ''}` };
    }
    return { outcome: 'rejected', value: null, candidates: [], note: `no voter: ${match.reason}` };
  }
}

/**
 * A town said on its own ('city'): the town the answer's readings pool on (as a spoken answer is weighed), its
 * slug against the expected town's ("Des Moines" and "des moines" are one town).
 */
export function judgeTown(expected: string, hypotheses: readonly Hypothesis[]): Judgement {
  const town = citySlug(expected);
  const meaning = interpretSpeech(spokenTown, hypotheses);
  if (meaning.kind === 'none') return judgeValue(town, null);
  if (meaning.kind === 'sure') return judgeValue(town, meaning.answer);
  // Denied, the runner-up is read back (spokenTown.offerRunnerUp): confirmed there, the dialog ends with it.
  const second = meaning.runnerUp;
  if (second !== undefined && townConfirmed(meaning, town) === second.answer) {
    return { ...judgeValue(town, second.answer), note: `read back: "${meaning.said}", denied; then "${second.said}"` };
  }
  return { ...judgeValue(town, meaning.answer), note: `read back: "${meaning.said}"` };
}

/**
 * What a caller who means `town` confirms of a town answer read back: the town read back first, else the
 * runner-up read back next; null when they deny both (or the caller's town is unknown).
 */
function townConfirmed(meaning: { answer: string; runnerUp?: RunnerUp<string> }, town: string | undefined):
  string | null {
  return [meaning.answer, meaning.runnerUp?.answer].find((offered) => offered !== undefined && offered === town)
    ?? null;
}

/** What a question listening in `context` takes from the N-best: right, wrong (sure or read back) or nothing. */
export function judgeSpoken(context: StaticGrammarContext, expected: string,
  hypotheses: readonly Hypothesis[]): Judgement {
  const meaning = interpretSpeech({ context, interpret: (text) => dialogValue(context, text) }, hypotheses);
  if (meaning.kind === 'none') return judgeValue(expected, null);
  const judged = judgeValue(expected, meaning.answer);
  return meaning.kind === 'sure' ? judged : { ...judged, note: `read back: "${meaning.said}"` };
}
