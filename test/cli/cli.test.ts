// End to end through the real CLI binary and a real redis-server: roll import, bills, delegation,
// votes, tallies now and as of a sequence, audits, log verification and tampering, snapshots.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliSession, runCli, type CliResult } from '../support/cli.js';
import { writeIowaZip, type HandVoter } from '../support/iowa-zip.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';

const feed = fileURLToPath(new URL('../../../test/fixtures/bills-this-week-sample.xml', import.meta.url));

const voters: HandVoter[] = [
  { id: '1001', first: 'mary', middle: 'ann', last: 'smith', city: 'ames', county: 'story', phone: '515-555-0101' },
  { id: '1002', first: 'john', last: 'doe', city: 'centerville', county: 'appanoose', phone: '641-555-0102' },
  { id: '1003', first: 'jim', last: 'roe', city: 'adel', county: 'dallas', phone: '515-555-0103' },
  { id: '1004', first: 'ann', last: 'lee', city: 'ames', county: 'story', phone: '515-555-0104' },
  { id: '1005', first: 'bob', last: 'ray', city: 'des moines', county: 'polk', phone: '515-555-0105' },
  { id: '1006', first: 'sue', last: 'lee', city: 'ames', county: 'story', phone: '515-555-0104' },
  { id: '1007', first: 'gus', last: 'hart', city: 'ames', county: 'story', phone: '515-555-0107' },
  { id: '1008', first: 'hal', last: 'hart', city: 'ames', county: 'story', phone: '515-555-0108' },
  { id: '1009', first: 'ida', last: 'nophone', city: 'ames', county: 'story', phone: '' },
  { id: '1010', first: 'jan', last: 'berg', city: 'w des moines', county: 'polk', phone: '515-555-0110' },
  { id: '1011', first: 'kim', last: 'olson', city: 'ames', county: 'story', phone: '515-555-0111' },
  { id: '1012', first: 'lou', last: 'olson', city: 'ames', county: 'story', phone: '515-555-0112' },
];
const phonesDigits = voters.filter((voter) => voter.phone !== '').map((voter) => voter.phone.replace(/\D/g, ''));

