import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EspeakG2p } from '../../../src/speech/lexicon/g2p.js';
import { PronunciationCache } from '../../../src/speech/lexicon/pronunciation-cache.js';
import { thrown } from '../../support/thrown.js';

// Roll-like words CMUdict lacks (made-up surnames and towns), so espeak-ng's rules are what says them.
const words = ['quastenbrook', 'zelmiriak', 'brundlefarth', 'okwudili', 'vanderhoskin', 'treshawna', 'kelbridge-moss',
  'marquavion', 'schlotterbeck', 'dwyane', "o'tierney", 'pruszynski'];

/** A stand-in for espeak-ng that answers `--version` as the real one and fails anything else. */
async function versionOnlyEspeak(dir: string): Promise<string> {
  const path = join(dir, 'espeak-version-only');
  const version = execFileSync('espeak-ng', ['--version'], { encoding: 'utf8' });
  await writeFile(path, `#!/bin/sh\nif [ "$1" = "--version" ]; then printf '%s' '${version.replace(/'/g, '')}'; exit 0; fi\n`
    + 'echo "pronouncing is not allowed here" >&2\nexit 3\n');
  await chmod(path, 0o755);
  return path;
}

describe('espeak-ng G2P', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'g2p-')); });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  it('pronounces words in several batches at once exactly as in one at a time', async () => {
    const many = Array.from({ length: 120 }, (_, index) => `${words[index % words.length]!.replace(/[-']/g, '')}${'abcdefghij'[Math.floor(index / 12)]!}`);
    const together = await new EspeakG2p({ concurrency: 3, batchWords: 17 }).lexicon(many);
    const alone = await new EspeakG2p({ concurrency: 1 }).lexicon(many);
    expect(together.size).to.equal(many.length);
    for (const word of many) expect(together.pronunciations(word), word).to.deep.equal(alone.pronunciations(word));
  });

  it('keeps what espeak-ng said on disk, so another run pronounces those words without it', async () => {
    const cacheDir = join(dir, 'pronunciations');
    const first = await new EspeakG2p({ cacheDir }).lexicon(words);
    expect(first.pronunciations('quastenbrook')[0]).to.include.members(['K', 'W']);

    // The next run's espeak-ng can only tell its version: every word must come from the file.
    const offline = new EspeakG2p({ cacheDir, command: await versionOnlyEspeak(dir) });
    const second = await offline.lexicon(words);
    for (const word of words) expect(second.pronunciations(word), word).to.deep.equal(first.pronunciations(word));
    // A word never pronounced still goes to espeak-ng (which here refuses, and says so).
    const error = await thrown(() => offline.lexicon(['hollenzwick']));
    expect((error as Error).message).to.match(/exited with 3: pronouncing is not allowed here/);
  });

  it('pronounces words when the cache directory cannot be made, and says why', async () => {
    const notADirectory = join(dir, 'a-file');
    await writeFile(notADirectory, 'not a directory');
    const errors: unknown[] = [];
    const lexicon = await new EspeakG2p({ cacheDir: join(notADirectory, 'pronunciations'),
      onCacheError: (error) => { errors.push(error); } }).lexicon(words.slice(0, 3));
    expect(lexicon.size).to.equal(3);
    expect(errors).to.have.length(1);
    expect((errors[0] as NodeJS.ErrnoException).code).to.equal('ENOTDIR');
  });

  it('reads no lines another espeak-ng build wrote', async () => {
    const cacheDir = join(dir, 'pronunciations');
    await new EspeakG2p({ cacheDir }).lexicon(words);
    const other = join(dir, 'espeak-other-build');
    await writeFile(other, '#!/bin/sh\nif [ "$1" = "--version" ]; then echo "eSpeak NG text-to-speech: 9.99"; exit 0; fi\nexit 3\n');
    await chmod(other, 0o755);
    const error = await thrown(() => new EspeakG2p({ cacheDir, command: other }).lexicon(words.slice(0, 1)));
    expect((error as Error).message).to.match(/exited with 3/);
    expect(await readdir(cacheDir)).to.have.length(2);
  });
});

describe('pronunciation cache file', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'pronunciations-')); });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  it('reads back what was added, skipping lines it cannot trust and words it does not keep', async () => {
    const cache = await PronunciationCache.open(dir, 'eSpeak NG text-to-speech: 1.51');
    await cache.add([['smythe', " sm'aID"], ['bad word', 'x'], ['tabbed', 'a\tb'], ['Upper', 'u']]);
    expect(cache.get('smythe')).to.equal(" sm'aID");
    expect(cache.size).to.equal(1);
    // A process stopped mid-write leaves a torn last line; an editor may leave junk.
    await appendFile(cache.path, 'not a line\nhalf\tline\twith tabs\nokafor\t o#k\'A:fO@');
    const again = await PronunciationCache.open(dir, 'eSpeak NG text-to-speech: 1.51');
    expect(again.get('smythe')).to.equal(" sm'aID");
    expect(again.get('okafor')).to.equal(" o#k'A:fO@");
    expect(again.skippedLines).to.equal(2);
    expect((await readFile(again.path, 'utf8')).split('\n')[0]).to.match(/^# espeak-ng phoneme lines by word/);
  });

  it('keeps one file per engine build', async () => {
    const old = await PronunciationCache.open(dir, 'eSpeak NG text-to-speech: 1.51');
    await old.add([['smythe', " sm'aID"]]);
    const next = await PronunciationCache.open(dir, 'eSpeak NG text-to-speech: 1.52');
    expect(next.path).to.not.equal(old.path);
    expect(next.get('smythe')).to.equal(undefined);
  });
});
