// What each committed grammar can say, through the acceptor pocketsphinx uses to drop the partial paths
// it falls back to (grammar-acceptor.ts), and the FSG acceptor on a roll-built surname grammar.
import { expect } from 'chai';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fsgAcceptor, grammarAcceptor, jsgfAcceptor } from '../../../src/speech/grammar/grammar-acceptor.js';
import { loadStaticGrammars } from '../../../src/speech/grammar/static-grammars.js';
import { buildSpelledSurnameGrammar } from '../../../src/speech/grammar/spelled-grammar.js';
import { parseBillNumber, parsePhoneNumber, parseSpokenAmount } from '../../../src/speech/parse/index.js';
import { thrown } from '../../support/thrown.js';

const grammars = new Map(loadStaticGrammars().map((grammar) => [grammar.context, grammarAcceptor(grammar)]));
const accepts = (context: string, text: string): boolean => {
  const acceptor = grammars.get(context as never);
  if (acceptor === undefined) throw new Error(`no ${context} grammar`);
  return acceptor(text);
};

describe('speech grammars: what each context can say', () => {
  it('every committed grammar compiles to an acceptor, and help and menu work in each', () => {
    expect([...grammars.keys()]).to.have.members(['command', 'yesno', 'vote', 'bill', 'amount', 'digits', 'phone',
      'spelled']);
    for (const context of grammars.keys()) {
      expect(accepts(context, 'help'), context).to.equal(true);
      expect(accepts(context, 'menu'), context).to.equal(true);
      expect(accepts(context, 'help menu'), context).to.equal(false);
      expect(accepts(context, ''), context).to.equal(false);
    }
  });

  it('phone: exactly ten digits (or a leading one and ten), area code and exchange 2-9, as the parser takes', () => {
    const said = ['five one five five five five zero one nine nine', 'one five one five five five five oh one nine nine',
      'seven one two three eight four two one five eight'];
    for (const text of said) {
      expect(accepts('phone', text), text).to.equal(true);
      expect(parsePhoneNumber(text), text).to.match(/^[2-9]\d\d[2-9]\d{6}$/);
    }
    // Nine digits (the partial path pocketsphinx falls back to), eleven without the 1, area code 1xx, exchange 0xx.
    for (const text of ['one two three eight four two one five eight', 'five one five five five five zero one nine nine one',
      'one one five three four two four five one five', 'five one five zero four two four five one five']) {
      expect(accepts('phone', text), text).to.equal(false);
    }
  });

  it('amount: a unit is always said; "forty thousand and twenty five" alone is not an amount', () => {
    for (const text of ['ten dollars and twenty five cents', 'a hundred and five dollars', 'fifty cents', 'one dollar',
      'two thousand five hundred dollars']) {
      expect(accepts('amount', text), text).to.equal(true);
      expect(parseSpokenAmount(text, 1e8), text).to.have.property('cents');
    }
    for (const text of ['forty thousand and twenty five', 'one hundred dollars and eleven', 'dollars', 'twenty five']) {
      expect(accepts('amount', text), text).to.equal(false);
    }
  });

  it('bill: prefixed numbers in digits, pairs or words, and the parser reads every one', () => {
    const cases: [string, string][] = [['h r one two three four', 'hr1234'], ['h r twelve thirty four', 'hr1234'],
      ['h r nine ninety seven', 'hr997'], ['house resolution five hundred twenty one', 'hres521'],
      ['s j res three', 'sjres3'], ['h r nineteen oh five', 'hr1905'], ['senate bill two thousand five', 's2005'],
      ['h r number twelve', 'hr12']];
    for (const [text, id] of cases) {
      expect(accepts('bill', text), text).to.equal(true);
      expect(parseBillNumber(text), text).to.equal(id);
    }
    // A number without a prefix is no bill the parser reads, so the decoder may not end there.
    for (const text of ['h r', 'house', 'h r twelve help', 'numbers h r one', 'one two three four',
      'eight hundred three three six three']) {
      expect(accepts('bill', text), text).to.equal(false);
    }
    expect(accepts('bill', 'numbers')).to.equal(true);
  });

  it('digits, spelled, commands: loops and phrases, nothing else', () => {
    expect(accepts('digits', 'oh four one two')).to.equal(true);
    expect(accepts('digits', 'three two two three help')).to.equal(false);
    expect(accepts('spelled', 'd o e')).to.equal(true);
    expect(accepts('spelled', 'd o help')).to.equal(false);
    expect(accepts('command', 'tell me about')).to.equal(true);
    expect(accepts('command', 'tell me')).to.equal(false);
  });

  it('JSGF: alternatives at the top are anchored, rules nest, recursion and unknown rules are refused', () => {
    const acceptor = jsgfAcceptor('#JSGF V1.0;\ngrammar t;\n<a> = x | y z;\npublic <top> = <a> [w] | v+;\n');
    expect(['x', 'y z', 'x w', 'v', 'v v v'].map(acceptor)).to.deep.equal([true, true, true, true, true]);
    expect(['y', 'x y z', 'w', 'x v'].map(acceptor)).to.deep.equal([false, false, false, false]);
    expect(() => jsgfAcceptor('#JSGF V1.0;\ngrammar t;\npublic <top> = x <top>;\n')).to.throw(/recursive/);
    expect(() => jsgfAcceptor('#JSGF V1.0;\ngrammar t;\npublic <top> = <nope>;\n')).to.throw(/not defined/);
    expect(() => jsgfAcceptor('#JSGF V1.0;\ngrammar t;\n<a> = x;\n')).to.throw(/no public rule/);
  });

  it('FSG: null transitions are followed, only the final state accepts', () => {
    const acceptor = fsgAcceptor(['FSG_BEGIN t', 'NUM_STATES 4', 'START_STATE 0', 'FINAL_STATE 3',
      'TRANSITION 0 1 0.5 a', 'TRANSITION 0 2 0.5 b', 'TRANSITION 1 3 1.0', 'TRANSITION 2 3 1.0 c', 'FSG_END'].join('\n'));
    expect(['a', 'b c'].map(acceptor)).to.deep.equal([true, true]);
    expect(['b', 'a c', 'c', ''].map(acceptor)).to.deep.equal([false, false, false, false]);
  });
});

