// The bill question's run-time grammar (numbers and this week's title words), built once per bill
// list in each process and rebuilt when the list changes (a new id or title gives a new grammar key).
// Building reads CMUdict for the title words and runs espeak-ng for the rest, so it is shared by every
// call; if it fails, the question listens with the committed number grammar and says why in the log.
import type { Bill } from '../core/bill.js';
import { billGrammarKey, billGrammarWords, buildBillGrammar } from '../speech/grammar/bill-grammar.js';
import type { GrammarDefinition } from '../speech/grammar/grammar-definition.js';
import { titleLexicon } from '../speech/grammar/title-lexicon.js';

export interface BillGrammarLog {
  warn(object: object, message: string): void;
}

let built: { readonly key: string; readonly grammar: Promise<GrammarDefinition | null> } | null = null;

/** This list's grammar, or null when it cannot be built (then numbers only, by the committed grammar). */
export function billGrammarFor(bills: readonly Bill[], log?: BillGrammarLog): Promise<GrammarDefinition | null> {
  const key = billGrammarKey(bills);
  if (built?.key === key) return built.grammar;
  const grammar = (async () => {
    const lexicon = await titleLexicon(billGrammarWords(bills));
    const { grammar: definition, unpronounceable } = buildBillGrammar(bills, lexicon);
    if (unpronounceable.length > 0) {
      log?.warn({ words: unpronounceable }, 'bill title words without a pronunciation are not heard by voice');
    }
    return definition;
  })().catch((error: unknown) => {
    log?.warn({ err: error }, 'building the bill title grammar failed; bills are heard by number only');
    return null;
  });
  built = { key, grammar };
  return grammar;
}
