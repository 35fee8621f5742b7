// Prometheus metrics (/metrics) for what this process really measures: HTTP requests and their
// durations, calls answered (by the embedded SIP endpoint or the drachtio line), and, read from
// Redis at scrape time, the audit log length, the sealed length, the money supply and the number of
// money accounts. Speech recognition has no counters yet, so none are published (no placeholders).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AppContext } from '../app/context.js';
import { mintAccount } from '../core/money/ledger.js';

export interface WebMetrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  callsAnswered: Counter;
}

export function createMetrics(context: Pick<AppContext, 'auditLog' | 'ledger'>): WebMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'dn_' });
  const httpRequests = new Counter({ name: 'dn_http_requests_total', help: 'HTTP requests answered, by route and status',
    labelNames: ['method', 'route', 'status'] as const, registers: [registry] });
  const httpDuration = new Histogram({ name: 'dn_http_request_duration_seconds', help: 'HTTP request durations',
    labelNames: ['method', 'route'] as const, buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5], registers: [registry] });
  const callsAnswered = new Counter({ name: 'dn_sip_calls_answered_total',
    help: 'calls answered (embedded SIP endpoint or drachtio line)',
    registers: [registry] });
  new Gauge({ name: 'dn_audit_log_entries', help: 'entries in the audit log (each a committed change)', registers: [registry],
    async collect() { this.set(await context.auditLog.length()); } });
  new Gauge({ name: 'dn_audit_log_sealed_entries', help: 'entries whose hash is chained', registers: [registry],
    async collect() { this.set(await context.auditLog.sealedLength()); } });
  new Gauge({ name: 'dn_money_supply_cents', help: 'delegate money in existence (minus the mint account)', registers: [registry],
    async collect() { this.set(-(await context.ledger.balance(mintAccount))); } });
  new Gauge({ name: 'dn_money_accounts', help: 'accounts with a balance entry', registers: [registry],
    async collect() { this.set(await context.ledger.redis.hlen(context.ledger.balanceKey)); } });
  return { registry, httpRequests, httpDuration, callsAnswered };
}
