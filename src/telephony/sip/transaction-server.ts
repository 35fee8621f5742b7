// Server transactions (RFC 3261 §17.2, with RFC 6026 for 2xx): retransmitted requests are answered
// with the last response without reaching the application; a non-2xx final response to INVITE is
// retransmitted (timer G, UDP only) until its ACK or timer H. Entries live 64·T1 after their final
// response (timers H, J, L) and the table is bounded: the oldest entries go first.
import { branchMagicCookie, parseVia, splitCommaList } from './header-values.js';
import { defaultSipTimers, serverTransactionsMax, type SipTimers } from './limits.js';
import { headerValue, type SipRequest } from './message.js';
import type { Peer } from './transport.js';

export interface ServerTransaction {
  readonly key: string;
  readonly method: string;
  lastResponse: Buffer | null;
  finalStatus: number | null;
  target: Peer | null;
  timers: NodeJS.Timeout[];
}

export type Sender = (peer: Peer, data: Buffer) => void;

/** Transaction key: top Via branch + sent-by + method, with ACK matching its INVITE (§17.2.3). */
export function serverTransactionKey(request: SipRequest): string | null {
  const top = parseVia(splitCommaList(headerValue(request, 'Via') ?? '')[0] ?? '');
  const branch = top?.params.get('branch');
  if (top === null || branch === undefined || branch === null || !branch.startsWith(branchMagicCookie)) return null;
  const method = request.method === 'ACK' ? 'INVITE' : request.method;
  return `${branch}|${top.host}:${top.port ?? 5060}|${method}`;
}

export class ServerTransactions {
  private readonly table = new Map<string, ServerTransaction>();

  constructor(private readonly send: Sender, private readonly timers: SipTimers = defaultSipTimers) {}

  get size(): number {
    return this.table.size;
  }

  get(key: string): ServerTransaction | undefined {
    return this.table.get(key);
  }

  create(key: string, method: string): ServerTransaction {
    if (this.table.size >= serverTransactionsMax) {
      const oldest = this.table.keys().next().value;
      if (oldest !== undefined) this.remove(oldest);
    }
    const transaction: ServerTransaction = {
      key, method, lastResponse: null, finalStatus: null, target: null, timers: [],
    };
    this.table.set(key, transaction);
    return transaction;
  }

  /** A retransmission: resend what we last sent (if anything); true when the request was absorbed. */
  absorb(key: string): boolean {
    const transaction = this.table.get(key);
    if (transaction === undefined) return false;
    const { lastResponse, target } = transaction;
    if (lastResponse !== null && target !== null) this.send(target, lastResponse);
    return true;
  }

  /** ACK for a non-2xx final response: stop retransmitting it. True when it matched. */
  acknowledge(key: string): boolean {
    const transaction = this.table.get(key);
    if (transaction === undefined || transaction.finalStatus === null || transaction.finalStatus < 300) return false;
    this.clearTimers(transaction);
    // Timer I: absorb ACK retransmissions for T4 (0 on TCP), then forget.
    transaction.timers.push(setTimeout(() => this.remove(transaction.key), transaction.target?.transport === 'tcp' ? 0 : this.timers.t4Ms));
    return true;
  }

  respond(transaction: ServerTransaction, target: Peer, data: Buffer, status: number): void {
    if (transaction.finalStatus !== null) return; // a transaction has one final response
    transaction.lastResponse = data;
    transaction.target = target;
    this.send(target, data);
    if (status < 200) return;
    transaction.finalStatus = status;
    const lifetimeMs = 64 * this.timers.t1Ms;
    if (transaction.method === 'INVITE' && status >= 300 && target.transport === 'udp') this.retransmitUntilAck(transaction, this.timers.t1Ms);
    const reliable = target.transport === 'tcp' && !(transaction.method === 'INVITE');
    transaction.timers.push(setTimeout(() => this.remove(transaction.key), reliable ? 0 : lifetimeMs));
  }

  close(): void {
    for (const key of [...this.table.keys()]) this.remove(key);
  }

  private retransmitUntilAck(transaction: ServerTransaction, intervalMs: number): void {
    transaction.timers.push(setTimeout(() => {
      if (!this.table.has(transaction.key) || transaction.lastResponse === null || transaction.target === null) return;
      this.send(transaction.target, transaction.lastResponse);
      this.retransmitUntilAck(transaction, Math.min(intervalMs * 2, this.timers.t2Ms));
    }, intervalMs));
  }

  private clearTimers(transaction: ServerTransaction): void {
    for (const timer of transaction.timers) clearTimeout(timer);
    transaction.timers = [];
  }

  private remove(key: string): void {
    const transaction = this.table.get(key);
    if (transaction === undefined) return;
    this.clearTimers(transaction);
    this.table.delete(key);
  }
}
