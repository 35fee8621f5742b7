import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditDraft } from '../../src/core/audit-entry.js';
import { AuditLog } from '../../src/store/audit-log.js';
import { Committer } from '../../src/store/commit.js';
import { jurisdictionKeys } from '../../src/store/keys.js';
import { publishLogFiles, verifyLogFiles, type LogFilePaths } from '../../src/store/log-files.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { thrown } from '../support/thrown.js';

const keys = jurisdictionKeys('ia');

function draft(n: number): AuditDraft {
  return { actor: `Voter ${n} of Ames`, actorId: String(n), channel: 'cli', text: `votes yes on H.R. ${n}`,
    event: { type: 'vote', voter: String(n), bill: `hr${n}`, choice: 'yes' } };
}

describe('store/audit-log: atomic commit, sealing, publishing, verification', () => {
  let redis: TestRedis;
  let dir: string;
  let paths: LogFilePaths;

  beforeEach(async () => {
    redis = await startTestRedis();
    dir = mkdtempSync(join(tmpdir(), 'dn-log-'));
    paths = { textPath: join(dir, 'audit_log.txt'), jsonPath: join(dir, 'audit_log.jsonl') };
  });
  afterEach(async () => {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function commitMany(count: number): Promise<{ log: AuditLog; committer: Committer }> {
    const client = redis.client();
    const committer = new Committer(client, keys);
    const log = new AuditLog(client, keys);
    for (let n = 1; n <= count; n += 1) {
      const result = await committer.commit({ guards: [], writes: [{ op: 'hset', key: keys.key('vote', `hr${n}`), field: String(n), value: 'yes' }], entries: [draft(n)] });
      expect(result.ok).to.equal(true);
    }
    return { log, committer };
  }

  it('writes state and entry together, or neither when a guard fails', async () => {
    const client = redis.client();
    const committer = new Committer(client, keys);
    const ok = await committer.commit({ guards: [{ kind: 'hash', key: keys.key('del'), field: '1', expected: null }],
      writes: [{ op: 'hset', key: keys.key('del'), field: '1', value: '["2"]' }], entries: [draft(1)] });
    expect(ok.ok).to.equal(true);
    const conflict = await committer.commit({ guards: [{ kind: 'hash', key: keys.key('del'), field: '1', expected: null }],
      writes: [{ op: 'hset', key: keys.key('del'), field: '1', value: '["3"]' }], entries: [draft(2)] });
    expect(conflict.ok).to.equal(false);
    expect(await client.hget(keys.key('del'), '1')).to.equal('["2"]');
    expect(await client.llen(keys.key('log'))).to.equal(1);
  });

  it('refuses keys outside the jurisdiction slot and phone numbers in public text', async () => {
    const committer = new Committer(redis.client(), keys);
    expect(String(await thrown(() => committer.commit({ guards: [], writes: [{ op: 'set', key: '{ne}:x', value: '1' }],
      entries: [] })))).to.match(/outside jurisdiction/);
    expect(String(await thrown(() => committer.commit({ guards: [], writes: [],
      entries: [{ ...draft(1), actor: '7125551234 unregistered' }] })))).to.match(/full phone number/);
  });

  it('assigns consecutive seq and non-decreasing server time; two sealers agree', async () => {
    const { log } = await commitMany(25);
    const other = new AuditLog(redis.client(), keys);
    const [a, b] = await Promise.all([log.sealAll(), other.sealAll()]);
    expect(a).to.equal(25);
    expect(b).to.equal(25);
    const entries = [];
    for await (const entry of log.readSealed()) entries.push(entry);
    expect(entries.map((entry) => entry.seq)).to.deep.equal(Array.from({ length: 25 }, (_, i) => i + 1));
    for (let i = 1; i < entries.length; i += 1) {
      expect(entries[i]!.ts).to.be.at.least(entries[i - 1]!.ts);
      expect(entries[i]!.prev).to.equal(entries[i - 1]!.hash);
    }
    expect((await log.newest(3)).map((entry) => entry.seq)).to.deep.equal([25, 24, 23]);
  });

  it('publishes text and JSON lines incrementally, and they verify', async () => {
    const { log, committer } = await commitMany(10);
    await log.sealAll();
    expect(await publishLogFiles(log, paths)).to.equal(10);
    await committer.commit({ guards: [], writes: [], entries: [draft(11)] });
    await log.sealAll();
    expect(await publishLogFiles(log, paths)).to.equal(1);
    expect(await publishLogFiles(log, paths)).to.equal(0);
    const text = readFileSync(paths.textPath, 'utf8').trim().split('\n');
    expect(text).to.have.length(11);
    expect(text[0]).to.match(/^#1 At \d{4}-\d\d-\d\dT[\d:.]+Z Voter 1 of Ames votes yes on H\.R\. 1 \[[0-9a-f]{16}\]$/);
    const verified = await verifyLogFiles(paths);
    expect(verified).to.deep.include({ ok: true, count: 11 });
  });

  describe('tampering is detected at the right sequence', () => {
    let lines: string[];
    beforeEach(async () => {
      const { log } = await commitMany(8);
      await log.sealAll();
      await publishLogFiles(log, paths);
      lines = readFileSync(paths.jsonPath, 'utf8').trim().split('\n');
    });

    async function verifyWith(jsonLines: string[]): Promise<{ seq: number; reason: string }> {
      writeFileSync(paths.jsonPath, `${jsonLines.join('\n')}\n`);
      const result = await verifyLogFiles({ ...paths, textPath: null });
      if (result.ok) throw new Error('tampering was not detected');
      return result.problem;
    }

    it('one changed byte', async () => {
      const changed = [...lines];
      changed[4] = changed[4]!.replace('Voter 5 of Ames', 'Voter 6 of Ames');
      expect((await verifyWith(changed)).seq).to.equal(5);
    });
    it('one changed byte that breaks the JSON', async () => {
      const changed = [...lines];
      changed[2] = changed[2]!.replace('{', '[');
      expect(await verifyWith(changed)).to.deep.include({ seq: 3 });
    });
    it('a dropped entry', async () => {
      expect(await verifyWith([...lines.slice(0, 3), ...lines.slice(4)])).to.deep.include({ seq: 4 });
    });
    it('two entries swapped', async () => {
      const swapped = [...lines];
      [swapped[5], swapped[6]] = [swapped[6]!, swapped[5]!];
      expect((await verifyWith(swapped)).seq).to.equal(6);
    });
    it('an inserted entry', async () => {
      const inserted = [...lines.slice(0, 2), lines[1]!, ...lines.slice(2)];
      expect((await verifyWith(inserted)).seq).to.equal(3);
    });
    it('a changed hash', async () => {
      const changed = [...lines];
      const entry = JSON.parse(changed[7]!) as { hash: string };
      changed[7] = changed[7]!.replace(entry.hash, entry.hash.replace(/^./, (c) => (c === '0' ? '1' : '0')));
      expect((await verifyWith(changed)).seq).to.equal(8);
    });
    it('a changed text line', async () => {
      const text = readFileSync(paths.textPath, 'utf8').replace('Voter 3 of Ames', 'Voter 9 of Ames');
      writeFileSync(paths.textPath, text);
      const result = await verifyLogFiles(paths);
      expect(result.ok).to.equal(false);
      if (!result.ok) {
        expect(result.file).to.equal(paths.textPath);
        expect(result.problem.seq).to.equal(3);
      }
    });
  });

  it('refuses to extend a published file that differs from the store', async () => {
    const { log } = await commitMany(3);
    await log.sealAll();
    await publishLogFiles(log, paths);
    const lines = readFileSync(paths.jsonPath, 'utf8').trim().split('\n');
    writeFileSync(paths.jsonPath, `${lines.slice(0, 2).join('\n')}\n${lines[2]!.replace('Voter 3', 'Voter 4')}\n`);
    expect(String(await thrown(() => publishLogFiles(log, paths)))).to.match(/differs from the store/);
  });
});
