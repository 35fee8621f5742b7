// kill -9 during an import: the previous generation must stay current and complete, and the next
// import must remove what the dead one left behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { generateRoll } from '../../src/roll/generate.js';
import { importRoll } from '../../src/roll/import.js';
import { loadIowa } from '../../src/roll/iowa/index.js';
import { RollStore } from '../../src/store/roll-store.js';
import { startTestRollStore, type TestRedis } from '../support/redis.js';
import { iowaCsv, makeTempDir, validRow, writeZip } from './roll-fixtures.js';

const crashRollVoters = 200_000;
/** Kill once this many rows are written: well inside the roll, after real writes happened. */
const killAfterRows = 40_000;
const childPath = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'import-child.js');

interface ChildOutcome {
  signal: NodeJS.Signals | null;
  code: number | null;
  rowsSeen: number;
  finished: boolean;
}

/** Children still running when the suite ends (a timeout on a loaded machine) are killed in after(). */
const children = new Set<ChildProcess>();

/** Runs the import child and kill -9s it once it reports `killAfterRows` rows. */
async function runAndKill(socketPath: string, zipPath: string): Promise<ChildOutcome> {
  const child = spawn(process.execPath, [childPath, socketPath, zipPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const outcome: ChildOutcome = { signal: null, code: null, rowsSeen: 0, finished: false };
  const exited = once(child, 'exit');
  for await (const line of createInterface({ input: child.stdout })) {
    const [word, value] = line.split(' ');
    if (word === 'done') outcome.finished = true;
    if (word === 'progress') outcome.rowsSeen = Number(value);
    if (outcome.rowsSeen >= killAfterRows && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      break;
    }
  }
  const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
  return { ...outcome, code, signal };
}

describe('roll import: kill -9 mid-import', function () {
  this.timeout(180_000);
  const iowa = loadIowa();
  const temp = makeTempDir();
  let testRedis: TestRedis;
  let redis: Redis;
  let store: RollStore;

  before(async () => {
    ({ testRedis, redis, store } = await startTestRollStore());
  });
  after(async () => {
    for (const child of children) child.kill('SIGKILL');
    await testRedis.stop();
    temp.remove();
  });

  it('keeps the previous generation current, then cleans up on the next import', async () => {
    const activate = (generation: number): Promise<void> => store.activateSimple(generation);
    const baselinePath = await writeZip(join(temp.path, 'baseline.zip'),
      [{ name: 'roll.csv', data: iowaCsv([validRow(1), validRow(2)]) }]);
    const baseline = await importRoll({ redis, jurisdiction: iowa, zipPath: baselinePath, activate });
    const big = await generateRoll({ seed: 99, voters: crashRollVoters, jurisdiction: iowa,
      outputPath: join(temp.path, 'big.zip') });

    const outcome = await runAndKill(testRedis.server.socketPath, big.path);
    expect(outcome.finished, 'the child must not finish before the kill').to.equal(false);
    expect(outcome.signal).to.equal('SIGKILL');
    expect(outcome.rowsSeen).to.be.within(killAfterRows, crashRollVoters - 1);

    // The previous generation is current and whole; the dead import's generation is a leftover.
    expect(await store.currentGeneration()).to.equal(baseline.generation);
    expect(await store.count()).to.equal(2);
    expect((await store.getVoter('5000001'))?.name.last).to.equal('doe1');
    const leftover = await store.buildingGeneration();
    expect(leftover).to.be.a('number').and.not.equal(baseline.generation);
    const leftoverRows = await store.count(leftover as number);
    expect(leftoverRows).to.be.within(killAfterRows - 5_000, crashRollVoters - 1);
    expect(await store.generations()).to.deep.equal([baseline.generation, leftover]);

    // A fresh import waits out the dead child's lock, removes the leftover, and succeeds.
    const report = await importRoll({ redis, jurisdiction: iowa, zipPath: big.path, activate, lockWaitMs: 5_000 });
    expect(report.removedLeftovers).to.deep.equal([leftover]);
    expect(report.votersImported).to.equal(crashRollVoters);
    expect(await store.currentGeneration()).to.equal(report.generation);
    expect(await store.count()).to.equal(crashRollVoters);
    expect(await redis.exists(...store.keysOfGeneration(leftover as number))).to.equal(0);
    expect(await redis.exists(...store.keysOfGeneration(baseline.generation))).to.equal(0);
    expect(await store.generations()).to.deep.equal([report.generation]);
    expect(await store.buildingGeneration()).to.equal(null);
  });
});
