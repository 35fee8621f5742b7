// Verb "audit": whose (me, or another voter by keyed phone), on which bill (or all), then the
// audit sentences (auditReport). Anyone may listen, verified or not (SPEC §2).
import { auditReport } from '../app/tally-service.js';
import type { Bill } from '../core/bill.js';
import type { VoterId } from '../core/voter.js';
import { listIndex, menuChoice } from './choices.js';
import { pickVoter } from './pick-voter.js';
import type { IvrSession } from './session.js';
import { auditLinesSpokenMax, type Verb } from './verb.js';
import {
  billGrammarOf, billsOnTheList, chooseBill, spokenBillChoice, titleWordsOffer, type BillAnswer,
} from './vote.js';

async function whose(session: IvrSession): Promise<VoterId | null> {
  const choice = await session.ask({
    prompt: 'Press 1 for your own audit, 2 for another voter.',
    long: 'An audit tells whose vote counts for whom. Press 1 to audit your own vote. '
      + 'Press 2 to audit another voter, by name or phone number.',
    maxKeys: 1, accept: (keys) => menuChoice(keys, { 1: 'me', 2: 'other' } as const),
  });
  if (choice === 'other') return (await pickVoter(session, 'the voter to audit'))?.id ?? null;
  const caller = session.caller;
  if (caller === null || caller.voterId.length === 0) {
    await session.say('I could not tell who you are from this call, so I cannot audit your own vote.');
    return null;
  }
  return caller.voterId;
}

async function whichBill(session: IvrSession, bills: readonly Bill[]): Promise<Bill | null> {
  if (bills.length === 0) return null;
  const grammar = await billGrammarOf(session, bills);
  const spoken = spokenBillChoice(bills, grammar);
  const index = await session.ask<Exclude<BillAnswer, 'list'> | 'all'>({
    prompt: session.speaks
      ? `Say a bill's number, like H R 1 2 3 4,${titleWordsOffer(grammar)} or enter its place on this week's list, `
        + 'or press pound for all bills.'
      : 'Enter a bill\'s number on this week\'s list, or press pound for all bills.',
    maxKeys: bills.length <= 9 ? 1 : 2, terminators: '#',
    accept: (keys) => (keys === '' || keys === '#' ? 'all' : listIndex(keys, bills.length)),
    // "numbers" (the whole list) means all bills here.
    speech: {
      context: spoken.context,
      ...(spoken.grammar === undefined ? {} : { grammar: spoken.grammar }),
      interpret: (text, hypothesis) => {
        const answer = spoken.interpret(text, hypothesis);
        return answer === 'list' ? 'all' : answer;
      },
      describe: (answer, hypothesis) => (answer === 'all' ? 'all bills' : spoken.describe?.(answer, hypothesis) ?? ''),
    },
  });
  if (index === 'all') return null;
  return bills[typeof index === 'number' ? index : await chooseBill(session, bills, index.among)] ?? null;
}

export const auditVerb: Verb = {
  name: 'audit',
  async exec(session: IvrSession): Promise<void> {
    const voter = await whose(session);
    if (voter === null) return;
    const bill = await whichBill(session, await billsOnTheList(session));
    const report = await auditReport(session.context, voter, bill?.id ?? null, null);
    const lines = report.lines.slice(0, auditLinesSpokenMax);
    if (lines.length === 0) await session.say('There is nothing to report.');
    for (const line of lines) await session.say(line);
  },
};
