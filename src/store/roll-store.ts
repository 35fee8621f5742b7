// The voter roll in Redis, in generations: an import writes a complete new generation beside the
// current one and a single switch of `roll:current` activates it, so readers never see a half
// imported roll and a crash before the switch leaves the previous roll in force.
//
// Key layout (every key carries the jurisdiction hash tag, here `{ia}`, so Lua and MULTI stay in
// one cluster slot):
//   {ia}:roll:current        string  generation number of the roll in force; absent before the first import
//   {ia}:roll:next           string  INCR counter handing out generation numbers (never reused)
//   {ia}:roll:building       string  generation an import is writing; absent when none is
//   {ia}:roll:generations    set     generations whose keys may exist: current, building, leftovers
//   {ia}:roll:lock           string  import lock: random token with a PX expiry, refreshed while importing
//   {ia}:roll:<g>:voters     hash    REGN_NUM → encoded record (encodeVoterRecord below)
//   {ia}:roll:<g>:phones     hash    10-digit phone → comma-separated REGN_NUMs (households share phones)
//   {ia}:roll:<g>:meta       hash    voters, rowsRead, badRows, warnings, source, sha256, importedAt, district
//
// A generation's hashes are written once and never modified after activation, which is what makes
// HSCAN over them return every voter exactly once.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RegisteredVoter, VoterId } from '../core/voter.js';
import type { JurisdictionKeys } from './keys.js';

const recordVersion = '1';
const recordSeparator = '\x1f';
const recordFieldCount = 13;
const phoneIdSeparator = ',';
/** HMGET batch: large enough to amortize round trips, small enough not to block Redis. */
export const voterLookupBatchSize = 1_000;
export const voterScanBatchSize = 1_000;

export interface RollMeta {
  generation: number;
  voters: number;
  rowsRead: number;
  badRows: number;
  warnings: number;
  source: string;
  sha256: string;
  importedAt: string;
  /** The VOTING_DISTRICT filter of the import; '' when the whole roll was imported. */
  district: string;
}

/** A row ready to be written: the encoded record and the phone to index it under (or ''). */
export interface EncodedVoterRow {
  id: VoterId;
  record: string;
  phone: string;
}

// ---- record encoding ---------------------------------------------------------------------------

/** Compact record: version and fields joined by the ASCII unit separator, which cleaned text never holds. */
export function encodeVoterRecord(voter: RegisteredVoter): string {
  const fields = [
    recordVersion, voter.name.first, voter.name.middle, voter.name.last, voter.name.suffix, voter.city,
    voter.county, voter.phone ?? '', voter.houseNumber, voter.street, voter.zip, voter.district, voter.precinct,
  ];
  assert.equal(fields.length, recordFieldCount);
  for (const field of fields) assert.ok(!field.includes(recordSeparator), 'record field holds the separator');
  return fields.join(recordSeparator);
}

export function decodeVoterRecord(id: VoterId, record: string): RegisteredVoter {
  const fields = record.split(recordSeparator);
  assert.equal(fields.length, recordFieldCount, `voter ${id}: corrupt roll record`);
  const [version, first, middle, last, suffix, city, county, phone, houseNumber, street, zip, district,
    precinct] = fields as [string, string, string, string, string, string, string, string, string, string,
    string, string, string];
  assert.equal(version, recordVersion, `voter ${id}: unknown roll record version ${version}`);
  return {
    id, name: { first, middle, last, suffix }, city, county, phone: phone.length > 0 ? phone : null,
    houseNumber, street, zip, district, precinct,
  };
}

// ---- Lua ---------------------------------------------------------------------------------------

// Every write of an import is fenced (SPEC §11): the script's last key is the import lock and its last
// argument the importer's token; unless the lock still holds that token, the script writes nothing.
// So an importer paused past its lock (GC, SIGSTOP) cannot touch the roll once another has taken over,
// whatever its own timers believe. An empty token writes unfenced (tools and tests without a lock).
const fencePrelude = `
if ARGV[#ARGV] ~= '' and redis.call('GET', KEYS[#KEYS]) ~= ARGV[#ARGV] then
  return redis.error_reply('FENCED roll import lock ' .. KEYS[#KEYS] .. ' no longer holds token ' .. ARGV[#ARGV])
end`;

