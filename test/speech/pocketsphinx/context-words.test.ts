// A context's own pronunciations (context-words.ts): the digit strings' narrowband "nine" is a word of the
// digits grammar as the decoder compiles it, never of the phone grammar's, and readings come back in the
// grammar's own words, so every N-best reading of a digit string says "nine", pooled as one.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsgfAcceptor } from '../../../src/speech/grammar/grammar-acceptor.js';
import { jsgfWords } from '../../../src/speech/grammar/grammar-definition.js';
import { loadStaticGrammars } from '../../../src/speech/grammar/static-grammars.js';
import { contextWord, withContextWords } from '../../../src/speech/pocketsphinx/context-words.js';
import { PocketsphinxRecognizer } from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import type { GrammarContext } from '../../../src/speech/recognizer.js';
import { recognize } from '../support/recognize.js';
import { concat, silence, telephoneSpeech } from '../support/telephone-tts.js';

function grammarOf(context: GrammarContext): ReturnType<typeof loadStaticGrammars>[number] {
  const grammar = loadStaticGrammars().find((each) => each.context === context);
  if (grammar === undefined) throw new Error(`no ${context} grammar`);
  return grammar;
}

describe('speech/pocketsphinx: a context\'s own pronunciations', function () {
  this.timeout(180_000);

  it('the digits grammar is compiled with "nine_digits" beside "nine" (/ay n/) and its readings say "nine"', () => {
    const digits = grammarOf('digits');
    const { compiled, spoken } = withContextWords(digits);
    expect(contextWord('nine', 'digits')).to.equal('nine_digits');
    expect(compiled.source).to.include('( nine | nine_digits )');
    expect(compiled.words).to.include.members(['nine', 'nine_digits', 'five', 'help']);
    expect(compiled.pronunciations.get('nine_digits')).to.deep.equal([['AY', 'N']]);
    // The compiled grammar says what the committed one says, and its readings in the committed words.
    const accepts = jsgfAcceptor(compiled.source);
    expect(accepts('four nine_digits nine one')).to.equal(true);
    expect(accepts('four nine_digits_digits')).to.equal(false);
    expect(spoken('nine_digits four nine nine_digits')).to.equal('nine four nine nine');
    expect(jsgfAcceptor(digits.source)(spoken('four nine_digits nine one'))).to.equal(true);
  });

  it('leaves the phone grammar (and any without such a word) exactly as it is', () => {
    for (const context of ['phone', 'amount', 'bill', 'yesno'] as const) {
      const grammar = grammarOf(context);
      const { compiled, spoken } = withContextWords(grammar);
      expect(compiled, context).to.equal(grammar);
      expect(spoken('nine_digits five'), context).to.equal('nine_digits five');
    }
  });

  it('a rule name or a longer word holding the word is not rewritten; comments are dropped', () => {
    const source = '#JSGF V1.0;\n// nine in a comment\ngrammar digits;\n<nine> = nine | ninety;\npublic <all> = <nine>+;\n';
    const { compiled } = withContextWords({ context: 'digits', grammarKey: '', format: 'jsgf', source,
      pronunciations: new Map(), words: jsgfWords(source) });
    expect(compiled.source).to.equal('#JSGF V1.0;\n\ngrammar digits;\n<nine> = ( nine | nine_digits ) | ninety;\n'
      + 'public <all> = <nine>+;\n');
  });

  describe('on a real decoder', () => {
    let dir = '';
    let recognizer: PocketsphinxRecognizer;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'context-words-'));
      recognizer = await PocketsphinxRecognizer.create({ poolSize: 1 });
    });
    after(async () => {
      await recognizer.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('hears "nine five nine" as a digit string in the grammar\'s words, every reading', async () => {
      const audio = concat(silence(500), await telephoneSpeech('nine five nine', 'flite-kal', dir), silence(900));
      const heard = await recognize(recognizer, audio, { context: 'digits', nBest: 10 });
      expect(heard.hypotheses[0]?.text).to.equal('nine five nine');
      expect(heard.hypotheses.length).to.be.greaterThan(0);
      for (const reading of heard.hypotheses) expect(reading.text).to.not.include('_digits');
      // "nine" and "nine_digits" paths of one string are one reading, not two splitting its confidence.
      const texts = heard.hypotheses.map((reading) => reading.text);
      expect(new Set(texts).size).to.equal(texts.length);
    });
  });
});
