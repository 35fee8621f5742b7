// A manifest's `expected` value in the one form the judge compares with (test-audio/README.md, Manifest).
// Operators write their own manifests: "H.R. 7478", "$10.25", "515-555-0199", "S-M-I-T-H" or "Main menu" name
// the same answers as "hr7478", "1025", "5155550199", "smith" and "menu", and a recognition that got them
// right must not count as a confident mistake because of how the expected value was typed. So each is read
// the way the dialog reads the caller's words (the parsers of src/speech/parse/), after the canonical forms.
// What no reading gives a value for is an error naming the item, not a silently wrong score.
import { billIdFromNumber } from '../../bills/bill-number.js';
import { moneyAmountMaxCentsDefault } from '../../config/config.js';
import { rollVoterId } from '../../core/voter.js';
import {
  parseBillNumber, parseCommand, parseDigits, parsePhoneNumber, parseSpelledLetters, parseSpokenAmount, parseVoteValue,
  parseYesNo,
} from '../parse/index.js';
import type { GrammarContext } from '../recognizer.js';

/** The largest amount the dialog takes by default; the judge's own limit too. */
export const amountCentsMax = moneyAmountMaxCentsDefault;

export type ExpectedValue = { readonly value: string } | { readonly error: string };

/** What a context's expected value looks like, for the error message. */
const examples: Record<GrammarContext, string> = {
  name: 'a REGN_NUM such as 927582995',
  command: 'a menu command such as "tell me about"',
  yesno: '"yes" or "no"',
  vote: '"yes", "no", "abstain" or "absent"',
  bill: 'a bill such as "hr7478" or "H.R. 7478"',
  amount: 'whole cents such as "1025", or dollars such as "$10.25"',
  digits: 'digits such as "407"',
  phone: 'a 10-digit phone number such as "5155550199"',
  spelled: 'letters such as "smith"',
  city: 'a town such as "des moines"',
};

/** The canonical form of `written` for `context`, or why it has none. */
export function expectedValue(context: GrammarContext, written: string): ExpectedValue {
  const value = readExpected(context, written.trim());
  return value === null || value === '' ? { error: `"${written}" is not ${examples[context]}` } : { value };
}

function readExpected(context: GrammarContext, written: string): string | null {
  switch (context) {
    // As the roll import keeps a REGN_NUM ("000123456" is 123456); anything else can match no voter.
    case 'name': return rollVoterId(written) ?? written;
    case 'city': return written.toLowerCase().replace(/\s+/g, ' ');
    case 'command': return parseCommand(written);
    case 'yesno': return parseYesNo(written);
    case 'vote': return parseVoteValue(written);
    case 'bill': {
      // Bills are numbered from 1: "H.R. 0" is a typing mistake, not a bill.
      const id = billIdFromNumber(written) ?? parseBillNumber(written);
      return id === null || /\D0$/.test(id) ? null : id;
    }
    case 'amount': {
      // The contract's form: whole cents. Anything else is read as said or printed ("$10.25", "10.25", "ten
      // dollars"), where a bare number is dollars, so "1025" must be caught first.
      if (/^\d+$/.test(written)) {
        const cents = Number(written);
        // The dialog takes no amount of nothing, nor one above its maximum: such an item could never be right.
        return cents >= 1 && cents <= amountCentsMax ? String(cents) : null;
      }
      const amount = parseSpokenAmount(written, amountCentsMax);
      return 'cents' in amount ? String(amount.cents) : null;
    }
    case 'digits': return parseDigits(written);
    case 'phone': return parsePhoneNumber(written);
    case 'spelled': return spelledExpected(written.toLowerCase());
  }
}

/**
 * As the spelled-letters parser writes them: letters, with the apostrophe and hyphen a caller can say ("o'brien",
 * "smith-jones"). Single letters with separators ("S-M-I-T-H", "s. m. i.") are joined; spoken letter names
 * ("dee oh ee") are read by the parser.
 */
function spelledExpected(lower: string): string | null {
  if (/^[a-z](?:[\s,.-]+[a-z])+[.]?$/.test(lower)) return lower.replace(/[^a-z]/g, '');
  if (/^[a-z][a-z'-]*$/.test(lower)) return lower;
  return parseSpelledLetters(lower);
}
