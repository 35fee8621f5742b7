// The JSON API the pages are built from (documented in src/web/README.md). Public endpoints carry
// public data only: names, cities, counties, voter numbers, tallies, log entries; never a phone.
import type { FastifyInstance } from 'fastify';
import { auditReport } from '../../app/tally-service.js';
import { isBillId } from '../../core/bill.js';
import { publicName } from '../../core/voter.js';
import { logRangeEntriesMax, readLogPage, readLogRange } from '../log-reader.js';
import { logPageSizeEntries } from '../pages/log-page.js';
import { cleanTerm, SearchQueryError } from '../voter-search.js';
import type { WebServices } from '../web-services.js';
import { BadRequestError, optionalSeq } from './route-support.js';
import { billsWithTallies } from './public-routes.js';

type Query = Record<string, string | undefined>;

export const apiIndex = {
  'GET /api/bills': 'bills, this week first, each with its tally now',
  'GET /api/bills/:id?at=SEQ': 'one bill: tally and top influencers, now or as of audit-log entry SEQ',
  'GET /api/voters?last=&city=&first=': 'voters by last name and city (first name optional); never by phone',
  'GET /api/voters/:id?bill=ID': "a voter's delegation chain in general or on one bill, as sentences and structure",
  'GET /api/log?before=SEQ&q=TEXT': `audit log page, newest first (${logPageSizeEntries} entries), with the server's verification`,
  'GET /api/log/range?from=SEQ&limit=N': `sealed entries ascending (N ≤ ${logRangeEntriesMax}) for re-checking the chain`,
  'GET /api/log/verify': "the server's verification of the whole chain",
  'GET /snapshot.jsonl.gz?at=SEQ': 'all public state as gzipped JSON lines',
  'GET /api/sign-in/status': 'the sign-in attempt of this browser (cookie): pending, confirmed or used',
  'GET /api/account': 'signed in: own delegations, votes, balance',
  'GET /healthz': 'Redis reachable', 'GET /metrics': 'Prometheus metrics',
};

export function registerApiRoutes(app: FastifyInstance, services: WebServices): void {
  const { context } = services;

  app.get('/api', async () => ({ endpoints: apiIndex }));

  app.get('/api/bills', async () => ({
    bills: (await billsWithTallies(services))
      .map(({ bill, report }) => ({ ...bill, seq: report.seq, tally: report.tally })),
  }));

  app.get<{ Params: { id: string }; Querystring: Query }>('/api/bills/:id', async (request, reply) => {
    const { id } = request.params;
    const bill = isBillId(id) ? await context.store.bill(id) : null;
    if (bill === null) return reply.code(404).send({ error: `no bill ${id}` });
    const report = await services.tallies.tally(bill.id, optionalSeq(request.query.at, 'at'));
    return { bill, seq: report.seq, tally: report.tally, influencers: report.influencers };
  });

  app.get<{ Querystring: Query }>('/api/voters', async (request) => {
    const query = { last: cleanTerm(request.query.last, 'last name'), first: cleanTerm(request.query.first, 'first name'),
      city: cleanTerm(request.query.city, 'city') };
    if (query.last.length === 0 || query.city.length === 0) throw new SearchQueryError('last and city are required');
    return { voters: await services.search.search(query) };
  });

  app.get<{ Params: { id: string }; Querystring: Query }>('/api/voters/:id', async (request, reply) => {
    const voter = /^\d{1,12}$/.test(request.params.id) ? await context.roll.getVoter(request.params.id) : null;
    if (voter === null) return reply.code(404).send({ error: 'no such voter in the current roll' });
    const bill = request.query.bill ?? '';
    if (bill.length > 0 && !isBillId(bill)) throw new BadRequestError('bad bill id');
    const report = await auditReport(context, voter.id, bill.length > 0 ? bill : null, null);
    return { voter: { id: voter.id, name: publicName(voter), city: voter.city, county: voter.county },
      seq: report.seq, lines: report.lines, explanation: report.explanation };
  });

  app.get<{ Querystring: Query }>('/api/log', async (request) => {
    const slice = await readLogPage(context.auditLog, { before: optionalSeq(request.query.before, 'before'),
      limit: logPageSizeEntries, query: (request.query.q ?? '').slice(0, 80) });
    return { ...slice, verification: await services.verifier.verify() };
  });

  app.get<{ Querystring: Query }>('/api/log/range', async (request) => {
    const from = optionalSeq(request.query.from, 'from') ?? 1;
    const limit = optionalSeq(request.query.limit, 'limit') ?? logRangeEntriesMax;
    return { entries: await readLogRange(context.auditLog, from, limit) };
  });

  app.get('/api/log/verify', async () => services.verifier.verify());
}
