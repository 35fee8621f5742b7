// Amounts read aloud on the phone: fixed examples, and every spoken amount parses back to its cents.
import { expect } from 'chai';
import fc from 'fast-check';
import { MoneyInvariantError, parseAmountCents } from '../../../src/core/money/amount.js';
import { numberWords, spokenCents } from '../../../src/core/money/spoken-amount.js';

describe('core/money/spoken-amount: cents read aloud', () => {
  it('says dollars and cents the way the confirmation prompt needs', () => {
    const cases: Array<[number, string]> = [
      [1025, 'ten dollars and twenty-five cents'], [100, 'one dollar'], [1, 'one cent'], [5, 'five cents'],
      [0, 'zero dollars'], [101, 'one dollar and one cent'], [8_975, 'eighty-nine dollars and seventy-five cents'],
      [500_000, 'five thousand dollars'], [123_456_789, 'one million two hundred thirty-four thousand five hundred '
        + 'sixty-seven dollars and eighty-nine cents'], [-250, 'minus two dollars and fifty cents'],
    ];
    for (const [cents, words] of cases) expect(spokenCents(cents), String(cents)).to.equal(words);
  });

  it('names whole numbers, including scales with empty groups', () => {
    expect(numberWords(0)).to.equal('zero');
    expect(numberWords(1_000_005)).to.equal('one million five');
    expect(numberWords(2_000_000_000_000)).to.equal('two trillion');
    expect(numberWords(110)).to.equal('one hundred ten');
  });

  it('every spoken amount parses back to the same cents', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 100_000_000_000 }), (cents) => {
      expect(parseAmountCents(spokenCents(cents), 100_000_000_000)).to.equal(cents);
    }), { numRuns: 2_000 });
  });

  it('refuses fractions and unsafe numbers', () => {
    expect(() => spokenCents(1.5)).to.throw(MoneyInvariantError);
    expect(() => numberWords(-1)).to.throw(MoneyInvariantError);
  });
});
