// Warming up names by voice (roll-name-directory.ts) on a real roll in a real redis-server: while the
// directory builds, `currentIfReady` hands the dialog nothing (it asks for the phone number on the
// keypad) instead of making it wait; the warm-up then builds the directory and the grammars of the
// cities with the most voters, largest first, and after that the directory is handed out at once.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, type AppContext } from '../../../src/app/context.js';
import { importRollFile } from '../../../src/app/roll-import-service.js';
import { ConfigError, loadConfig } from '../../../src/config/config.js';
import { createLogger } from '../../../src/config/logger.js';
import { loadCmudict } from '../../../src/speech/lexicon/cmudict.js';
import { loadNicknames } from '../../../src/speech/matcher/index.js';
import { RollNameDirectory, type BuildReport } from '../../../src/speech/names/roll-name-directory.js';
import { writeIowaZip, type HandVoter } from '../../support/iowa-zip.js';
import { startTestRedis, type TestRedis } from '../../support/redis.js';

function voters(city: string, county: string, count: number, firstId: number): HandVoter[] {
  const surnames = ['jones', 'smith', 'miller', 'brown', 'davis', 'wilson'];
  return Array.from({ length: count }, (_, i) => ({
    id: String(firstId + i), first: ['mary', 'john', 'linda', 'robert'][i % 4] as string,
    last: surnames[i % surnames.length] as string, city, county, phone: `515555${String(firstId + i).slice(-4)}`,
  }));
}

