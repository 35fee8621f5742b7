import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CmudictParseError, debianCmudictPath, loadCmudict, parseCmudict, parseCmudictLine,
} from '../../../src/speech/lexicon/cmudict.js';
import { MapLexicon, chainLexicons, emptyLexicon } from '../../../src/speech/lexicon/lexicon.js';
import { thrown } from '../../support/thrown.js';

describe('CMUdict parser', () => {
  it('reads the Debian form: lower case, no stress, (2) variants after the base entry', () => {
    const lexicon = parseCmudict('smith S M IH TH\nsmyth S M IH TH\nsmyth(2) S M AY TH\n');
    expect(lexicon.pronunciations('smyth')).to.deep.equal([['S', 'M', 'IH', 'TH'], ['S', 'M', 'AY', 'TH']]);
    expect(lexicon.pronunciations('SMITH')).to.deep.equal([['S', 'M', 'IH', 'TH']]);
    expect(lexicon.size).to.equal(2);
  });

  it('reads the upstream form: upper case, stress digits, ;;; comments and # trailing comments', () => {
    const text = ';;; # CMUdict  --  Major Version: 0.07\nJONES  JH OW1 N Z\nJONES(1) JH OW1 N S # rare\n\n';
    const lexicon = parseCmudict(text);
    expect(lexicon.pronunciations('jones')).to.deep.equal([['JH', 'OW', 'N', 'Z'], ['JH', 'OW', 'N', 'S']]);
  });

  it('skips blank and comment lines, keeps apostrophes in words', () => {
    expect(parseCmudictLine('   ', 1)).to.equal(null);
    expect(parseCmudictLine(';;; note', 2)).to.equal(null);
    expect(parseCmudictLine("o'brien OW B R AY AH N", 3)).to.deep.equal({
      word: "o'brien", phones: ['OW', 'B', 'R', 'AY', 'AH', 'N'],
    });
  });

  it('rejects a word without phones and an unknown phone, naming the line', () => {
    expect(() => parseCmudictLine('lonely', 7)).to.throw(CmudictParseError, /line 7: a word without phones/);
    expect(() => parseCmudict('ok OW K EY\nbad B QQ D\n')).to.throw(CmudictParseError, /line 2: unknown phone "QQ"/);
  });

  it('loads a file and says which package to install when it is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cmudict-'));
    try {
      await writeFile(join(dir, 'mini.dict'), 'ames EY M Z\n');
      expect((await loadCmudict(join(dir, 'mini.dict'))).pronunciations('ames')).to.deep.equal([['EY', 'M', 'Z']]);
      const error = await thrown(() => loadCmudict(join(dir, 'absent.dict')));
      expect((error as Error).message).to.match(/install the Debian package pocketsphinx-en-us/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('loads the Debian dictionary (pocketsphinx-en-us) with roll names and variants', async function () {
    if (!existsSync(debianCmudictPath)) {
      console.log(`      skipped: ${debianCmudictPath} absent (scripts/setup installs pocketsphinx-en-us)`);
      this.skip();
    }
    const lexicon = await loadCmudict();
    expect(lexicon.size).to.be.greaterThan(100_000);
    expect(lexicon.pronunciations('ames')[0]).to.deep.equal(['EY', 'M', 'Z']);
    expect(lexicon.pronunciations('des').length).to.be.greaterThan(0);
    expect(lexicon.pronunciations('a').length).to.be.greaterThanOrEqual(2);
  });
});

describe('lexicon chaining', () => {
  it('answers from the first lexicon that knows the word, falling back for the rest', () => {
    const cmu = new MapLexicon();
    cmu.add('smith', ['S', 'M', 'IH', 'TH']);
    const g2p = new MapLexicon();
    g2p.add('smith', ['S', 'M', 'IY', 'TH']);
    g2p.add('zylstra', ['Z', 'IH', 'L', 'S', 'T', 'R', 'AH']);
    const chained = chainLexicons(cmu, emptyLexicon, g2p);
    expect(chained.pronunciations('smith')).to.deep.equal([['S', 'M', 'IH', 'TH']]);
    expect(chained.pronunciations('zylstra')).to.deep.equal([['Z', 'IH', 'L', 'S', 'T', 'R', 'AH']]);
    expect(chained.pronunciations('nobody')).to.deep.equal([]);
  });

  it('refuses empty words, empty pronunciations and unknown phones, and ignores duplicates', () => {
    const lexicon = new MapLexicon();
    expect(() => lexicon.add('', ['AH'])).to.throw(/empty/);
    expect(() => lexicon.add('x', [])).to.throw(/no phones/);
    expect(() => lexicon.add('x', ['EH1'])).to.throw(/unknown phone "EH1"/);
    lexicon.add('x', ['EH', 'K', 'S']);
    lexicon.add('x', ['EH', 'K', 'S']);
    expect(lexicon.pronunciations('x')).to.have.length(1);
  });
});
