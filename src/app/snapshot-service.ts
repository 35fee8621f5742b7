// Snapshots (SPEC §5): all public state at an audit-log sequence number, as gzipped JSON lines
// anyone can download, and re-import into an empty store to reproduce every tally. Public state
// only: voters appear with name, city and county; never a phone or street address.
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import type { AuditDraft } from '../core/audit-entry.js';
import type { Bill, BillId } from '../core/bill.js';
import { combineLegs, isTransferEvent, LedgerReplay, mintAccount, type Leg, type TransferEvent } from '../core/money/ledger.js';
import type { VoteValue } from '../core/vote.js';
import type { RegisteredVoter, VoterId } from '../core/voter.js';
import { encodeVoterRecord } from '../store/roll-store.js';
import type { Write } from '../store/commit.js';
import type { AppContext } from './context.js';
import { loadState } from './state-loader.js';

export const snapshotFormat = 1;
const snapshotWriteBatch = 1_000;

type SnapshotLine =
  | { type: 'snapshot'; format: number; jurisdiction: string; seq: number; hash: string; registered: number }
  | { type: 'voter'; id: VoterId; first: string; middle: string; last: string; suffix: string; city: string; county: string }
  | { type: 'bill'; bill: Bill }
  | { type: 'defaults'; voter: VoterId; delegates: VoterId[] }
  | { type: 'bill-delegate'; bill: BillId; voter: VoterId; delegate: VoterId }
  | { type: 'vote'; bill: BillId; voter: VoterId; value: VoteValue }
  | { type: 'balance'; account: string; cents: number }
  | { type: 'serial'; voter: VoterId; serial: number }
  | { type: 'money'; lastSerial: number; properties: boolean; nextProperty: number }
  | { type: 'property'; id: string; property: unknown }
  | { type: 'end'; lines: number };

/** Opening entries of an import carry this many balances (or serials) each. */
const openingLegsPerEntry = 1_000;

export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

async function* snapshotLines(context: AppContext, at: number | null): AsyncGenerator<SnapshotLine> {
  const sealed = await context.auditLog.sealAll();
  const seq = at ?? sealed;
  if (seq > sealed) throw new SnapshotError(`the audit log has ${sealed} entries; cannot snapshot at ${seq}`);
  const bills = (await context.store.bills()).map((bill) => bill.id);
  // Sealing may lag commits: snapshot "now" is the sealed head, replayed if newer entries exist.
  const { state } = await loadState(context, bills, seq);
  yield { type: 'snapshot', format: snapshotFormat, jurisdiction: context.config.jurisdiction, seq,
    hash: await context.auditLog.hashAt(seq), registered: state.registeredCount };
  for await (const batch of context.roll.scanVoters()) {
    for (const voter of batch) {
      yield { type: 'voter', id: voter.id, first: voter.name.first, middle: voter.name.middle, last: voter.name.last,
        suffix: voter.name.suffix, city: voter.city, county: voter.county };
    }
  }
  for (const bill of state.bills().values()) yield { type: 'bill', bill };
  for (const [voter, delegates] of state.defaultsEntries()) yield { type: 'defaults', voter, delegates: [...delegates] };
  for (const bill of state.bills().keys()) {
    for (const [voter, delegate] of state.billDelegatesOn(bill)) yield { type: 'bill-delegate', bill, voter, delegate };
    for (const [voter, value] of state.votesOn(bill)) yield { type: 'vote', bill, voter, value };
  }
  yield* moneyLines(context, seq);
}

/** Balances and serials as of `seq` from the journal; properties only when nothing was logged after `seq`. */
async function* moneyLines(context: AppContext, seq: number): AsyncGenerator<SnapshotLine> {
  const { redis } = context.connection;
  const reply = await redis.multi().llen(context.keys.key('log')).hgetall(context.ledger.propertiesKey)
    .get(context.keys.key('property', 'next')).exec();
  if (reply === null) throw new SnapshotError('reading the properties was aborted');
  for (const [error] of reply) if (error !== null) throw error;
  const [head, properties, nextRaw] = reply.map(([, value]) => value) as
    [number, Record<string, string>, string | null];
  const replay = new LedgerReplay();
  const serials = new Map<VoterId, number>();
  for await (const entry of context.auditLog.readEntries(seq)) {
    const event = entry.event as
      { type: string; voter?: unknown; serial?: unknown; serials?: Array<[VoterId, number]> };
    if (isTransferEvent(entry.event)) replay.apply(entry.event);
    if (event.type === 'opening-serials') for (const [voter, serial] of event.serials ?? []) serials.set(voter, serial);
    if ((event.type === 'activation' || event.type === 'transfer') && typeof event.voter === 'string'
      && typeof event.serial === 'number') serials.set(event.voter, event.serial);
  }
  const withProperties = head === seq;
  yield { type: 'money', lastSerial: serials.size, properties: withProperties, nextProperty: withProperties ? Number(nextRaw ?? '0') : 0 };
  for (const [account, cents] of replay.balances) yield { type: 'balance', account, cents };
  for (const [voter, serial] of serials) yield { type: 'serial', voter, serial };
  if (withProperties) for (const [id, raw] of Object.entries(properties)) yield { type: 'property', id, property: JSON.parse(raw) };
}

