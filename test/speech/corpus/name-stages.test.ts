// `corpus name-stages` end to end through the real CLI binary and real pocketsphinx, on three name items
// of the committed corpus: the stage table is printed per split, name-stages.json holds a row per name
// item (other contexts left out) whose stages agree with the counts and with each other.
import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifest } from '../../../src/speech/corpus/manifest.js';
import type { NameStageCounts, NameStageRow } from '../../../src/speech/corpus/name-stages.js';
import { runCli } from '../../support/cli.js';
import { ciManifestPath, sampleRollPath, testAudioDir } from './paths.js';

describe('speech corpus: corpus name-stages (CLI, pocketsphinx)', function () {
  this.timeout(10 * 60_000);
  let dir: string;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'dn-name-stages-')); });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('tables each stage of the name path for the manifest\'s name items', async () => {
    const manifest = await loadManifest(ciManifestPath);
    const names = manifest.items.filter((item) => item.context === 'name' && item.split === 'tuning').slice(0, 3);
    const other = manifest.items.find((item) => item.context !== 'name');
    const items = [...names, other].map((item) => ({ ...item, audio: join(testAudioDir, 'ci', item?.audio ?? '') }));
    const manifestPath = join(dir, 'manifest.json');
    await writeFile(manifestPath, JSON.stringify({ items }));
    const report = join(dir, 'report');
    const run = await runCli(['corpus', 'name-stages', '--roll', sampleRollPath, '--manifest', manifestPath,
      '--report', report], { POCKETSPHINX_MLLR: 'telephone' });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^stage\s+tuning$/m);
    expect(run.stdout).to.match(/^name items\s+3\/3$/m);
    const written = JSON.parse(await readFile(join(report, 'name-stages.json'), 'utf8')) as {
      counts: Record<string, NameStageCounts>; rows: NameStageRow[] };
    expect(written.rows.map((row) => row.expected)).to.deep.equal(names.map((item) => item.expected));
    const counts = written.counts.tuning as NameStageCounts;
    expect(counts.items).to.equal(3);
    expect(counts.correct + counts.wrongConfident + counts.rejected).to.equal(3);
    for (const row of written.rows) {
      expect(row.expectedCity).to.match(/^[a-z]+(-[a-z]+)*$/);
      expect(row.outcome).to.be.oneOf(['correct', 'wrong-confident', 'rejected']);
      // The voter can only be in pass 2's readings of a city pass 2 decoded, and a right answer needs it there.
      if (row.voterInPass2) expect(row.citiesDecoded).to.include(row.expectedCity);
      if (row.outcome === 'correct') expect(row.heard.length).to.be.above(0);
      if (row.heard.length === 0) expect(row.outcome).to.equal('rejected');
      // Pass 2's voter is aligned against the free reading only when the fallback finder named the city.
      if (row.fitGapPerFrame !== null) expect(row.pathFallbackUsed).to.equal(true);
      if (row.finderReadingLeftOut) expect(row.fitGapPerFrame).to.be.a('number');
      // A second try's reading is taken only when it was tried.
      if (row.shortFormTaken) expect(row.shortFormRetried).to.equal(true);
    }
    expect(counts.voterInPass2).to.equal(written.rows.filter((row) => row.voterInPass2).length);
    expect(counts.shortFormRetried).to.equal(written.rows.filter((row) => row.shortFormRetried).length);
    expect(run.stdout).to.match(/^pass 2 tried again with short forms \(unsure\)\s+\d\/3$/m);
  });

  it('with --name-phone-loop on, measures each decoded city\'s voter and tables what the gap decided', async () => {
    const manifest = await loadManifest(ciManifestPath);
    const names = manifest.items.filter((item) => item.context === 'name' && item.split === 'tuning').slice(0, 3);
    const items = names.map((item) => ({ ...item, audio: join(testAudioDir, 'ci', item.audio) }));
    const manifestPath = join(dir, 'loop-manifest.json');
    await writeFile(manifestPath, JSON.stringify({ items }));
    const report = join(dir, 'loop-report');
    const run = await runCli(['corpus', 'name-stages', '--roll', sampleRollPath, '--manifest', manifestPath,
      '--report', report, '--name-phone-loop', 'on'], {});
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^the phone loop accepted a city's voter\s+\d\/3$/m);
    const written = JSON.parse(await readFile(join(report, 'name-stages.json'), 'utf8')) as {
      counts: Record<string, NameStageCounts>; rows: NameStageRow[] };
    let measured = 0;
    for (const row of written.rows) {
      for (const gap of row.voterGaps) {
        expect(row.citiesDecoded).to.include(gap.city);
        if (gap.gapPerFrame !== null) measured += 1;
      }
      if (row.phoneLoopDecision === 'accept') {
        expect(Math.max(...row.voterGaps.map((gap) => gap.gapPerFrame ?? -Infinity))).to.be.at.least(13);
        expect(row.heard.length).to.be.above(0);
      }
      if (row.phoneLoopDecision === 'reject') expect(row.heard).to.deep.equal([]);
      if (row.pass2Ran) expect(row.phoneLoopMs).to.be.at.least(0);
    }
    expect(measured, 'some voter was measured against the loop').to.be.above(0);
    const counts = written.counts.tuning as NameStageCounts;
    expect(counts.phoneLoopAccepted).to.equal(written.rows.filter((row) => row.phoneLoopDecision === 'accept').length);
  });

  it('refuses a --name-phone-loop it cannot read (exit 2, the reason said)', async () => {
    const run = await runCli(['corpus', 'name-stages', '--roll', sampleRollPath, '--manifest', ciManifestPath,
      '--report', join(dir, 'never'), '--name-phone-loop', '5:8'], {});
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(/--name-phone-loop: the reject gap 8 is above the accept gap 5/);
  });
});
