// `delegate-network corpus run` end to end, through the real CLI binary and real pocketsphinx: the CI
// corpus with accuracy floors (the build fails when recognition regresses), the exact summary.json
// shape, a report.html that lists every failure with a working audio link, junk audio that never
// stops a run, and malformed manifests that exit 2.
import { expect } from 'chai';
import { access, copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import wavefile from 'wavefile';
import { printedNumber } from '../../../src/bills/bill-number.js';
import { Prng } from '../../../src/roll/prng.js';
import { loadManifest } from '../../../src/speech/corpus/manifest.js';
import type { CorpusSummary } from '../../../src/speech/corpus/summary.js';
import { runCli } from '../../support/cli.js';
import { writeIowaZip } from '../../support/iowa-zip.js';
import { ciManifestPath, sampleRollPath, testAudioDir } from './paths.js';

/**
 * Share of items that must come out correct, per context: set a little below what the engines
 * measured on this corpus (printed by the test). Contexts without a floor are not yet recognized
 * well enough for one to mean anything; the test prints them so the gap stays visible.
 */
const accuracyFloors: Partial<Record<string, number>> = {
  // Measured 2026-12-01 after the telephone cepstral prior (engine helper), full CI corpus, concurrency 2:
  // command 11/14, yes/no 13/14, vote 13/14, amount 6/14 (5–6 over runs), bill 2/14, phone 2/14; digits 1/14,
  // spelled 0/14. Held out alone (48 non-name items): command 6/6, yes/no 5/6, vote 6/6, amount 3–4/6, bill 1/6,
  // digits 1/6, phone 1/6, spelled 0/6.
  // After the small-context work (N-best judged as the dialog takes it, partial paths dropped, answers below
  // 0.2 not taken, spelled surnames from the roll), same corpus, concurrency 2 on a loaded machine: command
  // 14/14, yes/no 13/14, vote 14/14, amount 8/14, bill 2/14, phone 2/14, spelled 3/14, digits 0/14
  // (10 wrong-confident, 4 rejected). Floors a little below that, as run-to-run spread is 1-2 items.
  // With the telephone MLLR for amounts and digit strings and the narrowband "six"/"seven": one at a time at
  // load ~5, amount 11/14, digits 7/14 (6 wrong-confident), bill 4/14, phone 1/14; this test (concurrency 2),
  // amount 10/14, digits 6/14, bill 4/14, phone 4/14.
  // With spelled surnames on the number MLLR and digit strings below 0.3 asked again
  // (src/speech/reject-confidence.ts), one at a time at load ~9-12, held out + tuning: spelled 3 → 6 of 14
  // (wrong-confident 2 → 0); digits 7 → 4 of 14 (wrong-confident 6 → 4: the threshold turns low-confidence
  // readings, right or wrong, into "asked again"); this test at load ~8: spelled 5/14, digits 4/14 (4 wrong-
  // confident). Spelled floor raised; digits lowered by one item, with a ceiling on its wrong-confident answers.
  // With the digit strings' 0.05 lead and their own narrowband "nine" (reject-confidence.ts, context-words.ts),
  // this test once at load ~8: digits 5/14 (3 wrong-confident); one run, so the floors stay.
  // Since no utterance depends on what its decoder heard before (pocketsphinx-recognizer.ts), the same audio
  // gives the same answers run after run (until then phone numbers came out 0-3 of 14). Streaming everything
  // from the telephone prior: command 13/14, yes/no 13, vote 13, amount 11, bill 6, digits 3 (3 wrong-
  // confident), phone 2, spelled 7, names 37/80. Whole-utterance decoding (the default, POCKETSPHINX_DECODING;
  // commands, phone numbers and names still stream): command 13, yes/no 13, vote 14, amount 11, bill 4,
  // digits 4 (2 wrong-confident), phone 2, spelled 8, names 37/80.
  // With each file followed by its line's noise instead of digital zeros (src/speech/audio/line-noise.ts), this
  // test (lattice wait 30 s, so the same each run): command 12, yes/no 13, vote 13, amount 11, bill 5, digits 3
  // (5 wrong-confident), phone 2, spelled 8, names 37/80. Command and digits stand at their floors.
  // Bills with their prefix required and the telephone transform (grammars/bill.gram, context-mllr.ts): 10/14
  // (4 wrong-confident, none asked again), names 47/80; the bill floor leaves a margin of 3 items.
  command: 0.85, yesno: 0.85, vote: 0.85, amount: 0.57, digits: 0.21, bill: 0.5, phone: 0.07, spelled: 0.28,
  // Names through the two-pass name path (src/speech/names/): 23/80 before the telephone cepstral prior was
  // merged; after it, 17/80 on a quiet machine and 14/80 at load ~10 (the 150 ms lattice cut-off makes
  // results depend on load). With the city finders on pocketsphinx's default word beam (nameWordBeamDefault):
  // 23/80 at concurrency 2, load ~10-12 with every name grammar on it (corpus name-stages one at a time, city
  // finders only: tuning 16/48, held-out 13/32). The floor leaves a margin of 7 items.
  name: 0.2,
};

/** Share of items that may come out wrong-confident, per context (a number read back wrong costs a re-ask). */
const wrongConfidentCeilings: Partial<Record<string, number>> = {
  // One at a time: 6/14 before the reject threshold for digit strings, 4/14 after (see accuracyFloors); this
  // test at two callers at once and load ~3-8: 4/14 and 6/14 after. A margin of one item over that.
  digits: 0.5,
};

/** Longer than any lattice measured on this corpus (548 ms at most, two callers). */
const latticeWaitForFloorsMs = 30_000;

function wavBytes(samples: Int16Array, rate = 8000): Uint8Array {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, rate, '16', samples);
  return wav.toBuffer();
}