/** Journal entries for imported money: balances in batches balanced against the mint, and the serials. */
function openingEntries(balances: ReadonlyArray<[string, number]>, serials: ReadonlyArray<[VoterId, number]>,
  seq: number): AuditDraft[] {
  const entries: AuditDraft[] = [];
  const draft = (text: string, event: AuditDraft['event'], amount?: number): AuditDraft => ({ actor: 'operator',
    actorId: null, channel: 'import', text: `snapshot #${seq}: ${text}`, event, ...(amount === undefined ? {} : { amount }) });
  for (let start = 0; start < balances.length; start += openingLegsPerEntry) {
    const batch = balances.slice(start, start + openingLegsPerEntry);
    const sum = batch.reduce((total, [, cents]) => total + cents, 0);
    const legs: Leg[] = combineLegs([...batch, [mintAccount, -sum]]);
    if (legs.length < 2) continue;
    const event: TransferEvent = { type: 'transfer', kind: 'opening', legs, reference: `snapshot ${seq}` };
    entries.push(draft(`opening balances of ${batch.length} accounts`, event));
  }
  for (let start = 0; start < serials.length; start += openingLegsPerEntry) {
    const batch = serials.slice(start, start + openingLegsPerEntry);
    entries.push(draft(`activation serials of ${batch.length} participants`, { type: 'opening-serials', serials: batch }));
  }
  return entries;
}

/** Writes the snapshot; returns its header. */
export async function exportSnapshot(
  context: AppContext, path: string, at: number | null,
): Promise<{ seq: number; lines: number }> {
  let lines = 0;
  let seq = 0;
  async function* encoded(): AsyncGenerator<string> {
    for await (const line of snapshotLines(context, at)) {
      if (line.type === 'snapshot') seq = line.seq;
      lines += 1;
      yield `${JSON.stringify(line)}\n`;
    }
    lines += 1;
    yield `${JSON.stringify({ type: 'end', lines })}\n`;
  }
  await pipeline(Readable.from(encoded()), createGzip(), createWriteStream(path));
  return { seq, lines };
}

function publicVoter(line: Extract<SnapshotLine, { type: 'voter' }>): RegisteredVoter {
  return { id: line.id, name: { first: line.first, middle: line.middle, last: line.last, suffix: line.suffix },
    city: line.city, county: line.county, phone: null, houseNumber: '', street: '', zip: '', district: '', precinct: '' };
}

/**
 * Loads a snapshot into an EMPTY store (no roll, no audit log): a public replica for auditors.
 * The state keys are written first; one final commit makes the roll current and logs the import,
 * so a crash before it leaves a store that still counts as empty and can be imported again.
 */
