// Which of this week's bills the caller's title words mean ("farm credit", "grain storage"): each
// heard keyword counts for the bills whose titles have it, a word few titles share more than a common
// one (inverse document frequency). The best-scoring bills are the answer: one is the bill; several
// tied are offered by key ("Press 1 for …"), as voters sharing a name are.
import { titleKeywords, type TitledBill } from '../speech/grammar/bill-grammar.js';

/** Scores within this share of the best count as tied (floating-point sums of equal words). */
const tieTolerance = 1e-9;

export class BillTitleIndex {
  private readonly keywords: ReadonlyArray<ReadonlySet<string>>;
  private readonly weight = new Map<string, number>();

  constructor(bills: readonly TitledBill[]) {
    this.keywords = bills.map((bill) => new Set(titleKeywords(bill.title)));
    const titlesWith = new Map<string, number>();
    for (const words of this.keywords) {
      for (const word of words) titlesWith.set(word, (titlesWith.get(word) ?? 0) + 1);
    }
    for (const [word, count] of titlesWith) this.weight.set(word, Math.log(1 + bills.length / count));
  }

  /** Positions (in the list given) of the bills the words fit best, in list order; empty when none fits. */
  match(text: string): number[] {
    const heard = new Set(text.split(' ').filter((word) => this.weight.has(word)));
    if (heard.size === 0) return [];
    const scores = this.keywords.map((words) => [...heard].reduce(
      (sum, word) => sum + (words.has(word) ? this.weight.get(word) ?? 0 : 0), 0));
    const best = Math.max(...scores);
    if (best <= 0) return [];
    return scores.flatMap((score, index) => (score >= best * (1 - tieTolerance) ? [index] : []));
  }
}