/** An expected value as an operator might type it: printed bills, dollars, grouped phone numbers, capitals. */
function retype(context: string, expected: string): string {
  switch (context) {
    case 'command': return expected.toUpperCase();
    case 'yesno': return expected === 'yes' ? 'Yes' : 'No';
    case 'vote': return ({ yes: 'Yea', no: 'Nay' } as Record<string, string>)[expected] ?? expected.toUpperCase();
    case 'bill': return printedNumber(expected) ?? expected;
    case 'amount': return `$${(Number(expected) / 100).toFixed(2)}`;
    case 'digits': return expected.split('').join(' ');
    case 'phone': return `(${expected.slice(0, 3)}) ${expected.slice(3, 6)}-${expected.slice(6)}`;
    case 'spelled': return expected.toUpperCase().split('').join('-');
    default: return expected;
  }
}

/** The files the report's audio players open, read as a browser reads their URLs against the report's own. */
function openedLinks(html: string, reportDir: string): string[] {
  return [...html.matchAll(/<audio controls preload="none" src="([^"]+)"/g)]
    .map((match) => fileURLToPath(new URL(match[1] ?? '', pathToFileURL(`${reportDir}/`))));
}

function countRows(html: string, outcome: string): number {
  return html.split(`<tr class="${outcome}">`).length - 1;
}

