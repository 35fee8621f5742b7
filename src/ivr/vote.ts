// Verb "vote": which bill (said by number, "H R 1 2 3 4", or keyed as its place on this week's list;
// "numbers" or # lists them), then yes / no / abstain / absent, then the vote now in force is read back.
import type { Bill } from '../core/bill.js';
import { NotAllowedError } from '../core/caller.js';
import { billListing, listIndex, spokenBill, voteChoiceKeys, voteReadBack } from './choices.js';
import { parseBillNumber, parseCommand, parseVoteValue } from '../speech/parse/index.js';
import type { SpokenAnswers } from './spoken-answer.js';
import { notVerifiedSentence, type IvrSession } from './session.js';
import type { Verb } from './verb.js';

export const listKey = '#';

/** This week's bills in a stable order: newest week first, then by id. */
export async function billsOnTheList(session: IvrSession): Promise<Bill[]> {
  const bills = await session.context.store.bills();
  return bills.sort((a, b) => b.week.localeCompare(a.week) || a.id.localeCompare(b.id));
}

/**
 * What a spoken bill means against this week's list: a bill number on the list, or "numbers" (the
 * list). A number that is not on the list is none of the choices, so the caller hears what was heard.
 */
export function spokenBillChoice(bills: readonly Bill[]): SpokenAnswers<number | 'list'> {
  return {
    context: 'bill',
    interpret: (text) => {
      if (parseCommand(text) === 'numbers') return 'list';
      const id = parseBillNumber(text);
      const index = id === null ? -1 : bills.findIndex((bill) => bill.id === id);
      return index < 0 ? null : index;
    },
    describe: (answer) => (answer === 'list' ? 'numbers' : spokenBillNumber(bills[answer])),
  };
}

function spokenBillNumber(bill: Bill | undefined): string {
  return bill === undefined ? '' : spokenBill({ ...bill, title: '' });
}

/** Asks for a bill by number (spoken) or list index (keyed); '#' or "numbers" reads the list. */
export async function askBill(session: IvrSession, bills: readonly Bill[], action: string): Promise<Bill> {
  const listing = billListing(bills);
  const maxKeys = bills.length <= 9 ? 1 : 2;
  const how = session.speaks
    ? 'Say its number, like H R 1 2 3 4, or say numbers to hear the list. Or enter its place on the list.'
    : 'Enter its number on this week\'s list, or press pound to hear the list.';
  for (;;) {
    const answer = await session.ask<number | 'list'>({
      prompt: `${action} which bill? ${how}`,
      long: `This week's bills are: ${listing} ${action} which bill? ${how}`,
      simpler: `Press pound to hear the list of bills.`, maxKeys, terminators: listKey,
      accept: (keys) => (keys === '' || keys === listKey ? 'list' : listIndex(keys, bills.length)),
      speech: spokenBillChoice(bills),
    });
    if (answer !== 'list') {
      const bill = bills[answer];
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
