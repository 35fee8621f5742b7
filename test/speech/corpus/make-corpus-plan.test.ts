// The corpus generator's --contexts / --split (a larger tuning-only corpus of a few contexts): the filter
// runs after the whole corpus is planned, so each chosen item is word for word, voice for voice, the item
// the full corpus has; nothing else is planned; and bad values stop the generator with a clear message.
import { expect } from 'chai';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planCorpus, type MakeCorpusOptions } from '../../../src/speech/corpus/make.js';
import { loadNicknames } from '../../../src/speech/matcher/index.js';
import { readRollVoters } from '../../../src/speech/corpus/roll-voters.js';
import { jurisdictionFor } from '../../../src/roll/jurisdictions.js';
import type { RegisteredVoter } from '../../../src/core/voter.js';
import { sampleRollPath } from './paths.js';
import { runMake } from './run-make.js';

describe('speech corpus: planning a tuning-only corpus of some contexts (make-corpus --contexts --split)', () => {
  let voters: RegisteredVoter[];
  const base: MakeCorpusOptions = { roll: sampleRollPath, out: '', seed: 101, names: 0, perContext: 20,
    rollSeed: 11, rollVoters: 3000, workers: 1 };

  before(async () => {
    ({ voters } = await readRollVoters(sampleRollPath, jurisdictionFor('iowa')));
  });

  it('keeps exactly the full plan\'s items of those contexts and that split, unchanged', () => {
    const full = planCorpus(base, voters);
    const chosen = planCorpus({ ...base, contexts: ['digits', 'phone'], split: 'tuning' }, voters);
    const expected = full.filter((item) => (item.context === 'digits' || item.context === 'phone')
      && item.split === 'tuning');
    // 20 per context, 40 % held out: 12 tuning items of each.
    expect(chosen).to.have.length(24);
    expect(chosen).to.deep.equal(expected);
    expect(chosen.every((item) => !item.voice.heldOut)).to.equal(true);
    // New numbers for a new seed: the plan is not the same corpus under another name.
    const other = planCorpus({ ...base, seed: 102, contexts: ['digits'], split: 'tuning' }, voters);
    expect(other.map((item) => item.expected)).to.not.deep.equal(
      chosen.filter((item) => item.context === 'digits').map((item) => item.expected));
  });

  it('without a filter plans every context and split, as before', () => {
    const full = planCorpus(base, voters);
    expect(new Set(full.map((item) => item.context)).size).to.equal(8);
    expect(full.filter((item) => item.split === 'held-out')).to.have.length(8 * 8);
  });

  it('refuses an unknown context, split or short-form fraction before writing anything', async function () {
    this.timeout(30_000);
    const out = await mkdtemp(join(tmpdir(), 'dn-make-corpus-'));
    try {
      const context = await runMake(['--out', out, '--roll', sampleRollPath, '--contexts', 'digits,zipcode']);
      expect(context.code).to.equal(1);
      expect(context.stderr).to.match(/--contexts: unknown context zipcode/);
      const split = await runMake(['--out', out, '--roll', sampleRollPath, '--split', 'testing']);
      expect(split.code).to.equal(1);
      expect(split.stderr).to.match(/--split must be tuning or held-out, got testing/);
      const shortForms = await runMake(['--out', out, '--roll', sampleRollPath, '--short-forms', '1.5']);
      expect(shortForms.code).to.equal(1);
      expect(shortForms.stderr).to.match(/--short-forms must be a fraction from 0 to 1, got 1.5/);
      expect(await readdir(out)).to.deep.equal([]);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('plans towns said alone last, leaving every other item as it was', () => {
    const full = planCorpus({ ...base, names: 10 }, voters);
    const withTowns = planCorpus({ ...base, names: 10, towns: 10 }, voters);
    expect(withTowns.slice(0, full.length)).to.deep.equal(full);
    const towns = withTowns.slice(full.length);
    expect(towns.map((item) => item.context)).to.deep.equal(new Array(10).fill('city'));
    expect(towns.filter((item) => item.split === 'held-out')).to.have.length(4);
    const cities = new Set(voters.map((voter) => voter.city));
    for (const town of towns) {
      expect(cities.has(town.expected), town.expected).to.equal(true);
      expect(town.text.replace(/^in /, '')).to.equal(town.expected);
    }
  });

  it('--town-first says each name as two answers: its town (its own file), then the name alone', () => {
    const together = planCorpus({ ...base, names: 10, perContext: 0 }, voters);
    const apart = planCorpus({ ...base, names: 10, perContext: 0, townFirst: true }, voters);
    expect(apart).to.have.length(together.length);
    apart.forEach((item, index) => {
      const one = together[index];
      expect(item.expected).to.equal(one?.expected);
      expect(item.voice).to.deep.equal(one?.voice);
      expect(item.townFile).to.equal(item.file.replace('audio/name-', 'audio/town-'));
      expect(`${item.text} ${one?.text.endsWith(` in ${item.town ?? ''}`) ? 'in' : 'of'} ${item.town ?? ''}`)
        .to.equal(one?.text);
    });
  });

  it('--short-forms says a fraction of names with a first name\'s short form that still names only that voter', async () => {
    const nicknames = await loadNicknames();
    const shortFormsOf = (first: string): readonly string[] => nicknames.shortFormsOf(first);
    const options = { ...base, names: 60, perContext: 2 };
    const plain = planCorpus(options, voters, shortFormsOf);
    const half = planCorpus({ ...options, shortForms: 0.5 }, voters, shortFormsOf);
    // Every item but the names' first word is as without: same voters, voices, channels, files, other contexts.
    expect(half.map((item) => [item.expected, item.file, item.voice.id])).to.deep.equal(
      plain.map((item) => [item.expected, item.file, item.voice.id]));
    const others = (items: typeof plain): typeof plain => items.filter((item) => item.context !== 'name');
    expect(others(half)).to.deep.equal(others(plain));
    const byId = new Map(voters.map((voter) => [voter.id, voter]));
    const said = half.filter((item) => item.context === 'name' && item.text !== plain[half.indexOf(item)]?.text);
    expect(said.length, 'about half of the names that have a short form').to.be.within(10, 40);
    for (const item of said) {
      const voter = byId.get(item.expected);
      const saidFirst = item.text.split(' ')[0] ?? '';
      expect(shortFormsOf(voter?.name.first ?? ''), item.text).to.include(saidFirst);
      const asOnTheRoll = plain[half.indexOf(item)]?.text ?? '';
      expect(item.text.slice(saidFirst.length)).to.equal(asOnTheRoll.slice(voter?.name.first.length));
      // No other voter of the town with that surname is called so, or by that short form.
      const namesakes = voters.filter((other) => other.id !== voter?.id && other.city === voter?.city
        && other.name.last === voter?.name.last
        && (other.name.first === saidFirst || shortFormsOf(other.name.first).includes(saidFirst)));
      expect(namesakes, item.text).to.deep.equal([]);
    }
    // None asked for, none said: the default plan is the corpus as before.
    expect(planCorpus({ ...options, shortForms: 0 }, voters, shortFormsOf)).to.deep.equal(plain);
    expect(planCorpus(options, voters)).to.deep.equal(plain);
  });
});