// Writes one batch of voters: HSETNX keeps the first occurrence of a REGN_NUM (later duplicates
// are reported by 1-based position and their phones are not indexed); the phone index is appended
// in the same script, so a household's ids accumulate without a read-modify-write race. The batch
// travels as ONE argument (rows ended by RS, columns split by GS): thousands of separate arguments
// cost the client more CPU to encode than the whole script costs Redis to run.
const writeBatchScript = `${fencePrelude}
local duplicates = {}
local position = 0
for id, record, phone in string.gmatch(ARGV[1], '([^\\29]*)\\29([^\\29]*)\\29([^\\30]*)\\30') do
  position = position + 1
  if redis.call('HSETNX', KEYS[1], id, record) == 1 then
    if phone ~= '' then
      local ids = redis.call('HGET', KEYS[2], phone)
      if ids then redis.call('HSET', KEYS[2], phone, ids .. ',' .. id)
      else redis.call('HSET', KEYS[2], phone, id) end
    end
  else
    duplicates[#duplicates + 1] = position
  end
end
return {position, duplicates}`;
const batchColumnSeparator = '\x1d';
const batchRowTerminator = '\x1e';
const batchSeparators = /[\x1d\x1e]/;

const refreshLockScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

const releaseLockScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

// Deletes a generation's keys unless it is (or became) current: the check and the UNLINK are one
// atomic step. UNLINK hands the memory of a multi-million-field hash to Redis's lazy-free thread.
const deleteGenerationScript = `${fencePrelude}
if redis.call('GET', KEYS[1]) == ARGV[1] then return 0 end
redis.call('UNLINK', KEYS[3], KEYS[4], KEYS[5])
redis.call('SREM', KEYS[2], ARGV[1])
if redis.call('GET', KEYS[6]) == ARGV[1] then redis.call('DEL', KEYS[6]) end
return 1`;

// KEYS[1] next, KEYS[2] generations, KEYS[3] building: a number never handed out before, recorded as
// building before any of its keys exist.
const beginGenerationScript = `${fencePrelude}
local generation = redis.call('INCR', KEYS[1])
redis.call('SADD', KEYS[2], generation)
redis.call('SET', KEYS[3], generation)
return generation`;

// KEYS[1] meta hash; ARGV field, value, … (then the token).
const writeMetaScript = `${fencePrelude}
for i = 1, #ARGV - 1, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return 1`;

