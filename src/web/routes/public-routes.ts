// Public pages (SPEC §8): bills with live tallies, one bill with chart, influencers and "as of",
// voter search by name and city and the delegation chain, the audit log, snapshots, /healthz.
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { auditReport, type TallyReport } from '../../app/tally-service.js';
import { exportSnapshot } from '../../app/snapshot-service.js';
import type { Bill } from '../../core/bill.js';
import { isBillId } from '../../core/bill.js';
import { publicName } from '../../core/voter.js';
import { readLogPage } from '../log-reader.js';
import { logPage, logPageSizeEntries } from '../pages/log-page.js';
import { billPage, billsPage, messagePage, snapshotPage, voterPage, voterSearchPage } from '../pages/public-pages.js';
import { cleanTerm, SearchQueryError, type VoterQuery } from '../voter-search.js';
import type { WebServices } from '../web-services.js';
import { optionalSeq, sendPage } from './route-support.js';

type Query = Record<string, string | undefined>;

/** This week's bills first (latest week), then by id, so the order is stable. */
export async function orderedBills(services: WebServices): Promise<Bill[]> {
  const bills = await services.context.store.bills();
  return bills.sort((a, b) => (a.week === b.week ? a.id.localeCompare(b.id) : b.week.localeCompare(a.week)));
}

export async function billsWithTallies(services: WebServices): Promise<Array<{ bill: Bill; report: TallyReport }>> {
  const bills = await orderedBills(services);
  const rows: Array<{ bill: Bill; report: TallyReport }> = [];
  // One at a time: each tally may hold a large graph in memory.
  for (const bill of bills) rows.push({ bill, report: await services.tallies.tally(bill.id, null) });
  return rows;
}

async function notFound(
  services: WebServices, request: FastifyRequest, reply: FastifyReply, text: string,
): Promise<FastifyReply> {
  return sendPage(services, request, reply, { title: 'Not found', body: messagePage(text), status: 404 });
}

export function registerPublicRoutes(app: FastifyInstance, services: WebServices): void {
  const { context } = services;

  app.get('/', async (request, reply) => sendPage(services, request, reply, {
    title: 'Bills before the House', body: billsPage(await billsWithTallies(services)) }));

  app.get<{ Params: { id: string }; Querystring: Query }>('/bills/:id', async (request, reply) => {
    const { id } = request.params;
    const bill = isBillId(id) ? await context.store.bill(id) : null;
    if (bill === null) return notFound(services, request, reply, `There is no bill ${id}.`);
    const at = optionalSeq(request.query.at, 'at');
    const logLength = await context.auditLog.length();
    if (at !== null && at > logLength) {
      return sendPage(services, request, reply, { title: 'No such moment', status: 400,
        body: messagePage(`The audit log has ${logLength} entries; there is no entry #${at} yet.`) });
    }
    const report = await services.tallies.tally(bill.id, at);
    return sendPage(services, request, reply, { title: bill.number.length > 0 ? bill.number : bill.title,
      body: billPage(bill, report, { at, logLength }) });
  });

  app.get<{ Querystring: Query }>('/voters', async (request, reply) => {
    const { last, first, city } = request.query;
    if (last === undefined && city === undefined) {
      return sendPage(services, request, reply, { title: 'Voters', body: voterSearchPage(null, null, null) });
    }
    let query: VoterQuery = { last: '', first: '', city: '' };
    try {
      query = { last: cleanTerm(last, 'last name'), first: cleanTerm(first, 'first name'), city: cleanTerm(city, 'city') };
      if (query.last.length === 0 || query.city.length === 0) throw new SearchQueryError('enter a last name and a city');
    } catch (error) {
      if (!(error instanceof SearchQueryError)) throw error;
      return sendPage(services, request, reply, { title: 'Voters', status: 400, body: voterSearchPage(query, null, error.message) });
    }
    const hits = await services.search.search(query);
    return sendPage(services, request, reply, { title: 'Voters', body: voterSearchPage(query, hits, null) });
  });

  app.get<{ Params: { id: string }; Querystring: Query }>('/voters/:id', async (request, reply) => {
    const { id } = request.params;
    const voter = /^\d{1,12}$/.test(id) ? await context.roll.getVoter(id) : null;
    if (voter === null) return notFound(services, request, reply, 'There is no voter with that number in the current roll.');
    const billId = request.query.bill ?? '';
    const bill = billId.length > 0 && isBillId(billId) ? await context.store.bill(billId) : null;
    const report = await auditReport(context, voter.id, bill?.id ?? null, null);
    return sendPage(services, request, reply, { title: publicName(voter), body: voterPage({
      voter: { id: voter.id, name: publicName(voter), county: voter.county }, bills: await orderedBills(services), bill,
      lines: report.lines, seq: report.seq }) });
  });

  app.get<{ Querystring: Query }>('/log', async (request, reply) => {
    const before = optionalSeq(request.query.before, 'before');
    const query = (request.query.q ?? '').slice(0, 80);
    const slice = await readLogPage(context.auditLog, { before, limit: logPageSizeEntries, query });
    const verification = await services.verifier.verify();
    return sendPage(services, request, reply, { title: 'Audit log', scripts: ['/assets/verify-log.js'],
      body: logPage({ ...slice, verification, query, before }) });
  });

  app.get('/snapshot', async (request, reply) => sendPage(services, request, reply, {
    title: 'Snapshot', body: snapshotPage(await context.auditLog.sealAll()) }));

  app.get<{ Querystring: Query }>('/snapshot.jsonl.gz', async (request, reply) => {
    const at = optionalSeq(request.query.at, 'at');
    // Written to a private temp file first, so a failure is an error page, not a truncated download.
    const dir = mkdtempSync(join(tmpdir(), 'dn-web-snapshot-'));
    const path = join(dir, 'snapshot.jsonl.gz');
    try {
      const { seq } = await exportSnapshot(context, path, at);
      const stream = createReadStream(path);
      stream.once('close', () => rmSync(dir, { recursive: true, force: true }));
      return reply.type('application/gzip')
        .header('content-disposition', `attachment; filename="delegate-network-snapshot-${seq}.jsonl.gz"`).send(stream);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  });

  app.get('/healthz', async (_request, reply) => {
    try {
      const pong = await context.connection.redis.ping();
      return reply.send({ ok: pong === 'PONG', redis: pong });
    } catch (error) {
      return reply.code(503).send({ ok: false, redis: (error as Error).message });
    }
  });
}
