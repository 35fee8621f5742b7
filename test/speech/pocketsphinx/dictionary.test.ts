// The decoder's subset dictionary: only the grammar words, with the narrowband pronunciations of the
// words an /s/ carries (two digit words, two vote values), of two menu commands and of "correct" added as
// further alternatives after the dictionary's own.
import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { narrowbandPronunciations } from '../../../src/speech/grammar/narrowband-pronunciations.js';
import { writeSubsetDictionary } from '../../../src/speech/pocketsphinx/dictionary.js';
import { debianModelDir } from '../../../src/speech/pocketsphinx/library.js';

describe('speech/pocketsphinx: subset dictionary with narrowband pronunciations', () => {
  let dir = '';
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'subset-dict-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  it('numbers extra pronunciations after the word\'s own, only for words it writes', async () => {
    const cmudict = join(dir, 'cmudict');
    await writeFile(cmudict, 'one W AH N\none(2) HH W AH N\nsix S IH K S\nten T EH N\n');
    const outPath = join(dir, 'subset.dict');
    const missing = await writeSubsetDictionary({ cmudictPath: cmudict, words: ['one', 'six', 'ninety'], outPath,
      extra: new Map([['one', [['W', 'AA', 'N']]], ['six', [['TH', 'IH', 'K', 'TH'], ['S', 'IH', 'K']]],
        ['ten', [['T', 'IH', 'N']]]]) });
    expect(missing).to.deep.equal(['ninety']);
    expect((await readFile(outPath, 'utf8')).trim().split('\n')).to.deep.equal([
      'one W AH N', 'one(2) HH W AH N', 'six S IH K S', 'one(3) W AA N', 'six(2) TH IH K TH', 'six(3) S IH K',
    ]);
  });

  it('gives "six" and "seven" their /th/ variants next to Debian\'s CMUdict ones', async () => {
    const outPath = join(dir, 'digits.dict');
    await writeSubsetDictionary({ cmudictPath: `${debianModelDir}/cmudict-en-us.dict`, outPath,
      words: ['five', 'six', 'seven'], extra: narrowbandPronunciations });
    const lines = (await readFile(outPath, 'utf8')).trim().split('\n');
    expect(lines).to.include.members(['six S IH K S', 'seven S EH V AH N', 'six(2) TH IH K TH',
      'seven(2) TH EH V AH N', 'five F AY V']);
    expect(lines.filter((line) => line.startsWith('five'))).to.deep.equal(['five F AY V']);
  });

  it('gives the vote values "abstain" and "absent" their /th/ variants after CMUdict\'s', async () => {
    const outPath = join(dir, 'votes.dict');
    await writeSubsetDictionary({ cmudictPath: `${debianModelDir}/cmudict-en-us.dict`, outPath,
      words: ['abstain', 'absent', 'yea'], extra: narrowbandPronunciations });
    const lines = (await readFile(outPath, 'utf8')).trim().split('\n');
    expect(lines).to.have.members(['abstain AH B S T EY N', 'abstain(2) AE B S T EY N', 'abstain(3) AH B TH T EY N',
      'abstain(4) AE B TH T EY N', 'absent AE B S AH N T', 'absent(2) AE B TH AH N T', 'yea Y EY']);
  });

  it('gives the commands "help" and "money" their telephone variants after CMUdict\'s', async () => {
    const outPath = join(dir, 'commands.dict');
    await writeSubsetDictionary({ cmudictPath: `${debianModelDir}/cmudict-en-us.dict`, outPath,
      words: ['help', 'money', 'audit'], extra: narrowbandPronunciations });
    const lines = (await readFile(outPath, 'utf8')).trim().split('\n');
    expect(lines).to.have.members(['help HH EH L P', 'help(2) HH EH L', 'help(3) EH L P', 'money M AH N IY',
      'money(2) M AA N IY', 'audit AO D IH T']);
  });

  it('gives "correct" its full first vowel after CMUdict\'s r-coloured one', async () => {
    const outPath = join(dir, 'yesno.dict');
    await writeSubsetDictionary({ cmudictPath: `${debianModelDir}/cmudict-en-us.dict`, outPath,
      words: ['correct', 'wrong'], extra: narrowbandPronunciations });
    const lines = (await readFile(outPath, 'utf8')).trim().split('\n');
    expect(lines).to.have.members(['correct K ER EH K T', 'correct(2) K AH R EH K T', 'wrong R AO NG']);
  });
});
