// The bill grammar (grammars/bill.gram) says a number exactly the ways the bill parser reads one
// (src/speech/parse/bill-number.ts): every word string over the number words, up to three words whole and
// longer ones sampled, is in the grammar if and only if the parser reads a bill from it. A reading the
// parser cannot read is a re-ask the grammar should never have let the decoder fit.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Prng } from '../../../src/roll/prng.js';
import { jsgfAcceptor } from '../../../src/speech/grammar/grammar-acceptor.js';
import { grammarsDir } from '../../../src/speech/grammar/static-grammars.js';
import { parseBillNumber } from '../../../src/speech/parse/bill-number.js';

const numberWords = ['zero', 'oh', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten',
  'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty',
  'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety', 'hundred', 'thousand', 'and'];

describe('speech grammar: bill numbers as the parser reads them', () => {
  const accepts = jsgfAcceptor(readFileSync(join(grammarsDir(), 'bill.gram'), 'utf8'));
  /** A string of zeros says bill 0, which is no bill: the grammar cannot tell it from other digit strings. */
  const allZero = (words: readonly string[]): boolean => words.every((word) => word === 'zero' || word === 'oh');
  const agree = (words: readonly string[]): void => {
    const text = `h r ${words.join(' ')}`;
    const read = parseBillNumber(text) !== null;
    if (allZero(words)) expect(read, text).to.equal(false);
    else expect(accepts(text), `${text}: parser ${read ? 'reads' : 'cannot read'} it`).to.equal(read);
  };

  it('says the ways callers say a bill, and not mixtures no one says', () => {
    for (const said of ['h r one two three four', 'house resolution five hundred twenty one', 'h r twelve thirty four',
      'h r nineteen oh five', 's five', 'h r three thousand five hundred sixty nine', 'house bill forty two',
      'h res ninety nine thousand nine hundred ninety nine', 'h r number seven', 'numbers', 'menu']) {
      expect(accepts(said), said).to.equal(true);
    }
    for (const noise of ['h r thirty five six nine', 'h r twelve twelve one ten', 'h r one two three four five six',
      'h r five hundred thousand', 'h r forty two seven']) {
      expect(accepts(noise), noise).to.equal(false);
      expect(parseBillNumber(noise), noise).to.equal(null);
    }
  });

  it('every string of one to three number words: in the grammar if and only if the parser reads it', () => {
    let read = 0;
    for (const a of numberWords) {
      agree([a]);
      for (const b of numberWords) {
        agree([a, b]);
        for (const c of numberWords) {
          agree([a, b, c]);
          if (parseBillNumber(`h r ${a} ${b} ${c}`) !== null) read += 1;
        }
      }
    }
    expect(read, 'three-word numbers the parser reads (so the check is not vacuous)').to.be.above(1000);
  });

  it('20,000 strings of four to seven number words, drawn at random: the same', () => {
    const prng = new Prng(20_261_205);
    let read = 0;
    for (let draw = 0; draw < 20_000; draw += 1) {
      // Half from digits and "oh" only, so digit strings of every length come up often.
      const pool = draw % 2 === 0 ? numberWords.slice(0, 11) : numberWords;
      const words = Array.from({ length: 4 + prng.int(4) }, () => prng.pick(pool));
      agree(words);
      if (parseBillNumber(`h r ${words.join(' ')}`) !== null) read += 1;
    }
    expect(read).to.be.above(1000);
  });
});