describe('speech grammars: spelled surnames from the roll', () => {
  let dir = '';
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'spelled-grammar-')); });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('says each surname letter by letter (punctuation and accents folded), help and menu; no prefix of one', async () => {
    const grammar = await buildSpelledSurnameGrammar({ surnames: ['Smith', "O'Brien", 'Smithers', 'Núñez', 'Smith-Jones',
      '---'], generation: 'gen3', outDir: dir });
    expect(grammar.context).to.equal('spelled');
    expect(grammar.grammarKey).to.equal('gen3/surnames');
    expect(grammar.format).to.equal('fsg');
    expect(grammar.source).to.equal(join(dir, 'gen3', 'spelled-surnames.fsg'));
    expect(grammar.words).to.include.members(['s', 'm', 'i', 't', 'h', 'help', 'menu']);
    expect(await readFile(grammar.source, 'utf8')).to.match(/^FSG_BEGIN spelled_surnames\n/);
    const acceptor = grammarAcceptor(grammar);
    for (const text of ['s m i t h', 's m i t h e r s', 'o b r i e n', 'n u n e z', 's m i t h j o n e s', 'help', 'menu']) {
      expect(acceptor(text), text).to.equal(true);
    }
    for (const text of ['s m i', 's m i t h e', 'o b r i e n s', 'j o n e s', 'help menu']) {
      expect(acceptor(text), text).to.equal(false);
    }
  });

  it('refuses a roll without a surname to spell', async () => {
    const error = await thrown(() => buildSpelledSurnameGrammar({ surnames: ['', "'"], generation: 'gen4', outDir: dir }));
    expect(String(error)).to.match(/no surname to spell/);
  });
});
