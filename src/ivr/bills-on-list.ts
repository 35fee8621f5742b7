// A bill number said at the bill question, and what this week's list tells about its readings. Only the
// list's bills can be chosen, so a reading of a number not on it is no answer, and the readings left share
// out its confidence: the engine splits even a clean "h r seven seven" between "seven seven" and "seven
// seventy", and a right bill read back at 0.56 costs the caller a "yes" for nothing.
// Measured on generated bills (corpus runner N-best, telephone transform; each bill put on a list of ten of its
// kind), right bill taken / taken without a read-back / wrong bill taken, as heard → list first. Tuning voices,
// seed 151 (36 bills): 24/2/0 → 24/24/0; seed 152 (48): 32/7/0 → 32/32/0. Held out, seed 153 (40): 26/2/0 →
// 28/28/0.
import { parseBillNumber } from '../speech/parse/index.js';
import type { Hypothesis } from '../speech/recognizer.js';
import { shareOutAmong } from './share-out.js';
import { sureConfidenceDefault, type HeardReadings } from './spoken-answer.js';

/**
 * Below this share of the N-best's confidence the readings left are not shared out: what the engine barely
 * considered does not become a sure answer because every likelier reading was a bill not on the list.
 */
export const onListConfidenceMin = 0.05;

/**
 * The readings the bill question weighs: readings of bill numbers not on the list are dropped and the rest
 * (bills on the list, title words, "numbers", commands) take their confidence, in proportion. As heard when
 * nothing is dropped, when the engine was sure of a bill not on the list (the caller then hears that it is
 * none of the choices), or when what is left holds under onListConfidenceMin.
 */
export function preferBillsOnList(readings: readonly Hypothesis[], onList: Pick<ReadonlySet<string>, 'has'>):
  readonly Hypothesis[] {
  const kept: Hypothesis[] = [];
  const offList = new Map<string, number>();
  for (const reading of readings) {
    const id = parseBillNumber(reading.text);
    if (id === null || onList.has(id)) kept.push(reading);
    else offList.set(id, (offList.get(id) ?? 0) + reading.confidence);
  }
  if (offList.size === 0 || Math.max(...offList.values()) >= sureConfidenceDefault) return readings;
  return shareOutAmong(readings, kept, onListConfidenceMin);
}

/** SpokenAnswers.narrow for the bill question: its readings, given this week's bill ids. */
export function billsOnList(ids: Iterable<string>): (heard: HeardReadings) => Promise<HeardReadings> {
  const onList = new Set(ids);
  return (heard) => Promise.resolve({ ...heard, hypotheses: preferBillsOnList(heard.hypotheses, onList) });
}
