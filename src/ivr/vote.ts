// Verb "vote": which bill (said by number, "H R 1 2 3 4", or by title words, "farm credit", or keyed
// as its place on this week's list; "numbers" or # lists them; title words several bills share are
// told apart by key), then yes / no / abstain / absent, then the vote now in force is read back.
import type { Bill } from '../core/bill.js';
import { NotAllowedError } from '../core/caller.js';
import type { GrammarDefinition } from '../speech/grammar/grammar-definition.js';
import { BillTitleIndex } from './bill-by-title.js';
import { billGrammarFor } from './bill-grammars.js';
import { billsOnList } from './bills-on-list.js';
import { billListing, listIndex, spokenBill, voteChoiceKeys, voteReadBack, whichOne } from './choices.js';
import { parseBillNumber, parseCommand, parseVoteValue } from '../speech/parse/index.js';
import type { SpokenAnswers } from './spoken-answer.js';
import { notVerifiedSentence, type IvrSession } from './session.js';
import type { Verb } from './verb.js';

export const listKey = '#';

/** This week's bills in a stable order: newest week first, then by id. */
export async function billsOnTheList(session: Pick<IvrSession, 'context'>): Promise<Bill[]> {
  const bills = await session.context.store.bills();
  return bills.sort((a, b) => b.week.localeCompare(a.week) || a.id.localeCompare(b.id));
}

/** At most this many bills sharing title words are offered (one key each). */
export const sharedTitleChoicesMax = 9;

/** A bill's place on the list, the list itself, or the places of bills whose titles fit equally well. */
export type BillAnswer = number | 'list' | { readonly among: readonly number[] };

/**
 * What a spoken bill means against this week's list: a bill number on the list, title words (one bill,
 * or several to choose from), or "numbers" (the list). A number that is not on the list, or words of
 * no title, are none of the choices, so the caller hears what was heard. With `grammar` (this list's
 * run-time grammar) title words can be heard at all; without it, numbers only.
 */
export function spokenBillChoice(bills: readonly Bill[],
  grammar?: GrammarDefinition | null): SpokenAnswers<BillAnswer> {
  const titles = new BillTitleIndex(bills);
  return {
    context: 'bill',
    ...(grammar == null ? {} : { grammar }),
    narrow: billsOnList(bills.map((bill) => bill.id)),
    interpret: (text) => {
      if (parseCommand(text) === 'numbers') return 'list';
      const id = parseBillNumber(text);
      if (id !== null) {
        const index = bills.findIndex((bill) => bill.id === id);
        return index < 0 ? null : index;
      }
      const fitting = titles.match(text).slice(0, sharedTitleChoicesMax);
      if (fitting.length === 0) return null;
      return fitting.length === 1 ? fitting[0] ?? null : { among: fitting };
    },
    describe: (answer, hypothesis) => {
      if (answer === 'list') return 'numbers';
      if (typeof answer !== 'number') return hypothesis.text;
      // Read back a number as the number; title words as the bill they found, title included.
      return parseBillNumber(hypothesis.text) === null ? spokenBill(bills[answer] ?? emptyBill)
        : spokenBillNumber(bills[answer]);
    },
  };
}

const emptyBill: Bill = { id: '', number: '', title: '', week: '' };

/** Bills whose titles fit the words equally: "Press 1 for H R 2468, Grain Storage …, 2 for …". */
export async function chooseBill(session: IvrSession, bills: readonly Bill[],
  among: readonly number[]): Promise<number> {
  const offered = among.filter((index) => bills[index] !== undefined);
  const labels = offered.map((index) => spokenBill(bills[index] ?? emptyBill));
  const choice = await session.ask({
    prompt: `Several bills fit. ${whichOne(labels)}`, maxKeys: 1, accept: (keys) => listIndex(keys, offered.length),
  });
  const index = offered[choice];
  if (index === undefined) throw new RangeError('listIndex returned an index outside the list');
  return index;
}

/** This list's title grammar when the caller can speak and the engine takes it (built once per list), else none. */
export async function billGrammarOf(session: IvrSession, bills: readonly Bill[]): Promise<GrammarDefinition | null> {
  return session.speaks && session.takesGrammars ? billGrammarFor(bills, session.services.logger) : null;
}

/** The prompt's offer of title words: only when this list's own grammar, which alone hears them, is listening. */
export function titleWordsOffer(grammar: GrammarDefinition | null): string {
  return grammar === null ? '' : ' or words of its title,';
}

function spokenBillNumber(bill: Bill | undefined): string {
  return bill === undefined ? '' : spokenBill({ ...bill, title: '' });
}

/** Asks for a bill by number (spoken) or list index (keyed); '#' or "numbers" reads the list. */
export async function askBill(session: IvrSession, bills: readonly Bill[], action: string): Promise<Bill> {
  const listing = billListing(bills);
  const maxKeys = bills.length <= 9 ? 1 : 2;
  const grammar = await billGrammarOf(session, bills);
  const how = session.speaks
    ? `Say its number, like H R 1 2 3 4,${titleWordsOffer(grammar)} or say numbers to hear the list. `
      + 'Or enter its place on the list.'
    : 'Enter its number on this week\'s list, or press pound to hear the list.';
  const spoken = spokenBillChoice(bills, grammar);
  for (;;) {
    const answer = await session.ask<BillAnswer>({
      prompt: `${action} which bill? ${how}`,
      long: `This week's bills are: ${listing} ${action} which bill? ${how}`,
      simpler: `Press pound to hear the list of bills.`, maxKeys, terminators: listKey,
      accept: (keys) => (keys === '' || keys === listKey ? 'list' : listIndex(keys, bills.length)),
      speech: spoken,
    });
    if (answer !== 'list') {
      const bill = bills[typeof answer === 'number' ? answer : await chooseBill(session, bills, answer.among)];
      if (bill !== undefined) return bill;
    }
    await session.say(`This week's bills are: ${listing}`);
  }
}

export const voteVerb: Verb = {
  name: 'vote',
  async exec(session: IvrSession): Promise<void> {
    const bills = await billsOnTheList(session);
    if (bills.length === 0) {
      await session.say('There are no bills to vote on this week.');
      return;
    }
    const bill = await askBill(session, bills, 'Vote on');
    const choice = await session.ask({
      prompt: session.speaks ? `${spokenBill(bill)}. Say yes, no, abstain or absent, or press 1, 2, 3 or 4.`
        : `${spokenBill(bill)}. Press 1 for yes, 2 for no, 3 to abstain, 4 for absent.`,
      long: `${spokenBill(bill)}. Press 1 to vote yes, 2 to vote no, 3 to abstain, or 4 for absent, `
        + 'which lets your delegate vote for you.',
      simpler: 'Press 1 for yes. Press 2 for no.', maxKeys: 1,
      accept: (keys) => voteChoiceKeys[keys] ?? null,
      speech: { context: 'vote', interpret: parseVoteValue },
    });
    const caller = session.caller;
    try {
      if (caller === null) throw new NotAllowedError('no caller');
      await session.context.democracy.vote(caller, bill.id, choice);
    } catch (error) {
      if (!(error instanceof NotAllowedError)) throw error;
      await session.say(notVerifiedSentence);
      return;
    }
    await session.say(voteReadBack(bill, await session.context.store.voteOf(caller.voterId, bill.id)));
  },
};
