// The city-first name items end to end: make-corpus renders towns said alone and names said as two answers
// (--towns, --town-first: flite, espeak-ng and festival through the telephone channel), and `corpus run` hears
// each name's town in context 'city' first, then the name within it, through the real CLI and pocketsphinx on
// the committed sample roll. What is asserted is the plumbing (every item judged, both answers heard, the
// manifest's cityAudio honoured), not accuracy: the corpus is a handful of items.
import { expect } from 'chai';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { audioPath, loadManifest, manifestRelative } from '../../../src/speech/corpus/manifest.js';
import type { CorpusSummary } from '../../../src/speech/corpus/summary.js';
import { jurisdictionFor } from '../../../src/roll/jurisdictions.js';
import { createCorpusEngine, listeningWith } from '../../../src/speech/corpus/engine.js';
import { readRollVoters } from '../../../src/speech/corpus/roll-voters.js';
import { runCorpus } from '../../../src/speech/corpus/runner.js';
import { summarize } from '../../../src/speech/corpus/summary.js';
import { runCli } from '../../support/cli.js';
import { sampleRollPath, testAudioDir } from './paths.js';
import { runMake } from './run-make.js';

describe('speech corpus: towns said alone and names said after their town (make-corpus, corpus run)', function () {
  this.timeout(10 * 60_000);
  let dir = '';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dn-town-first-'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('renders both answers of each name and hears the town, then the name, for every item', async () => {
    const out = join(dir, 'corpus');
    const made = await runMake(['--roll', sampleRollPath, '--out', out, '--names', '3', '--per-context', '0',
      '--towns', '3', '--contexts', 'name,city', '--town-first', '--seed', '5']);
    expect(made.code, made.stderr).to.equal(0);
    const manifestPath = join(out, 'manifest.json');
    const manifest = await loadManifest(manifestPath);
    // This seed's plan needs only what ./scripts/setup installs (flite, espeak-ng, sox): no festival, no lame.
    expect(manifest.items.every((item) => /^(flite|espeak)-/.test(item.voice ?? '')
      && (item.channel ?? '').endsWith('/wav-ulaw')), JSON.stringify(manifest.items)).to.equal(true);
    const names = manifest.items.filter((item) => item.context === 'name');
    expect(names).to.have.length(3);
    expect(manifest.items.filter((item) => item.context === 'city')).to.have.length(3);
    for (const item of names) {
      expect(item.cityAudio).to.match(/^audio\/town-.*\.(wav|mp3)$/);
      expect(item.text).to.match(/^[a-z' -]+ \/ [a-z' -]+$/);
    }

    const report = join(dir, 'report');
    const run = await runCli(['corpus', 'run', '--roll', sampleRollPath, '--manifest', manifestPath, '--report', report],
      { POCKETSPHINX_LATTICE_WAIT_MS: '30000' });
    expect(run.code, run.stderr).to.equal(0);
    const summary = JSON.parse(await readFile(join(report, 'summary.json'), 'utf8')) as CorpusSummary;
    for (const context of ['name', 'city'] as const) {
      const counts = summary.contexts[context];
      expect(counts?.total, context).to.equal(3);
      expect((counts?.correct ?? 0) + (counts?.wrongConfident ?? 0) + (counts?.rejected ?? 0)).to.equal(3);
    }
    process.stdout.write(`      town-first names ${summary.contexts.name?.correct}/3, towns ${summary.contexts.city?.correct}/3\n`);

    // The dialog's read-back: each taken town's name grammars are readied before the name, which is heard the same.
    const { voters } = await readRollVoters(sampleRollPath, jurisdictionFor('iowa'));
    const engine = await createCorpusEngine('pocketsphinx', voters, { poolSize: 4 });
    const readied: string[] = [];
    try {
      const recognizer = engine.recognizer;
      const prepare = recognizer.prepare?.bind(recognizer);
      if (prepare === undefined) throw new Error('the corpus engine readies no grammars');
      recognizer.prepare = async (options) => {
        readied.push(`${options.context} in ${(options.cityHeard ?? []).map((one) => one.text).join(', ')}`);
        return prepare(options);
      };
      const readBack = await runCorpus({ manifestPath, manifest, ...listeningWith(engine), readBackMs: 20_000 });
      const taken = readBack.results.filter((result) => result.item.context === 'name'
        && result.judgement.note !== 'town not taken: asked again');
      expect(taken.length, 'this seed\'s towns are heard: the check below is not empty').to.be.greaterThan(0);
      expect(readied, JSON.stringify(readBack.results.map((result) => result.heard))).to.deep.equal(
        taken.map((result) => `name in ${(result.heard.split(' / ')[0] ?? '').replace(/-/g, ' ')}`));
      const readBackSummary = summarize(readBack);
      expect(readBackSummary.contexts).to.deep.equal(summary.contexts);
    } finally {
      await engine.close();
    }
  });

  it('--read-back-ms takes a whole number of milliseconds', async () => {
    const result = await runCli(['corpus', 'run', '--roll', sampleRollPath, '--manifest', join(dir, 'corpus', 'manifest.json'),
      '--read-back-ms', '-5'], {});
    expect(result.code).to.equal(2);
    expect(result.stderr).to.match(/--read-back-ms must be a whole number from 0/);
  });

  it('a town answer is for names only: cityAudio on another item is a malformed manifest', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(path, JSON.stringify({ items: [{ audio: 'a.wav', cityAudio: 'b.wav', context: 'yesno',
      expected: 'yes' }] }));
    const result = await runCli(['corpus', 'run', '--roll', sampleRollPath, '--manifest', path], {});
    expect(result.code).to.equal(2);
    expect(result.stderr).to.match(/cityAudio/);
  });

  it('the committed 550 k corpus (test-audio/scale, bench only) parses, has every file, and says the same names', async () => {
    const townFirstPath = join(testAudioDir, 'scale', 'town-first', 'manifest.json');
    const oneUtterancePath = join(testAudioDir, 'scale', 'one-utterance', 'manifest.json');
    const townFirst = await loadManifest(townFirstPath);
    const oneUtterance = await loadManifest(oneUtterancePath);
    const names = townFirst.items.filter((item) => item.context === 'name');
    expect(names.map((item) => item.expected)).to.deep.equal(oneUtterance.items.map((item) => item.expected));
    expect(names.every((item) => item.cityAudio !== undefined)).to.equal(true);
    expect(townFirst.items.filter((item) => item.context === 'city')).to.have.length(50);
    for (const item of townFirst.items) {
      await access(audioPath(townFirstPath, item));
      if (item.cityAudio !== undefined) await access(manifestRelative(townFirstPath, item.cityAudio));
    }
    for (const item of oneUtterance.items) await access(audioPath(oneUtterancePath, item));
  });
});
