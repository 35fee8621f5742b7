// A manifest's expected values as operators type them: every form the dialog would read comes out as the one
// the judge compares with, and what no form reads is a clear error of that item in the run's report.
import { expect } from 'chai';
import { expectedValue } from '../../../src/speech/corpus/expected-value.js';
import { ManifestError, parseManifest } from '../../../src/speech/corpus/manifest.js';
import type { GrammarContext } from '../../../src/speech/recognizer.js';

const read = (context: GrammarContext, written: string): string | null => {
  const value = expectedValue(context, written);
  return 'value' in value ? value.value : null;
};

describe('speech corpus: expected values as written', () => {
  it('keeps the canonical forms as they are', () => {
    const canonical: Array<[GrammarContext, string]> = [['name', '927582995'], ['command', 'tell me about'],
      ['yesno', 'no'], ['vote', 'absent'], ['bill', 'hr7478'], ['bill', 'hjres5'], ['amount', '1025'],
      ['digits', '0407'], ['phone', '5155550199'], ['spelled', 'smith'], ['spelled', "o'brien"],
      ['spelled', 'smith-jones'], ['city', 'des moines']];
    for (const [context, value] of canonical) expect(read(context, value), `${context} ${value}`).to.equal(value);
  });

  it('reads other written forms as the dialog reads the words', () => {
    const written: Array<[GrammarContext, string, string]> = [
      ['name', ' 927582995 ', '927582995'], ['name', '000123456', '123456'],
      ['command', 'Tell me about', 'tell me about'], ['command', 'Main menu', 'menu'], ['command', 'AUDIT.', 'audit'],
      ['yesno', 'Yes', 'yes'], ['yesno', 'yeah', 'yes'],
      ['vote', 'Yea', 'yes'], ['vote', 'Nay', 'no'], ['vote', 'Abstain', 'abstain'],
      ['bill', 'H.R. 7478', 'hr7478'], ['bill', 'HR 7478', 'hr7478'], ['bill', 'H.Res. 12', 'hres12'],
      ['bill', 'house resolution twelve', 'hres12'], ['bill', 'h r seven four seven eight', 'hr7478'],
      ['amount', '$10.25', '1025'], ['amount', '10.25', '1025'], ['amount', '$10', '1000'], ['amount', '007', '7'],
      ['amount', 'ten dollars and twenty five cents', '1025'],
      ['digits', '4 0 7', '407'], ['digits', '4-0-7', '407'], ['digits', 'four oh seven', '407'],
      ['phone', '515-555-0199', '5155550199'], ['phone', '(515) 555-0199', '5155550199'],
      ['phone', '+1 515 555 0199', '5155550199'],
      ['spelled', 'SMITH', 'smith'], ['spelled', 'S-M-I-T-H', 'smith'], ['spelled', 'S, M, I, T, H', 'smith'],
      ['spelled', 's. m. i. t. h.', 'smith'], ['spelled', 'dee oh ee', 'doe'],
      ['city', '  Des   Moines ', 'des moines'],
    ];
    for (const [context, text, value] of written) expect(read(context, text), `${context} "${text}"`).to.equal(value);
  });

  it('refuses what no form reads, saying what the context wants', () => {
    const refused: Array<[GrammarContext, string, RegExp]> = [
      ['bill', 'banana', /"banana" is not a bill such as "hr7478"/], ['bill', 'hr0', /not a bill/],
      ['amount', '-5', /not whole cents/], ['amount', '200000000', /not whole cents/], ['amount', '0', /not whole cents/],
      ['amount', 'lots', /not whole cents/], ['phone', '555-0199', /not a 10-digit phone number/],
      ['digits', 'four and seven', /not digits/], ['yesno', 'maybe', /not "yes" or "no"/],
      ['vote', 'perhaps', /not "yes", "no", "abstain" or "absent"/], ['command', 'weather', /not a menu command/],
      ['spelled', 's m 1 t h', /not letters/], ['name', '   ', /not a REGN_NUM/], ['city', ' ', /not a town/],
    ];
    for (const [context, text, message] of refused) {
      const value = expectedValue(context, text);
      expect('error' in value ? value.error : `read as ${value.value}`, `${context} "${text}"`).to.match(message);
    }
  });

  it('a manifest holds the canonical values (numbers too); one nothing reads is marked as that item\'s error', () => {
    const manifest = parseManifest(JSON.stringify({ items: [
      { audio: 'a.wav', context: 'bill', expected: 'H.R. 7478' },
      { audio: 'b.wav', context: 'amount', expected: '$10.25' },
      { audio: 'c.wav', context: 'phone', expected: '(515) 555-0199' },
    ] }), 'm.json');
    expect(manifest.items.map((item) => item.expected)).to.deep.equal(['hr7478', '1025', '5155550199']);
    // The report shows how each was written beside it.
    expect(manifest.items.map((item) => item.expectedAsWritten)).to.deep.equal(['H.R. 7478', '$10.25', '(515) 555-0199']);
    const canonical = parseManifest(JSON.stringify({ items: [{ audio: 'a.wav', context: 'bill', expected: 'hr1' }] }), 'm');
    expect(canonical.items[0]).to.not.have.property('expectedAsWritten');
    // As JSON writers and Windows editors leave them: numbers for REGN_NUMs and amounts, a byte-order mark, and
    // contexts in capitals.
    const numbers = parseManifest(`\uFEFF${JSON.stringify({ items: [
      { audio: 'a.wav', context: ' Name ', expected: 927582995 }, { audio: 'b.wav', context: 'AMOUNT', expected: 10.25 },
      { audio: 'c.wav', context: 'amount', expected: 1025 }] })}`, 'm.json');
    expect(numbers.items.map((item) => item.expected)).to.deep.equal(['927582995', '1025', '1025']);
    expect(numbers.items.map((item) => item.context)).to.deep.equal(['name', 'amount', 'amount']);
    // One value nothing reads is that item's error (the runner reports it), not the whole manifest's.
    const odd = parseManifest(JSON.stringify({ items: [{ audio: 'a.wav', context: 'yesno', expected: 'yes' },
      { audio: 'b.wav', context: 'bill', expected: 'banana' }] }), 'm.json');
    expect(odd.items.map((item) => item.expectedError)).to.deep.equal([undefined,
      '"banana" is not a bill such as "hr7478" or "H.R. 7478"']);
    expect(() => parseManifest(JSON.stringify({ items: [{ audio: 'a.wav', context: 'bill' }] }), 'm.json'))
      .to.throw(ManifestError, /items\.0\.expected/);
  });
});