export async function importSnapshot(context: AppContext, path: string): Promise<{ seq: number; voters: number }> {
  if ((await context.auditLog.length()) > 0 || (await context.roll.currentGeneration()) !== null) {
    throw new SnapshotError('snapshot import needs an empty store (no roll, no audit log)');
  }
  const { redis } = context.connection;
  const generation = await context.roll.beginGeneration();
  let header: Extract<SnapshotLine, { type: 'snapshot' }> | null = null;
  let count = 0;
  let voters = 0;
  let ended = false;
  let rows: Array<{ id: VoterId; record: string; phone: string }> = [];
  let writes: Write[] = [];
  const openingBalances: Array<[string, number]> = [];
  const openingSerials: Array<[VoterId, number]> = [];
  let lastSerial = 0;
  const flush = async (): Promise<void> => {
    if (rows.length > 0) await context.roll.writeVoterBatch(generation, rows);
    const pipelined = redis.pipeline();
    for (const write of writes) {
      if (write.op === 'hset') pipelined.hset(write.key, write.field, write.value);
      else if (write.op === 'set') pipelined.set(write.key, write.value);
    }
    if (writes.length > 0) await pipelined.exec();
    rows = [];
    writes = [];
  };
  const input = createInterface({ input: createReadStream(path).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const text of input) {
    count += 1;
    let line: SnapshotLine;
    try {
      line = JSON.parse(text) as SnapshotLine;
    } catch {
      throw new SnapshotError(`line ${count} is not JSON`);
    }
    if (count === 1) {
      if (line.type !== 'snapshot' || line.format !== snapshotFormat) throw new SnapshotError('not a Delegate Network snapshot (format 1)');
      if (line.jurisdiction !== context.config.jurisdiction) throw new SnapshotError(`snapshot of ${line.jurisdiction}, store is ${context.config.jurisdiction}`);
      header = line;
      continue;
    }
    if (ended) throw new SnapshotError(`data after the end line (line ${count})`);
    switch (line.type) {
      case 'voter': rows.push({ id: line.id, record: encodeVoterRecord(publicVoter(line)), phone: '' }); voters += 1; break;
      case 'bill': writes.push({ op: 'hset', key: context.store.billsKey, field: line.bill.id, value: JSON.stringify(line.bill) }); break;
      case 'defaults': writes.push({ op: 'hset', key: context.store.defaultsKey, field: line.voter, value: JSON.stringify(line.delegates) }); break;
      case 'bill-delegate': writes.push({ op: 'hset', key: context.store.billDelegatesKey(line.bill), field: line.voter, value: line.delegate }); break;
      case 'vote': writes.push({ op: 'hset', key: context.store.votesKey(line.bill), field: line.voter, value: line.value }); break;
      case 'money':
        lastSerial = line.lastSerial;
        writes.push({ op: 'set', key: context.ledger.lastSerialKey, value: String(line.lastSerial) });
        if (line.properties) writes.push({ op: 'set', key: context.keys.key('property', 'next'), value: String(line.nextProperty) });
        break;
      case 'balance':
        if (!Number.isSafeInteger(line.cents)) throw new SnapshotError(`line ${count}: balance is not integer cents`);
        openingBalances.push([line.account, line.cents]);
        if (line.account !== mintAccount) writes.push({ op: 'hset', key: context.ledger.balanceKey, field: line.account, value: String(line.cents) });
        break;
      case 'serial':
        openingSerials.push([line.voter, line.serial]);
        writes.push({ op: 'hset', key: context.ledger.serialsKey, field: line.voter, value: String(line.serial) });
        break;
      case 'property': writes.push({ op: 'hset', key: context.ledger.propertiesKey, field: line.id, value: JSON.stringify(line.property) }); break;
      case 'end':
        if (line.lines !== count) throw new SnapshotError(`end line says ${line.lines} lines, read ${count}`);
        ended = true;
        break;
      default: throw new SnapshotError(`unknown line type at line ${count}`);
    }
    if (rows.length + writes.length >= snapshotWriteBatch) await flush();
  }
  if (header === null || !ended) throw new SnapshotError('snapshot is truncated (no end line)');
  await flush();
  await context.roll.writeMeta({ generation, voters, rowsRead: voters, badRows: 0, warnings: 0, source: `snapshot #${header.seq}`,
    sha256: header.hash, importedAt: new Date().toISOString(), district: '' });
  if (openingSerials.length !== lastSerial) throw new SnapshotError(`${openingSerials.length} serials, but the last serial is ${lastSerial}`);
  // The mint balance is written with the journal that explains it: until this commit the store has no supply.
  const mintCents = openingBalances.filter(([account]) => account !== mintAccount)
    .reduce((sum, [, cents]) => sum - cents, 0);
  const declaredMint = openingBalances.find(([account]) => account === mintAccount)?.[1] ?? 0;
  if (mintCents !== declaredMint) throw new SnapshotError(`balances do not sum to zero (mint ${declaredMint}, others ${-mintCents})`);
  const result = await context.committer.commit({
    guards: [{ kind: 'string', key: context.keys.key('roll', 'current'), expected: null }],
    writes: [{ op: 'set', key: context.keys.key('roll', 'current'), value: String(generation) },
      ...(mintCents === 0 ? [] : [{ op: 'hset', key: context.ledger.balanceKey, field: mintAccount, value: String(mintCents) } as const])],
    // The log refuses ten digits in a row (a phone number), which a hex hash holds about a third of the
    // time: the text names its first 8 characters, the event carries all of it.
    entries: [{ actor: 'operator', actorId: null, channel: 'import',
      text: `imports the public snapshot of #${header.seq} (hash ${header.hash.slice(0, 8)}…)`,
      event: { type: 'snapshot', seq: header.seq, hash: header.hash } },
    ...openingEntries(openingBalances.filter(([account]) => account !== mintAccount), openingSerials, header.seq)],
  });
  if (!result.ok) throw new SnapshotError('another import made a roll current meanwhile');
  await context.roll.finishBuilding(generation);
  return { seq: header.seq, voters };
}