describe('cli: end to end on a real redis-server', function () {
  this.timeout(120_000);
  let redis: TestRedis;
  let dir: string;
  const session = new CliSession();
  const outputs = session.outputs;
  const cli = (...args: string[]): Promise<CliResult> => session.run(...args);
  const ok = (...args: string[]): Promise<string> => session.ok(...args);

  async function tally(...args: string[]): Promise<Record<string, number>> {
    return JSON.parse(await ok('tally', 'hr1234', '--json', ...args)) as Record<string, number>;
  }

  before(async () => {
    redis = await startTestRedis();
    dir = mkdtempSync(join(tmpdir(), 'dn-cli-'));
    session.env = { REDIS_SOCKET: redis.server.socketPath, DATA_DIR: dir, AUDIT_LOG: join(dir, 'audit_log.txt') };
    await writeIowaZip(join(dir, 'roll.zip'), voters);
  });
  after(async () => {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports the roll and the bills', async () => {
    expect(await ok('roll', 'import', join(dir, 'roll.zip'))).to.match(/generation \d+: 12 voters from 12 rows/);
    expect(await ok('roll', 'info')).to.match(/12 voters/);
    expect(await ok('bills', 'import', feed)).to.match(/week of 2026-11-23: 6 items, 6 added/);
    expect(await ok('bills', 'import', feed)).to.match(/0 added, 0 updated/);
    expect(await ok('bills', 'list')).to.match(/hr1234 .*Farm Credit Modernization/);
  });

  it('records delegations and votes and tallies them over all registered voters', async () => {
    await ok('vote', '1001', 'hr1234', 'yes');
    expect(await ok('delegate', '1002', '1001')).to.match(/^#\d+ John Doe of Centerville delegates -> Mary A Smith of Ames$/m);
    await ok('delegate', '1003', '1002');
    await ok('vote', '1004', 'hr1234', 'no');
    expect(await ok('delegate', '1005', '1004', '--bill', 'hr1234')).to.match(/delegates on H\.R\. 1234 -> Ann Lee of Ames/);
    await ok('delegate', '1005', '1001');
    await ok('delegate', '1007', '1008');
    await ok('delegate', '1008', '1007');
    await ok('delegate', '1010', '1007');
    expect(await ok('delegate', '1010', '1001', '--rank', '2')).to.match(/delegates \(choice 2\) -> Mary A Smith/);
    await ok('delegate', '1011', '1012');
    expect(await tally()).to.deep.include({ yes: 4, no: 2, abstain: 0, absent: 6, registered: 12 });
  });

  it('names the top influencers with their weights', async () => {
    const out = JSON.parse(await ok('influencers', 'hr1234', '--json', '--limit', '3')) as { influencers: Array<{ voter: string; weight: number; name: string }> };
    expect(out.influencers.map((influencer) => [influencer.voter, influencer.weight])).to.deep.equal([['1001', 4], ['1002', 2], ['1004', 2]]);
    expect(out.influencers[0]?.name).to.equal('Mary A Smith of Ames');
  });

  it('falls back to the default delegate when the bill delegate ends absent', async () => {
    await ok('vote', '1004', 'hr1234', 'absent');
    expect(await tally()).to.deep.include({ yes: 5, no: 0, absent: 7 });
    await ok('vote', '1004', 'hr1234', 'no');
  });

  it('recalls at once, and tallies as of an earlier sequence number', async () => {
    const before = Number(/(\d+) entries/.exec(await ok('log', 'verify'))?.[1]);
    expect(await ok('recall', '1003')).to.match(/recalls all delegates/);
    expect(await tally()).to.deep.include({ yes: 3, no: 2, absent: 7 });
    expect(await tally('--at', String(before))).to.deep.include({ yes: 4, no: 2, absent: 6, seq: before });
    expect(await ok('recall', '1003')).to.match(/nothing to recall/);
  });

  it('explains a chain, a cycle and a dead end', async () => {
    expect(await ok('audit', '1002', 'hr1234')).to.match(/Mary A Smith of Ames/);
    expect(await ok('audit', '1007', 'hr1234')).to.match(/cycle|back to/i);
    expect(await ok('audit', '1011', 'hr1234')).to.match(/Lou Olson of Ames/);
    expect(await ok('audit', '1010')).to.match(/Gus Hart of Ames/);
  });

  it('gives a one-line reason and a non-zero exit for bad input, and changes nothing', async () => {
    const entries = Number(/(\d+) entries/.exec(await ok('log', 'verify'))?.[1]);
    const cases: Array<[string[], number, RegExp]> = [
      [['vote', '1001', 'hr1234', 'maybe'], 2, /choice must be yes, no, abstain or absent/],
      [['vote', '1001', 'hr9999', 'yes'], 1, /no bill hr9999/],
      [['vote', '9999', 'hr1234', 'yes'], 2, /not in the current roll/],
      [['delegate', '1001', '1001'], 1, /cannot delegate to themselves/],
      [['delegate', '1001', '1002', '--rank', '4'], 2, /--rank must be 1, 2 or 3/],
      [['delegate', '5155550104', '1001'], 2, /2 voters share that phone/],
      [['tally', 'hr1234', '--at', '99999'], 1, /in the future/],
      [['tally', 'hr1234', '--at', 'x'], 2, /--at must be a positive whole number/],
      [['bills', 'add', 'Resolution 12', 'Title'], 2, /not a bill number/],
      [['roll', 'import', join(dir, 'missing.zip')], 1, /./],
      [['nonsense'], 2, /unknown command/],
    ];
    for (const [args, code, message] of cases) {
      const result = await cli(...args);
      expect(result.code, args.join(' ')).to.equal(code);
      expect(result.stderr, args.join(' ')).to.match(message);
      expect(result.stderr.trim().split('\n').length, args.join(' ')).to.be.at.most(3);
    }
    expect(await ok('log', 'verify')).to.match(new RegExp(`ok: ${entries} entries`));
  });

  it('verifies the published log, and finds a tampered byte at its sequence number', async () => {
    expect(await ok('log', 'verify', '--store')).to.match(/^ok: \d+ entries/);
    const jsonPath = join(dir, 'audit_log.jsonl');
    const original = readFileSync(jsonPath, 'utf8');
    const lines = original.trim().split('\n');
    lines[9] = lines[9]!.replace('"ts":', '"ts":1');
    writeFileSync(jsonPath, `${lines.join('\n')}\n`);
    const result = await cli('log', 'verify');
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(/first bad entry is seq 10 /);
    writeFileSync(jsonPath, original);
    expect(await ok('log', 'verify')).to.match(/^ok/);
    expect(readFileSync(join(dir, 'audit_log.txt'), 'utf8')).to.match(/^#\d+ At \S+Z Mary A Smith of Ames votes yes on H\.R\. 1234 \[/m);
  });

  it('exports a snapshot that reproduces the tallies in another store', async () => {
    const snapshot = join(dir, 'snapshot.jsonl.gz');
    expect(await ok('snapshot', 'export', snapshot)).to.match(/wrote snapshot at #\d+/);
    const expected = await tally();
    const replica = await startTestRedis();
    try {
      const replicaEnv = { ...session.env, REDIS_SOCKET: replica.server.socketPath, AUDIT_LOG: join(dir, 'replica', 'log.txt') };
      const imported = await runCli(['snapshot', 'import', snapshot], replicaEnv);
      expect(imported.code, imported.stderr).to.equal(0);
      const replicaTally = await runCli(['tally', 'hr1234', '--json'], replicaEnv);
      const { seq: _seq, ...counts } = JSON.parse(replicaTally.stdout) as Record<string, number>;
      const { seq: _expectedSeq, ...expectedCounts } = expected;
      expect(counts).to.deep.equal(expectedCounts);
      const again = await runCli(['snapshot', 'import', snapshot], replicaEnv);
      expect(again.code).to.equal(1);
      expect(again.stderr).to.match(/needs an empty store/);
      outputs.push(gunzipSync(readFileSync(snapshot)).toString());
    } finally {
      await replica.stop();
    }
  });

  it('never publishes a full phone number', () => {
    const published = [readFileSync(join(dir, 'audit_log.txt'), 'utf8'), readFileSync(join(dir, 'audit_log.jsonl'), 'utf8'), ...outputs];
    expect(published.join('').length).to.be.greaterThan(1000);
    for (const text of published) {
      const digitsOnly = text.replace(/[-() ]/g, '');
      for (const phone of phonesDigits) expect(digitsOnly.includes(phone), `phone ${phone.slice(0, 3)}… published`).to.equal(false);
    }
  });
});
