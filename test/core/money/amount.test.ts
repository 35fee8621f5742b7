// Amount parsing and formatting: integer cents from digits or spoken English, and clear refusals.
import { expect } from 'chai';
import fc from 'fast-check';
import { AmountError, formatCents, parseAmountCents, parseNumberWords } from '../../../src/core/money/amount.js';

const maxCents = 100_000_000;

describe('core/money/amount: parsing and formatting integer cents', () => {
  it('parses digits with and without a dollar sign, commas and cents', () => {
    const cases: Array<[string, number]> = [
      ['$10.25', 1025], ['10.25', 1025], ['10', 1000], ['$ 7', 700], ['0.05', 5], ['.5', 50], ['1,234.50', 123450],
      ['10.250', 1025], ['12 dollars', 1200], ['  $3.1  ', 310],
    ];
    for (const [text, cents] of cases) expect(parseAmountCents(text, maxCents), text).to.equal(cents);
  });

  it('parses spoken amounts', () => {
    const cases: Array<[string, number]> = [
      ['ten dollars and twenty five cents', 1025], ['ten dollars and twenty-five cents', 1025],
      ['Twenty-five cents', 25], ['one hundred dollars', 10_000], ['a hundred and five dollars', 10_500],
      ['two thousand three hundred forty five dollars and six cents', 234_506], ['five bucks', 500],
      ['10 dollars and 25 cents', 1025], ['seven', 700], ['one million dollars', 100_000_000],
      ['ten dollars twenty', 1020],
    ];
    for (const [text, cents] of cases) expect(parseAmountCents(text, maxCents), text).to.equal(cents);
  });

  it('refuses fractions of a cent, negatives, zero, NaN, words that are not amounts, and too much', () => {
    const cases: Array<[string, RegExp]> = [
      ['10.255', /fraction of a cent/], ['-5', /negative/], ['$-5', /negative/], ['minus five dollars', /negative/],
      ['0', /more than zero/], ['0.00', /more than zero/], ['NaN', /not an amount/], ['', /empty/],
      ['ten potatoes', /not an amount/], ['1e3', /not an amount/], ['$1,000,000.01', /more than the maximum/],
      ['ten dollars and 150 cents', /say dollars/], ['Infinity', /not an amount/], ['12abc', /not an amount/],
    ];
    for (const [text, message] of cases) {
      expect(() => parseAmountCents(text, maxCents), text).to.throw(AmountError, message);
    }
  });

  it('formats cents as dollars', () => {
    expect(formatCents(1025)).to.equal('$10.25');
    expect(formatCents(5)).to.equal('$0.05');
    expect(formatCents(-300)).to.equal('-$3.00');
    expect(formatCents(123_456_789)).to.equal('$1,234,567.89');
    expect(formatCents(100_000)).to.equal('$1,000.00');
    expect(formatCents(99_999)).to.equal('$999.99');
  });

  it('groups thousands as en-US does, across magnitudes', () => {
    for (let digits = 1; digits <= 15; digits += 1) {
      const cents = Number('9'.repeat(digits)) - (digits > 3 ? 1234 : 0);
      const dollars = Math.floor(cents / 100).toLocaleString('en-US');
      expect(formatCents(cents)).to.equal(`$${dollars}.${String(cents % 100).padStart(2, '0')}`);
      expect(formatCents(-cents)).to.equal(`-$${dollars}.${String(cents % 100).padStart(2, '0')}`);
    }
  });

  it('reads number words up to millions', () => {
    expect(parseNumberWords(['nineteen', 'hundred', 'eighty', 'four'])).to.equal(1984);
    expect(parseNumberWords(['three', 'million', 'two', 'thousand', 'one'])).to.equal(3_002_001);
    expect(parseNumberWords(['thousand'])).to.equal(null);
    expect(parseNumberWords(['ten', 'pounds'])).to.equal(null);
  });

  it('reads only numbers said the usual way: "ten fifty" is no number, and never sixty dollars', () => {
    for (const words of ['ten fifty', 'five five', 'one two three', 'twenty thirty', 'nine ninety', 'twenty hundred',
      'one hundred twenty five hundred', 'one thousand thousand', 'thousand million', 'one million thousand',
      'a five', 'one hundred 500', 'zero five']) {
      expect(parseNumberWords(words.split(' ')), words).to.equal(null);
    }
    expect(parseNumberWords(['twelve', 'hundred'])).to.equal(1200);
    expect(parseNumberWords(['twenty', 'five', 'hundred'])).to.equal(2500);
    expect(parseNumberWords(['a', 'thousand'])).to.equal(1000);
    expect(parseNumberWords(['zero'])).to.equal(0);
    expect(() => parseAmountCents('ten fifty', maxCents)).to.throw(AmountError, /not an amount/);
    expect(parseAmountCents('ten dollars fifty cents', maxCents)).to.equal(1050);
  });

  it('reads every number below a million as said in words (property)', () => {
    const units = ['', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
      'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
    const tens = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
    const below1000 = (n: number): string[] => [
      ...(n >= 100 ? [units[Math.floor(n / 100)] ?? '', 'hundred'] : []),
      ...(n % 100 < 20 ? [units[n % 100] ?? ''] : [tens[Math.floor((n % 100) / 10)] ?? '', units[n % 10] ?? '']),
    ].filter((word) => word !== '');
    fc.assert(fc.property(fc.integer({ min: 1, max: 999_999 }), (n) => {
      const words = [...(n >= 1000 ? [...below1000(Math.floor(n / 1000)), 'thousand'] : []), ...below1000(n % 1000)];
      expect(parseNumberWords(words), words.join(' ')).to.equal(n);
    }), { numRuns: 3000 });
  });

  it('round-trips every amount through its formatted text (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: maxCents }), (cents) => {
      expect(parseAmountCents(formatCents(cents), maxCents)).to.equal(cents);
    }), { numRuns: 2000 });
  });
});
