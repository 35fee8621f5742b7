import { expect } from 'chai';
import {
  parseBillNumber, parseCommand, parseDigits, parsePhoneNumber, parseSpelledLetters, parseSpokenAmount,
  parseVoteValue, parseYesNo,
} from '../../../src/speech/parse/index.js';

describe('spoken input parsers', () => {
  it('yes/no: many phrasings, and refuses mixed or unrelated answers', () => {
    for (const text of ['yes', 'Yeah', 'yep', 'correct', 'right', "that's right", 'yes please', 'sure', 'absolutely',
      'Aye']) {
      expect(parseYesNo(text), text).to.equal('yes');
    }
    for (const text of ['no', 'nope', 'wrong', 'no thank you', "that's not right", 'incorrect', 'Nay', 'absolutely not']) {
      expect(parseYesNo(text), text).to.equal('no');
    }
    for (const text of ['', 'yes no', 'maybe', 'delegate', 'not wrong', 'banana yes']) {
      expect(parseYesNo(text), text).to.equal(null);
    }
  });

  it('vote values: yes, no, abstain and absent, nothing else', () => {
    const cases: [string, string][] = [['yes', 'yes'], ['aye', 'yes'], ['i vote yes', 'yes'], ['no', 'no'],
      ['nay', 'no'], ['against', 'no'], ['abstain', 'abstain'], ['present', 'abstain'], ['absent', 'absent'],
      ['clear my vote', 'absent'], ['let my delegate vote', 'absent'], ['Not Voting', 'absent'],
      ['abstaining', 'abstain']];
    for (const [text, expected] of cases) expect(parseVoteValue(text), text).to.equal(expected);
    for (const text of ['', 'yes and no', 'vote', 'ames']) expect(parseVoteValue(text), text).to.equal(null);
  });

  it('bill numbers: letters and digits, pairs, words, and long names → the bill id form', () => {
    const cases: [string, string][] = [
      ['h r one two three four', 'hr1234'], ['h r twelve thirty four', 'hr1234'], ['house resolution 5', 'hres5'],
      ['house resolution five', 'hres5'], ['h res 5', 'hres5'], ['s 12', 's12'], ['senate bill twelve', 's12'],
      ['H.R. 1234', 'hr1234'], ['h r one hundred', 'hr100'], ['h r nineteen oh five', 'hr1905'],
      ['house joint resolution seven', 'hjres7'], ['s j res 3', 'sjres3'], ['h r 1 2 3', 'hr123'],
      ['senate resolution forty two', 'sres42'], ['h r twelve thirty', 'hr1230'], ['s twenty thirty', 's2030'],
      ['h r nine ninety seven', 'hr997'], ['h r three thousand and five', 'hr3005'], ['h r one oh five', 'hr105'],
      ['h r nineteen hundred eighty four', 'hr1984'],
    ];
    for (const [text, expected] of cases) expect(parseBillNumber(text), text).to.equal(expected);
    for (const text of ['', 'h r', 'h r zero', 'twelve', 'x 12', 'h r one two three four five six', 'h r banana',
      'h r twelve twelve thirty', 'h r thousand', 'h r five hundred and', 'h r ninety ninety ninety']) {
      expect(parseBillNumber(text), text).to.equal(null);
    }
  });

  it('digits: oh as zero, double, numerals and keyed strings', () => {
    expect(parseDigits('five oh one')).to.equal('501');
    expect(parseDigits('double five zero')).to.equal('550');
    expect(parseDigits('5 1 5')).to.equal('515');
    expect(parseDigits('50010')).to.equal('50010');
    expect(parseDigits('five banana')).to.equal(null);
    expect(parseDigits('double')).to.equal(null);
    expect(parseDigits('')).to.equal(null);
  });

  it('phone numbers: spoken in one run or in groups, keyed, with a leading 1; NANP-invalid ones refused', () => {
    const cases = ['five one five five five five oh one two three', 'five one five, five five five, oh one two three',
      '515-555-0123', '(515) 555 0123', 'one five one five five five five zero one two three', '5155550123',
      'five one five triple five oh one two three'];
    for (const text of cases) expect(parsePhoneNumber(text), text).to.equal('5155550123');
    // Pairs, round numbers and lead-in words, as numbers are also said.
    const said: [string, string][] = [['five one five, five five five, oh one ninety nine', '5155550199'],
      ['five fifteen five five five twelve thirty four', '5155551234'],
      ['five one five five five five twenty one hundred', '5155552100'],
      ['five one five five five five eight thousand', '5155558000'],
      ['area code five one five, five five five oh one two three', '5155550123'],
      ['my number is 515 555 0123', '5155550123']];
    for (const [text, phone] of said) expect(parsePhoneNumber(text), text).to.equal(phone);
    for (const text of ['five five five oh one two three', '015 555 0123', '515 155 0123', '5155550123 4', 'hello',
      'five one five five five five hundred', 'five one five five five five thousand one two three', 'area code']) {
      expect(parsePhoneNumber(text), text).to.equal(null);
    }
  });

  it('spelled letters: single letters, letter names, NATO words, double', () => {
    expect(parseSpelledLetters('d o e')).to.equal('doe');
    expect(parseSpelledLetters('dee oh ee')).to.equal('doe');
    expect(parseSpelledLetters('delta oscar echo')).to.equal('doe');
    expect(parseSpelledLetters('b e double l')).to.equal('bell');
    expect(parseSpelledLetters("o apostrophe b r i e n")).to.equal("o'brien");
    expect(parseSpelledLetters('s m i t h dash j o n e s')).to.equal('smith-jones');
    for (const text of ['', 'smith', 'd o banana', 'double']) expect(parseSpelledLetters(text), text).to.equal(null);
  });

  it('commands: every menu command, with synonyms and polite padding', () => {
    const cases: [string, string][] = [['help', 'help'], ['main menu', 'menu'], ['please go to the main menu', 'menu'],
      ['money', 'money'], ['my balance', 'money'], ['politics', 'politics'], ['delegate', 'delegate'],
      ['vote', 'vote'], ['audit', 'audit'], ['recall', 'recall'], ['register', 'register'], ['sign me up', 'register'],
      ['tell me about', 'tell me about'], ['numbers', 'numbers'], ['me', 'me'], ['um audit', 'audit']];
    for (const [text, expected] of cases) expect(parseCommand(text), text).to.equal(expected);
    for (const text of ['', 'banana', 'vote audit', 'please']) expect(parseCommand(text), text).to.equal(null);
  });

  it('amounts: the money core phrasings plus bucks and implied cents; errors are reported, not thrown', () => {
    const max = 1_000_000;
    expect(parseSpokenAmount('ten dollars and twenty five cents', max)).to.deep.equal({ cents: 1025 });
    expect(parseSpokenAmount('five bucks', max)).to.deep.equal({ cents: 500 });
    expect(parseSpokenAmount('a buck', max)).to.deep.equal({ cents: 100 });
    expect(parseSpokenAmount('one dollar fifty', max)).to.deep.equal({ cents: 150 });
    expect(parseSpokenAmount('twenty five cents', max)).to.deep.equal({ cents: 25 });
    for (const text of ['', 'banana', 'minus five dollars', 'one million dollars']) {
      const result = parseSpokenAmount(text, max);
      expect(result, text).to.have.property('error').that.is.a('string').with.length.greaterThan(0);
    }
  });
});
