// Reading the load drivers' output and checking acknowledged writes against the store's audit log.
import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';

export interface DriverLine {
  at: number;
  /** When the acknowledged operation began (load driver). */
  started?: number;
  ack?: 'vote' | 'pay';
  seq?: number | null;
  status?: string;
  voter?: string;
  bill?: string;
  choice?: string;
  key?: string;
  from?: string;
  to?: string;
  cents?: number;
  fail?: string;
  publishFail?: string;
  done?: boolean;
  setup?: string;
}

export interface DriverRun {
  lines: DriverLine[];
  stderr: string;
  code: number;
}

export interface Driver {
  /** Resolves at the driver's first acknowledged write (it is connected and working). */
  working: Promise<void>;
  done: Promise<DriverRun>;
}

/** Follows a driver's JSON lines until it exits. */
export function follow(child: ChildProcess): Driver {
  let stdout = '';
  let stderr = '';
  let markWorking: () => void = () => undefined;
  const working = new Promise<void>((resolve) => { markWorking = resolve; });
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.includes('"ack":')) markWorking();
  });
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const done = new Promise<DriverRun>((resolve) => {
    child.once('exit', (code) => {
      markWorking();
      const lines = stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as DriverLine);
      resolve({ lines, stderr, code: code ?? -1 });
    });
  });
  return { working, done };
}

export function collect(child: ChildProcess): Promise<DriverRun> {
  return follow(child).done;
}

interface LoggedEntry {
  seq: number;
  event: {
    type: string; voter?: string; bill?: string; choice?: string; kind?: string; legs?: Array<[string, number]>;
  };
}

/** Acknowledged votes and payments that are not the store's entry at their seq: lost (or replaced). */
export function acknowledgedLost(acks: readonly DriverLine[], log: readonly string[]): DriverLine[] {
  const entries = log.map((body) => JSON.parse(body) as LoggedEntry);
  return acks.filter((ack) => {
    if (ack.ack === undefined || ack.seq === null || ack.seq === undefined) return false;
    const event = entries[ack.seq - 1]?.event;
    if (event === undefined) return true;
    if (ack.ack === 'vote') return !(event.type === 'vote' && event.voter === ack.voter && event.bill === ack.bill && event.choice === ack.choice);
    const legs = JSON.stringify(event.legs ?? []);
    return event.type !== 'transfer' || !legs.includes(JSON.stringify([ack.from, -(ack.cents ?? 0)]))
      || !legs.includes(JSON.stringify([ack.to, ack.cents]));
  });
}

/** Every acknowledged vote and payment is the store's entry at its seq (so none was lost or replaced). */
export function expectAcknowledgedPresent(acks: readonly DriverLine[], log: readonly string[]): number {
  const entries = log.map((body) => JSON.parse(body) as LoggedEntry);
  let checked = 0;
  for (const ack of acks) {
    if (ack.ack === undefined || ack.seq === null || ack.seq === undefined) continue;
    const entry = entries[ack.seq - 1];
    expect(entry, `acknowledged ${ack.ack} seq ${ack.seq} is missing`).to.not.equal(undefined);
    expect(entry?.seq).to.equal(ack.seq);
    if (ack.ack === 'vote') {
      expect(entry?.event, `seq ${ack.seq}`).to.include({ type: 'vote', voter: ack.voter, bill: ack.bill, choice: ack.choice });
    } else {
      expect(entry?.event.type, `seq ${ack.seq}`).to.equal('transfer');
      expect(entry?.event.legs, `seq ${ack.seq}`).to.deep.include.members([[ack.from, -(ack.cents ?? 0)], [ack.to, ack.cents]]);
    }
    checked += 1;
  }
  return checked;
}
