// Signed-in pages: the voter's own delegations, votes, money, property, bids and text-message
// opt-in. Every change goes through the same use cases as the phone and the CLI (DemocracyService,
// MoneyService, PropertyService, SmsOutbox), so it is committed with its audit-log entry (channel
// "web"). Every POST checks the session's CSRF token, then redirects (POST-redirect-GET).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UnknownBillError, UnknownVoterError } from '../../app/democracy-service.js';
import { MoneyError } from '../../app/money-service.js';
import type { Property, PropertyKind } from '../../app/property-service.js';
import type { SealedEntry } from '../../core/audit-entry.js';
import { NotAllowedError } from '../../core/caller.js';
import type { DelegateRank } from '../../core/events.js';
import { AmountError, parseAmountCents } from '../../core/money/amount.js';
import { isTransferEvent } from '../../core/money/ledger.js';
import { isVoteChoice } from '../../core/vote.js';
import { CommitConflictError } from '../../store/commit.js';
import { accountPage } from '../pages/account-pages.js';
import { randomToken } from '../sign-in-store.js';
import { webCaller, type WebServices } from '../web-services.js';
import { orderedBills } from './public-routes.js';
import { assertCsrf, BadRequestError, formField, redirectWithNotice, sendPage, viewerOf, type Viewer } from './route-support.js';

export const historyScanEntriesMax = 5_000;
export const historyShownMax = 20;
export const propertiesShownMax = 100;

/** Mistakes a voter can make in a form: told on the page, nothing changed. */
function isUserError(error: unknown): error is Error {
  return error instanceof NotAllowedError || error instanceof MoneyError || error instanceof AmountError
    || error instanceof UnknownVoterError || error instanceof UnknownBillError || error instanceof BadRequestError
    || error instanceof CommitConflictError;
}

async function recentMoney(services: WebServices, voterId: string): Promise<SealedEntry[]> {
  const { auditLog } = services.context;
  const entries = await auditLog.newest(historyScanEntriesMax);
  return entries.filter((entry) => isTransferEvent(entry.event)
    && (entry.actorId === voterId || entry.event.legs.some(([account]) => account === voterId)))
    .slice(0, historyShownMax);
}

async function listProperties(services: WebServices): Promise<Property[]> {
  const { redis } = services.context.ledger;
  const [, flat] = await redis.hscan(services.properties.propertiesKey, '0', 'COUNT', propertiesShownMax);
  const properties: Property[] = [];
  for (let index = 1; index < flat.length; index += 2) properties.push(JSON.parse(flat[index] as string) as Property);
  return properties.sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));
}

async function renderAccount(
  services: WebServices, request: FastifyRequest, reply: FastifyReply, viewer: Viewer,
): Promise<FastifyReply> {
  const { context } = services;
  const voterId = viewer.session.voterId;
  const query = request.query as Record<string, string | undefined>;
  const defaults = (await context.store.defaultsOf(voterId)).delegates;
  const bills = await Promise.all((await orderedBills(services)).map(async (bill) => {
    const delegate = await context.store.billDelegateOf(voterId, bill.id);
    return { bill, vote: await context.store.voteOf(voterId, bill.id),
      delegate: delegate === null ? null : { id: delegate, name: await context.democracy.nameOf(delegate).catch(() => 'a voter') } };
  }));
  const notice = query.done !== undefined ? { text: query.done.slice(0, 300), ok: true }
    : query.error !== undefined ? { text: query.error.slice(0, 300), ok: false } : null;
  reply.header('cache-control', 'no-store');
  return sendPage(services, request, reply, { title: 'Your account', body: accountPage({
    voterId, name: viewer.name, csrf: viewer.session.csrf, balanceCents: await context.money.balanceOf(voterId),
    defaults: await Promise.all(defaults.map(async (id) => ({ id, name: await context.democracy.nameOf(id).catch(() => 'a voter') }))),
    bills, properties: await listProperties(services), smsOptIn: await context.sms.optedIn(voterId),
    history: await recentMoney(services, voterId),
    keys: { pay: randomToken(), property: randomToken(), bid: randomToken().slice(0, 40) }, notice,
  }) });
}

type Action = (body: unknown, viewer: Viewer) => Promise<string>;

function voterNumber(body: unknown, name: string): string {
  const value = formField(body, name, 20);
  if (!/^\d{1,12}$/.test(value)) throw new BadRequestError('a voter number is 1 to 12 digits (find it under Voters)');
  return value;
}

function amount(services: WebServices, body: unknown): number {
  return parseAmountCents(formField(body, 'amount', 200), services.context.config.moneyAmountMaxCents);
}