const finishBuildingScript = `${fencePrelude}
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const activateSimpleScript = `
redis.call('SET', KEYS[1], ARGV[1])
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1`;

const scriptShas = new Map<string, string>();

async function runScript(redis: Redis, script: string, keys: string[], args: Array<string | number>): Promise<unknown> {
  let sha = scriptShas.get(script);
  if (sha === undefined) {
    sha = createHash('sha1').update(script).digest('hex');
    scriptShas.set(script, sha);
  }
  try {
    return await redis.evalsha(sha, keys.length, ...keys, ...args);
  } catch (error) {
    // NOSCRIPT: first use on this server, or the script cache was flushed.
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return await redis.eval(script, keys.length, ...keys, ...args);
  }
}

function parseGeneration(raw: string | null, what: string): number | null {
  if (raw === null) return null;
  const generation = Number(raw);
  assert.ok(Number.isSafeInteger(generation) && generation > 0, `${what}: bad roll generation ${raw}`);
  return generation;
}

/** A fenced import's write was refused: the import lock passed to another importer (or expired). */
export class RollFenceError extends Error {
  override name = 'RollFenceError';
}

async function runFenced(redis: Redis, script: string, keys: string[], args: Array<string | number>): Promise<unknown> {
  try {
    return await runScript(redis, script, keys, args);
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('FENCED')) {
      throw new RollFenceError(`write refused: ${error.message.slice('FENCED '.length)}`, { cause: error });
    }
    throw error;
  }
}

// ---- store -------------------------------------------------------------------------------------

export class RollStore {
  /** `fenceToken`: the import lock token every generation write is fenced by ('' for unfenced). */
  constructor(private readonly redis: Redis, private readonly keys: JurisdictionKeys,
    private readonly fenceToken = '') {}

  /** The same store, every generation write refused unless the import lock still holds `token`. */
  fencedBy(token: string): RollStore {
    assert.ok(token.length > 0, 'a fence needs a token');
    return new RollStore(this.redis, this.keys, token);
  }

  /** Runs a write script with the fence appended: the lock key last among the keys, the token last among the args. */
  private async write(script: string, keys: string[], args: Array<string | number>): Promise<unknown> {
    return runFenced(this.redis, script, [...keys, this.lockKey], [...args, this.fenceToken]);
  }

  private get currentKey(): string { return this.keys.key('roll', 'current'); }
  private get nextKey(): string { return this.keys.key('roll', 'next'); }
  private get buildingKey(): string { return this.keys.key('roll', 'building'); }
  private get generationsKey(): string { return this.keys.key('roll', 'generations'); }
  private get lockKey(): string { return this.keys.key('roll', 'lock'); }
  private votersKey(generation: number): string { return this.keys.key('roll', generation, 'voters'); }
  private phonesKey(generation: number): string { return this.keys.key('roll', generation, 'phones'); }
  private metaKey(generation: number): string { return this.keys.key('roll', generation, 'meta'); }

  /** Every key a generation may own, for cleanup and tests. */
  keysOfGeneration(generation: number): string[] {
    assert.ok(Number.isSafeInteger(generation) && generation > 0, `bad generation ${generation}`);
    return [this.votersKey(generation), this.phonesKey(generation), this.metaKey(generation)];
  }

  async currentGeneration(): Promise<number | null> {
    return parseGeneration(await this.redis.get(this.currentKey), this.currentKey);
  }

  /** The generation to read: the one asked for, else the current one (null: no roll yet). */
  private async resolve(generation: number | undefined): Promise<number | null> {
    if (generation === undefined) return this.currentGeneration();
    assert.ok(Number.isSafeInteger(generation) && generation > 0, `bad generation ${generation}`);
    return generation;
  }

  async getVoter(id: VoterId, generation?: number): Promise<RegisteredVoter | null> {
    const resolved = await this.resolve(generation);
    if (resolved === null) return null;
    const record = await this.redis.hget(this.votersKey(resolved), id);
    return record === null ? null : decodeVoterRecord(id, record);
  }

  /** Voters by id, in the order asked; null where an id is not in the roll. */
  async getVoters(ids: readonly VoterId[], generation?: number): Promise<Array<RegisteredVoter | null>> {
    const resolved = await this.resolve(generation);
    if (resolved === null || ids.length === 0) return ids.map(() => null);
    const pipeline = this.redis.pipeline();
    for (let start = 0; start < ids.length; start += voterLookupBatchSize) {
      pipeline.hmget(this.votersKey(resolved), ...ids.slice(start, start + voterLookupBatchSize));
    }
    const replies = (await pipeline.exec()) ?? [];
    const records: Array<string | null> = [];
    for (const [error, reply] of replies) {
      if (error !== null) throw error;
      records.push(...(reply as Array<string | null>));
    }
    assert.equal(records.length, ids.length, 'one HMGET reply per id');
    return records.map((record, index) => (record === null ? null : decodeVoterRecord(ids[index] as VoterId, record)));
  }

  /** Every voter registered with this 10-digit phone (a household may share one). */
  async votersByPhone(phone: string, generation?: number): Promise<RegisteredVoter[]> {
    const resolved = await this.resolve(generation);
    if (resolved === null) return [];
    const ids = await this.redis.hget(this.phonesKey(resolved), phone);
    if (ids === null) return [];
    const voters = await this.getVoters(ids.split(phoneIdSeparator), resolved);
    return voters.filter((voter): voter is RegisteredVoter => voter !== null);
  }

  /** Which of these 10-digit phones some voter is registered with: one round trip, however many are asked. */
  async phonesOnRoll(phones: readonly string[], generation?: number): Promise<Set<string>> {
    const resolved = await this.resolve(generation);
    const asked = [...new Set(phones)];
    if (resolved === null || asked.length === 0) return new Set();
    const ids = await this.redis.hmget(this.phonesKey(resolved), ...asked);
    assert.equal(ids.length, asked.length, 'one HMGET reply per phone');
    return new Set(asked.filter((_, index) => ids[index] !== null));
  }

  async count(generation?: number): Promise<number> {
    const resolved = await this.resolve(generation);
    return resolved === null ? 0 : this.redis.hlen(this.votersKey(resolved));
  }

  /** All voters of a generation in batches of about `batchSize`, without loading the roll. */
  async *scanVoters(options: { generation?: number; batchSize?: number } = {}): AsyncGenerator<RegisteredVoter[]> {
    const generation = await this.resolve(options.generation);
    if (generation === null) return;
    const batchSize = options.batchSize ?? voterScanBatchSize;
    assert.ok(Number.isSafeInteger(batchSize) && batchSize > 0, `bad batch size ${batchSize}`);
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(this.votersKey(generation), cursor, 'COUNT', batchSize);
      const voters: RegisteredVoter[] = [];
      for (let index = 0; index + 1 < flat.length; index += 2) {
        voters.push(decodeVoterRecord(flat[index] as string, flat[index + 1] as string));
      }
      if (voters.length > 0) yield voters;
      cursor = next;
    } while (cursor !== '0');
  }

  async meta(generation?: number): Promise<RollMeta | null> {
    const resolved = await this.resolve(generation);
    if (resolved === null) return null;
    const raw = await this.redis.hgetall(this.metaKey(resolved));
    if (Object.keys(raw).length === 0) return null;
    return {
      generation: resolved, voters: Number(raw.voters), rowsRead: Number(raw.rowsRead), badRows: Number(raw.badRows),
      warnings: Number(raw.warnings), source: raw.source ?? '', sha256: raw.sha256 ?? '',
      importedAt: raw.importedAt ?? '', district: raw.district ?? '',
    };
  }

  /**
   * Makes `generation` current without any other bookkeeping: for tests and tools. The app
   * activates through its own commit (tentative-voter migration and audit entry in one step).
   * Shaped to be passed straight to importRoll: `activate: (g) => store.activateSimple(g)`.
   */
  async activateSimple(generation: number): Promise<void> {
    assert.ok(Number.isSafeInteger(generation) && generation > 0, `bad generation ${generation}`);
    await runScript(this.redis, activateSimpleScript, [this.currentKey, this.buildingKey], [generation]);
  }

  // ---- used by the importer --------------------------------------------------------------------

  /** Generations whose keys may exist (current, building, leftovers of crashed imports). */
  async generations(): Promise<number[]> {
    const members = await this.redis.smembers(this.generationsKey);
    return members.map((member) => parseGeneration(member, this.generationsKey) as number).sort((a, b) => a - b);
  }

  async buildingGeneration(): Promise<number | null> {
    return parseGeneration(await this.redis.get(this.buildingKey), this.buildingKey);
  }

  async acquireImportLock(token: string, ttlMs: number): Promise<boolean> {
    assert.ok(token.length > 0 && ttlMs > 0);
    return (await this.redis.set(this.lockKey, token, 'PX', ttlMs, 'NX')) === 'OK';
  }

  async refreshImportLock(token: string, ttlMs: number): Promise<boolean> {
    return (await runScript(this.redis, refreshLockScript, [this.lockKey], [token, ttlMs])) === 1;
  }

  async releaseImportLock(token: string): Promise<void> {
    await runScript(this.redis, releaseLockScript, [this.lockKey], [token]);
  }

  /** Allocates a generation number and records it as building before any of its keys exist. */
  async beginGeneration(): Promise<number> {
    const keys = [this.nextKey, this.generationsKey, this.buildingKey];
    const generation = await this.write(beginGenerationScript, keys, []);
    assert.ok(typeof generation === 'number', 'begin generation returns the new number');
    return generation;
  }

  /** Writes a batch; returns the 0-based positions of rows whose REGN_NUM was already present. */
  async writeVoterBatch(generation: number, rows: readonly EncodedVoterRow[]): Promise<number[]> {
    assert.ok(rows.length > 0, 'empty batch');
    let packed = '';
    for (const row of rows) {
      assert.ok(/^\d+$/.test(row.id) && /^\d*$/.test(row.phone) && !batchSeparators.test(row.record),
        `row ${row.id}: not a valid batch row`);
      packed += row.id + batchColumnSeparator + row.record + batchColumnSeparator + row.phone + batchRowTerminator;
    }
    const [written, duplicates] = await this.write(writeBatchScript,
      [this.votersKey(generation), this.phonesKey(generation)], [packed]) as [number, number[]];
    assert.equal(written, rows.length, 'the script saw every row of the batch');
    return duplicates.map((position) => position - 1);
  }

  async writeMeta(meta: RollMeta): Promise<void> {
    const { generation, ...fields } = meta;
    await this.write(writeMetaScript, [this.metaKey(generation)],
      Object.entries(fields).flatMap(([name, value]) => [name, String(value)]));
  }

  /** Clears `building` if it still names this generation (after activation or abandonment). */
  async finishBuilding(generation: number): Promise<void> {
    await this.write(finishBuildingScript, [this.buildingKey], [generation]);
  }

  /** Deletes a generation's keys; refuses (returns false) if it is the current generation. */
  async deleteGeneration(generation: number): Promise<boolean> {
    const keys = [this.currentKey, this.generationsKey, ...this.keysOfGeneration(generation), this.buildingKey];
    return (await this.write(deleteGenerationScript, keys, [generation])) === 1;
  }

  /**
   * Deletes every generation except the current one: leftovers of an import that crashed before
   * activation, or of a previous generation whose deletion was cut short. Only call while holding
   * the import lock, since an import in progress owns its building generation.
   */
  async removeLeftoverGenerations(): Promise<number[]> {
    const current = await this.currentGeneration();
    const removed: number[] = [];
    for (const generation of await this.generations()) {
      if (generation !== current && await this.deleteGeneration(generation)) removed.push(generation);
    }
    const building = await this.buildingGeneration();
    if (building !== null) await this.finishBuilding(building);
    return removed;
  }
}
