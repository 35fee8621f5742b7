// Non-INVITE client transactions (RFC 3261 §17.1.2), for the BYE we send: retransmit at T1 doubling
// to T2 over UDP (timer E), give up after 64·T1 (timer F). Responses are matched by the branch of
// the top Via, which we generate. The table is bounded; beyond it a new request fails at once.
import { randomBytes } from 'node:crypto';
import { branchMagicCookie, parseCSeq, parseVia, splitCommaList } from './header-values.js';
import { defaultSipTimers, type SipTimers } from './limits.js';
import { headerValue, type SipResponse } from './message.js';
import type { Peer } from './transport.js';

const clientTransactionsMax = 10_000;

export type ClientOutcome = { kind: 'response'; response: SipResponse } | { kind: 'timeout' } | { kind: 'rejected' };

interface Pending {
  readonly resolve: (outcome: ClientOutcome) => void;
  readonly timers: NodeJS.Timeout[];
}

export function newBranch(): string {
  return `${branchMagicCookie}${randomBytes(10).toString('hex')}`;
}

export class ClientTransactions {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly send: (peer: Peer, data: Buffer) => void,
    private readonly timers: SipTimers = defaultSipTimers,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  /** Keyed by branch and method: a CANCEL shares its INVITE's branch (RFC 3261 §9.1). */
  request(branch: string, method: string, peer: Peer, data: Buffer): Promise<ClientOutcome> {
    const key = `${branch}|${method}`;
    if (this.pending.size >= clientTransactionsMax || this.pending.has(key)) return Promise.resolve({ kind: 'rejected' });
    return new Promise((resolve) => {
      const entry: Pending = { resolve, timers: [] };
      this.pending.set(key, entry);
      this.send(peer, data);
      if (peer.transport === 'udp') this.retransmit(key, peer, data, this.timers.t1Ms);
      entry.timers.push(setTimeout(() => this.finish(key, { kind: 'timeout' }), 64 * this.timers.t1Ms));
    });
  }

  /** A response from the network; true when it belonged to one of our transactions. */
  receive(response: SipResponse): boolean {
    const top = parseVia(splitCommaList(headerValue(response, 'Via') ?? '')[0] ?? '');
    const branch = top?.params.get('branch');
    const method = parseCSeq(headerValue(response, 'CSeq') ?? '')?.method;
    const key = `${branch ?? ''}|${method ?? ''}`;
    if (!this.pending.has(key)) return false;
    if (response.status >= 200) this.finish(key, { kind: 'response', response });
    return true;
  }

  close(): void {
    for (const branch of [...this.pending.keys()]) this.finish(branch, { kind: 'timeout' });
  }

  private retransmit(branch: string, peer: Peer, data: Buffer, intervalMs: number): void {
    const entry = this.pending.get(branch);
    if (entry === undefined) return;
    entry.timers.push(setTimeout(() => {
      if (!this.pending.has(branch)) return;
      this.send(peer, data);
      this.retransmit(branch, peer, data, Math.min(intervalMs * 2, this.timers.t2Ms));
    }, intervalMs));
  }

  private finish(branch: string, outcome: ClientOutcome): void {
    const entry = this.pending.get(branch);
    if (entry === undefined) return;
    for (const timer of entry.timers) clearTimeout(timer);
    this.pending.delete(branch);
    entry.resolve(outcome);
  }
}