function actions(services: WebServices): Record<string, Action> {
  const { context } = services;
  const caller = async (viewer: Viewer) => webCaller(services, viewer.session);
  return {
    delegate: async (body, viewer) => {
      const delegate = voterNumber(body, 'delegate');
      const rank = Number(formField(body, 'rank', 1) || '1');
      if (![1, 2, 3].includes(rank)) throw new BadRequestError('choice must be 1, 2 or 3');
      const bill = formField(body, 'bill', 40);
      const result = await context.democracy.delegate(await caller(viewer), delegate,
        bill.length > 0 ? { bill } : { rank: rank as DelegateRank });
      return result.changed ? `Saved: you delegate to ${await context.democracy.nameOf(delegate)}.` : 'Nothing changed.';
    },
    recall: async (body, viewer) => {
      const bill = formField(body, 'bill', 40);
      const delegate = formField(body, 'delegate', 20);
      const result = await context.democracy.recall(await caller(viewer),
        bill.length > 0 ? { bill } : delegate.length > 0 ? { delegate: voterNumber(body, 'delegate') } : {});
      return result.changed ? 'Recalled.' : 'Nothing to recall.';
    },
    vote: async (body, viewer) => {
      const choice = formField(body, 'choice', 10);
      if (!isVoteChoice(choice)) throw new BadRequestError('a vote is yes, no, abstain or absent');
      const bill = formField(body, 'bill', 40);
      const result = await context.democracy.vote(await caller(viewer), bill, choice);
      return result.changed ? `Saved: your vote is ${choice}.` : 'Nothing changed.';
    },
    pay: async (body, viewer) => {
      const result = await context.money.pay(await caller(viewer),
        { to: { voter: voterNumber(body, 'to') }, amountCents: amount(services, body), idempotencyKey: formField(body, 'key', 128) });
      return result.status === 'duplicate' ? 'Already paid (this form was sent twice); nothing moved again.'
        : `Paid ${result.entry?.text.replace(/^pays /, '') ?? ''}.`;
    },
    property: async (body, viewer) => {
      const kind = formField(body, 'kind', 10);
      if (kind !== 'property' && kind !== 'offer') throw new BadRequestError('kind is property or offer');
      const result = await services.properties.register(await caller(viewer), { kind: kind as PropertyKind,
        what: formField(body, 'what', 200), declaredCents: amount(services, body), idempotencyKey: formField(body, 'key', 128) });
      return result.duplicate ? `Already registered as ${result.id}.` : `Registered ${result.id}.`;
    },
    bid: async (body, viewer) => {
      const result = await services.properties.bid(await caller(viewer), { property: formField(body, 'property', 20),
        cents: amount(services, body), idempotencyKey: formField(body, 'key', 128) });
      return result.duplicate ? 'Already bid (this form was sent twice).' : 'Your bid is held in escrow.';
    },
    withdraw: async (body, viewer) => {
      await services.properties.withdraw(await caller(viewer), formField(body, 'property', 20));
      return 'Your bid was withdrawn and released.';
    },
    accept: async (body, viewer) => {
      await services.properties.accept(await caller(viewer), formField(body, 'property', 20));
      return 'Accepted: the escrow was paid to you.';
    },
    sms: async (body, viewer) => {
      const optIn = formField(body, 'optIn', 3) === 'on';
      await context.sms.setOptIn(await caller(viewer), context.committer, optIn);
      return optIn ? 'Text-message receipts are on.' : 'Text-message receipts are off.';
    },
  };
}

export function registerAccountRoutes(app: FastifyInstance, services: WebServices): void {
  app.get('/account', async (request, reply) => {
    const viewer = await viewerOf(services, request);
    if (viewer === null) return reply.redirect('/sign-in', 303);
    return renderAccount(services, request, reply, viewer);
  });

  app.get('/api/account', async (request, reply) => {
    const viewer = await viewerOf(services, request);
    if (viewer === null) return reply.code(401).send({ error: 'not signed in' });
    const { context } = services;
    const voterId = viewer.session.voterId;
    const bills = await orderedBills(services);
    return { voter: { id: voterId, name: viewer.name }, balanceCents: await context.money.balanceOf(voterId),
      delegates: (await context.store.defaultsOf(voterId)).delegates,
      votes: Object.fromEntries(await Promise.all(
        bills.map(async (bill) => [bill.id, await context.store.voteOf(voterId, bill.id)]))),
      smsOptIn: await context.sms.optedIn(voterId) };
  });

  for (const [name, action] of Object.entries(actions(services))) {
    app.post(`/account/${name}`, async (request, reply) => {
      const viewer = await viewerOf(services, request);
      if (viewer === null) return reply.redirect('/sign-in', 303);
      assertCsrf(request.body, viewer.session.csrf);
      try {
        return redirectWithNotice(reply, '/account', await action(request.body, viewer), true);
      } catch (error) {
        if (!isUserError(error)) throw error;
        return redirectWithNotice(reply, '/account', error.message, false);
      }
    });
  }
}