describe('speech corpus: corpus run (CLI, pocketsphinx)', function () {
  this.timeout(20 * 60_000);
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dn-corpus-run-'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('runs the CI corpus above the accuracy floors and writes summary.json and report.html', async () => {
    const reportDir = join(dir, 'ci-report');
    // N-best answers wait for their lattice however long it takes (the product waits 150 ms, then answers
    // with the best reading alone): a floor judges recognition, and must not fail because CI's machine was
    // busy. (One clean-clone CI run lost 3 of 14 votes to that race; its re-run had them.)
    const result = await runCli(['corpus', 'run', '--roll', sampleRollPath, '--manifest', ciManifestPath,
      '--report', reportDir, '--concurrency', '2'], { POCKETSPHINX_LATTICE_WAIT_MS: String(latticeWaitForFloorsMs) });
    process.stdout.write(`${result.stdout.split('\n').map((line) => `      ${line}`).join('\n')}\n`);
    expect(result.code, result.stderr).to.equal(0);

    const summary = JSON.parse(await readFile(join(reportDir, 'summary.json'), 'utf8')) as CorpusSummary;
    const manifest = await loadManifest(ciManifestPath);
    expect(Object.keys(summary).sort()).to.deep.equal(['contexts', 'latencyMs', 'realTimeFactor']);
    expect(Object.keys(summary.latencyMs).sort()).to.deep.equal(['p50', 'p95']);
    expect(summary.realTimeFactor).to.be.a('number').above(0);
    let failures = 0;
    for (const [context, counts] of Object.entries(summary.contexts)) {
      expect(Object.keys(counts).sort()).to.deep.equal(['correct', 'rejected', 'total', 'wrongConfident']);
      expect(counts.total).to.equal(manifest.items.filter((item) => item.context === context).length);
      expect(counts.correct + counts.wrongConfident + counts.rejected).to.equal(counts.total);
      failures += counts.total - counts.correct;
      const floor = accuracyFloors[context];
      if (floor === undefined) {
        process.stdout.write(`      (no floor yet for ${context}: ${counts.correct}/${counts.total})\n`);
      } else {
        expect(counts.correct / counts.total, `${context} accuracy`).to.be.at.least(floor);
      }
      const ceiling = wrongConfidentCeilings[context];
      if (ceiling !== undefined) {
        expect(counts.wrongConfident / counts.total, `${context} wrong-confident`).to.be.at.most(ceiling);
      }
    }
    expect(Object.keys(summary.contexts)).to.have.members(['name', 'command', 'yesno', 'vote', 'bill', 'amount',
      'digits', 'phone', 'spelled']);

    const html = await readFile(join(reportDir, 'report.html'), 'utf8');
    expect(html).to.include('<svg');
    expect(countRows(html, 'wrong-confident') + countRows(html, 'rejected')).to.equal(failures);
    // Every audio link in the report opens the committed file.
    const links = [...html.matchAll(/<audio controls preload="none" src="([^"]+)"/g)].map((match) => match[1] ?? '');
    expect(links).to.have.length(failures);
    for (const path of openedLinks(html, reportDir).slice(0, 20)) await access(path);
  });

  it('junk audio gives a per-item error or a rejection in the report, never a crash', async () => {
    const corpus = await loadManifest(ciManifestPath);
    const good = corpus.items.find((item) => item.context === 'yesno' && item.audio.endsWith('.wav'));
    const mp3 = corpus.items.find((item) => item.audio.endsWith('.mp3'));
    const goodWav = await readFile(join(testAudioDir, 'ci', good?.audio ?? ''));
    const mp3Bytes = await readFile(join(testAudioDir, 'ci', mp3?.audio ?? ''));
    const prng = new Prng(7);
    const noise = new Int16Array(16_000).map(() => Math.round((prng.float() - 0.5) * 20_000));
    const clipped = new Int16Array(16_000).map((_value, n) => (Math.sin(n / 3) > 0 ? 32_767 : -32_768));
    await copyFile(join(testAudioDir, 'ci', good?.audio ?? ''), join(dir, 'good.wav'));
    await writeFile(join(dir, 'silence.wav'), wavBytes(new Int16Array(24_000)));
    await writeFile(join(dir, 'noise.wav'), wavBytes(noise));
    await writeFile(join(dir, 'clipped.wav'), wavBytes(clipped));
    // A name a path is not a URL for: the report's link must still open it.
    const oddName = 'take #2 50%?.wav';
    await writeFile(join(dir, oddName), 'not audio at all\n');
    await writeFile(join(dir, 'header.wav'), goodWav.subarray(0, 30));
    await writeFile(join(dir, 'cut.mp3'), mp3Bytes.subarray(0, 60));
    const items = [
      { audio: 'good.wav', context: 'yesno', expected: good?.expected ?? 'yes' },
      { audio: 'silence.wav', context: 'yesno', expected: 'yes' },
      { audio: 'noise.wav', context: 'digits', expected: '123' },
      { audio: 'clipped.wav', context: 'command', expected: 'help' },
      { audio: oddName, context: 'vote', expected: 'yes' },
      { audio: 'header.wav', context: 'yesno', expected: 'no' },
      { audio: 'cut.mp3', context: 'amount', expected: '1025' },
      { audio: 'missing.wav', context: 'yesno', expected: 'yes' },
      // An expected value nothing reads: this item's error, the others still run.
      { audio: 'good.wav', context: 'bill', expected: 'H.R.' },
      // A voter not on the roll given (a typo, or another roll): an error, not a recognition scored wrong.
      { audio: 'good.wav', context: 'name', expected: '999999999' },
    ];
    await writeFile(join(dir, 'junk.json'), JSON.stringify({ items }));
    const reportDir = join(dir, 'junk-report');
    const result = await runCli(['corpus', 'run', '--roll', sampleRollPath, '--manifest', join(dir, 'junk.json'),
      '--report', reportDir], {});
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/6 item\(s\) could not be recognized/);
    const summary = JSON.parse(await readFile(join(reportDir, 'summary.json'), 'utf8')) as CorpusSummary;
    expect(summary.contexts.yesno?.total).to.equal(4);
    // Silence is heard as nothing: rejected, never a value.
    expect(summary.contexts.yesno?.wrongConfident).to.equal(0);
    const html = await readFile(join(reportDir, 'report.html'), 'utf8');
    expect(html).to.include('error: not a WAV file (no RIFF/WAVE header)');
    expect(html).to.include('error: file not found');
    expect(html).to.match(/error: (unreadable WAV|the file holds no audio)/);
    expect(html).to.include('error: not an MP3 file');
    expect(html).to.include('error: expected value &quot;H.R.&quot; is not a bill such as');
    expect(html).to.include('error: expected voter 999999999 is not on the roll');
    expect(openedLinks(html, reportDir)).to.include(join(dir, oddName));
  });

  it('scores expected values written as operators type them ("H.R. 7478", "$10.25") as the canonical ones', async () => {
    // Two items of each short context from the CI corpus, once as committed and once with every expected value
    // retyped; the same audio must give the same judgements, item by item.
    type Item = Record<string, string>;
    const manifest = JSON.parse(await readFile(ciManifestPath, 'utf8')) as { items: Item[] };
    const picked = ['command', 'yesno', 'vote', 'bill', 'amount', 'digits', 'phone', 'spelled']
      .flatMap((context) => manifest.items.filter((item) => item.context === context).slice(0, 2))
      .map((item): Item => ({ ...item, audio: resolve(testAudioDir, 'ci', item.audio ?? '') }));
    const retyped = picked.map((item) => ({ ...item, expected: retype(item.context ?? '', item.expected ?? '') }));
    expect(retyped.filter((item, index) => item.expected !== picked[index]?.expected)).to.have.length(picked.length);
    const outcomes = async (name: string, items: Item[]): Promise<string[]> => {
      await writeFile(join(dir, `${name}.json`), JSON.stringify({ items }));
      const result = await runCli(['corpus', 'run', '--roll', sampleRollPath, '--manifest', join(dir, `${name}.json`),
        '--report', join(dir, name)], { POCKETSPHINX_LATTICE_WAIT_MS: String(latticeWaitForFloorsMs) });
      expect(result.code, result.stderr).to.equal(0);
      const html = await readFile(join(dir, name, 'report.html'), 'utf8');
      const summary = JSON.parse(await readFile(join(dir, name, 'summary.json'), 'utf8')) as CorpusSummary;
      return [JSON.stringify(summary.contexts), ...[...html.matchAll(/<tr class="([a-z-]+)">/g)].map((row) => row[1] ?? '')];
    };
    const committed = await outcomes('as-committed', picked);
    expect(await outcomes('retyped', retyped)).to.deep.equal(committed);
    // Each failure row says how its expected value was written.
    const failures = committed.length - 1;
    const html = await readFile(join(dir, 'retyped', 'report.html'), 'utf8');
    expect(html.split('<br><small>written: ').length - 1).to.equal(failures);
    // Not all failures: a retyped value that never matched would show as right nowhere.
    const contexts = JSON.parse(committed[0] ?? '{}') as CorpusSummary['contexts'];
    expect(Object.values(contexts).reduce((sum, counts) => sum + counts.correct, 0)).to.be.at.least(8);
  });

  it('asked to measure Vosk without a usable model: exits 2 saying why, and measures no other engine', async () => {
    const manifest = join(dir, 'vosk.json');
    const first = (await loadManifest(ciManifestPath)).items.find((item) => item.context === 'yesno');
    await writeFile(manifest, JSON.stringify({ items: [{ audio: resolve(testAudioDir, 'ci', first?.audio ?? ''),
      context: 'yesno', expected: first?.expected ?? 'yes' }] }));
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{}, /--recognizer: SPEECH_ENGINE=vosk needs VOSK_MODEL/],
      [{ VOSK_MODEL: join(dir, 'no-such-model') }, /--recognizer: VOSK_MODEL .*no-such-model does not exist/],
    ];
    for (const [env, message] of cases) {
      const reportDir = join(dir, `vosk-report-${Object.keys(env).length}`);
      const result = await runCli(['corpus', 'run', '--roll', sampleRollPath, '--manifest', manifest,
        '--recognizer', 'vosk', '--report', reportDir], env);
      expect(result.code, result.stderr).to.equal(2);
      expect(result.stderr).to.match(message);
      expect(result.stderr).to.include('never another');
      await access(join(reportDir, 'summary.json')).then(() => expect.fail('a summary was written'), () => undefined);
    }
  });

  it('a malformed manifest exits 2 with a message that says what is wrong', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['not-json.json', '{"items": [', /not JSON/],
      ['no-items.json', '{"clips": []}', /items/],
      ['bad-context.json', JSON.stringify({ items: [{ audio: 'a.wav', context: 'weather', expected: 'x' }] }),
        /items\.0\.context/],
      ['bad-audio.json', JSON.stringify({ items: [{ audio: 'a.ogg', context: 'yesno', expected: 'yes' }] }),
        /\.wav or \.mp3/],
    ];
    for (const [name, text, message] of cases) {
      await writeFile(join(dir, name), text);
      const result = await runCli(['corpus', 'run', '--roll', sampleRollPath, '--manifest', join(dir, name),
        '--report', join(dir, `report-${name}`)], {});
      expect(result.code, name).to.equal(2);
      expect(result.stderr, name).to.match(message);
    }
    const missing = await runCli(['corpus', 'run', '--roll', sampleRollPath, '--manifest', join(dir, 'nope.json')], {});
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.match(/cannot be read/);
    // A report folder where a file stands fails before any audio is heard, not at the end of the run.
    await writeFile(join(dir, 'a-file'), 'not a folder');
    await writeFile(join(dir, 'one.json'), JSON.stringify({ items: [{ audio: 'a.wav', context: 'yesno', expected: 'yes' }] }));
    for (const command of ['run', 'name-stages']) {
      const blocked = await runCli(['corpus', command, '--roll', sampleRollPath, '--manifest', join(dir, 'one.json'),
        '--report', join(dir, 'a-file', 'report')], {});
      expect(blocked.code, command).to.equal(2);
      expect(blocked.stderr, command).to.match(/--report: .*a-file\/report cannot be made a writable folder \(a file is in the way\)/);
    }
    for (const command of ['run', 'name-stages']) {
      const badGap = await runCli(['corpus', command, '--roll', sampleRollPath, '--manifest', join(dir, 'nope.json'),
        '--name-fit-gap-min', 'lots'], {});
      expect(badGap.code, command).to.equal(2);
      expect(badGap.stderr, command).to.match(/--name-fit-gap-min must be "on", "off" or a number/);
      const badLead = await runCli(['corpus', command, '--roll', sampleRollPath, '--manifest', join(dir, 'nope.json'),
        '--name-dispute-lead', '-3'], {});
      expect(badLead.code, command).to.equal(2);
      expect(badLead.stderr, command).to.match(/--name-dispute-lead must be "on", "off" or a score lead per frame from 0/);
      const badSwap = await runCli(['corpus', command, '--roll', sampleRollPath, '--manifest', join(dir, 'nope.json'),
        '--name-dispute-swap', 'lots'], {});
      expect(badSwap.code, command).to.equal(2);
      expect(badSwap.stderr, command).to.match(/--name-dispute-swap must be "on", "off" or a score lead per frame from 0/);
      const badFinderLead = await runCli(['corpus', command, '--roll', sampleRollPath, '--manifest',
        join(dir, 'nope.json'), '--name-dispute-finder-lead', 'half'], {});
      expect(badFinderLead.code, command).to.equal(2);
      expect(badFinderLead.stderr, command)
        .to.match(/--name-dispute-finder-lead must be "on", "off" or a score lead per frame from 0/);
    }
    // A roll holding no voter is refused as the importer refuses it, before any audio is heard.
    await writeIowaZip(join(dir, 'empty.zip'), []);
    for (const command of ['run', 'name-stages']) {
      const empty = await runCli(['corpus', command, '--roll', join(dir, 'empty.zip'), '--manifest', join(dir, 'one.json'),
        '--report', join(dir, `report-empty-${command}`)], {});
      expect(empty.code, command).to.equal(2);
      expect(empty.stderr, command).to.match(/--roll: empty\.zip: no voter could be read \(0 bad rows\)/);
    }
  });
});