describe('speech/names: warming up the roll name directory', function () {
  this.timeout(60_000);
  let redis: TestRedis;
  let dir = '';
  let context: AppContext;

  before(async () => {
    redis = await startTestRedis();
    dir = mkdtempSync(join(tmpdir(), 'dn-names-warm-up-'));
    context = await createContext(loadConfig({ REDIS_SOCKET: redis.server.socketPath, DATA_DIR: dir }),
      createLogger('silent'));
    await writeIowaZip(join(dir, 'roll.zip'), [
      ...voters('ames', 'story', 12, 4100), ...voters('boone', 'boone', 5, 4200), ...voters('des moines', 'polk', 20, 4300),
      ...voters('nevada', 'story', 2, 4400),
    ]);
    await importRollFile(context, join(dir, 'roll.zip'));
  });

  after(async () => {
    await context.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keypad while building, then the directory and the largest cities\' grammars, largest first', async () => {
    const [dictionary, nicknames] = await Promise.all([loadCmudict(), loadNicknames()]);
    const names = new RollNameDirectory(context.roll, dictionary, nicknames, { keypadWhileBuilding: true });
    try {
      expect(names.ready).to.equal(false);
      const warming = names.warmUp(2);
      expect(await names.currentIfReady(), 'nothing is handed out while the directory builds').to.equal(null);
      const report = await warming;
      expect(report.cities.map((city) => [city.slug, city.voters])).to.deep.equal([['des-moines', 20], ['ames', 12]]);
      expect(report.directoryMs).to.be.a('number').and.at.least(0);
      expect(names.ready).to.equal(true);
      expect(names.warmCities).to.equal(2);
      const ready = await names.currentIfReady();
      expect(ready?.index.voterCount).to.equal(39);
      expect(ready?.names?.cities.cachedCities).to.deep.equal(['des-moines', 'ames']);
      expect(ready?.names?.cities.buildCount, 'only the two largest cities were built').to.equal(2);
    } finally {
      await names.close();
    }
  });

  it('stops quietly when closed mid-warm-up (serve stopping early loses nothing)', async () => {
    const [dictionary, nicknames] = await Promise.all([loadCmudict(), loadNicknames()]);
    const names = new RollNameDirectory(context.roll, dictionary, nicknames, { keypadWhileBuilding: true });
    const warming = names.warmUp(4);
    await names.current();
    await names.close();
    const report = await warming;
    expect(report.cities.length, JSON.stringify(report)).to.be.below(4);
    expect(names.ready).to.equal(false);
  });

  it('after the build the neighbour lists are found (a slice at a time in the background), then reported', async () => {
    const [dictionary, nicknames] = await Promise.all([loadCmudict(), loadNicknames()]);
    let found: { generation: number; ms: number } | null = null;
    let announced: () => void = () => undefined;
    const reported = new Promise<void>((resolve) => { announced = resolve; });
    const names = new RollNameDirectory(context.roll, dictionary, nicknames,
      { onNeighboursFound: (report) => { found = report; announced(); } });
    try {
      const entry = await names.current();
      await reported;
      expect(found).to.include({ generation: entry?.generation });
      expect(entry?.index.findNeighbours(1), 'every list of every kind is found').to.equal(true);
    } finally {
      await names.close();
    }
  });

  it('NAME_WARMUP_CITIES: 8 by default, 0 turns it off, more than the grammar cache holds is refused', () => {
    expect(loadConfig({}).nameWarmupCities).to.equal(8);
    expect(loadConfig({ NAME_WARMUP_CITIES: '0' }).nameWarmupCities).to.equal(0);
    expect(() => loadConfig({ NAME_WARMUP_CITIES: '65' })).to.throw(ConfigError, /NAME_WARMUP_CITIES: expected at most 64/);
    expect(() => loadConfig({ NAME_WARMUP_CITIES: 'many' })).to.throw(ConfigError, /NAME_WARMUP_CITIES/);
  });

  it('each generation\'s build is told once, with how its names are asked, with no warm-up at all', async () => {
    const [dictionary, nicknames] = await Promise.all([loadCmudict(), loadNicknames()]);
    const built: BuildReport[] = [];
    // 39 voters against a voice limit of 10: names by keypad, which the operator must hear of.
    const names = new RollNameDirectory(context.roll, dictionary, nicknames,
      { voiceVotersMax: 10, onBuilt: (report) => { built.push(report); } });
    try {
      const entry = await names.current();
      await names.current();
      expect(entry?.byVoice).to.equal(false);
      expect(built).to.have.length(1);
      expect(built[0]).to.include({ generation: entry?.generation, voters: 39, byVoice: false, townFirst: false });
      expect(built[0]?.directoryMs).to.be.a('number').and.at.least(0);
    } finally {
      await names.close();
    }
  });

  it('without keypadWhileBuilding, currentIfReady waits for the build (what tests and first use get)', async () => {
    const [dictionary, nicknames] = await Promise.all([loadCmudict(), loadNicknames()]);
    const names = new RollNameDirectory(context.roll, dictionary, nicknames);
    try {
      const entry = await names.currentIfReady();
      expect(entry?.index.voterCount).to.equal(39);
      expect(names.ready).to.equal(true);
      expect(names.warmCities).to.equal(0);
    } finally {
      await names.close();
    }
  });

  it('with nothing listening (grammars: false) only the index is built: no grammars, no city warmed', async () => {
    // SPEECH_ENGINE=none or a recognizer that cannot load grammars: names are asked by keypad, and building the
    // grammars (G2P of every roll word the dictionary lacks) would only cost start-up time.
    const [dictionary, nicknames] = await Promise.all([loadCmudict(), loadNicknames()]);
    const names = new RollNameDirectory(context.roll, dictionary, nicknames,
      { keypadWhileBuilding: true, grammars: false });
    try {
      const report = await names.warmUp(2);
      expect(report.cities).to.deep.equal([]);
      const entry = await names.currentIfReady();
      expect(entry?.names).to.equal(null);
      expect(entry?.index.voterCount).to.equal(39);
      expect(entry?.byVoice, 'the roll\'s size still allows names by voice').to.equal(true);
      expect(names.warmCities).to.equal(0);
    } finally {
      await names.close();
    }
    const listening = new RollNameDirectory(context.roll, dictionary, nicknames);
    try {
      expect((await listening.current())?.names, 'grammars are built by default').to.not.equal(null);
    } finally {
      await listening.close();
    }
  });

  it('a new import while serving is warmed up too: keypad while it builds, then its largest cities', async () => {
    const [dictionary, nicknames] = await Promise.all([loadCmudict(), loadNicknames()]);
    const names = new RollNameDirectory(context.roll, dictionary, nicknames, { keypadWhileBuilding: true });
    try {
      const first = await names.warmUp(1);
      expect(first.cities.map((city) => city.slug)).to.deep.equal(['des-moines']);
      await writeIowaZip(join(dir, 'roll2.zip'), [...voters('boone', 'boone', 9, 5200), ...voters('ames', 'story', 3, 5100)]);
      await importRollFile(context, join(dir, 'roll2.zip'));
      expect(await names.currentIfReady(), 'the new generation is not handed out before it is built').to.equal(null);
      const second = await names.latestWarmUp;
      expect(second?.generation).to.not.equal(first.generation);
      expect(second?.cities.map((city) => [city.slug, city.voters])).to.deep.equal([['boone', 9]]);
      expect((await names.currentIfReady())?.index.voterCount).to.equal(12);
      expect(names.warmCities).to.equal(1);
    } finally {
      await names.close();
    }
  });
});
