// Helpers every route uses: who is signed in (session cookie → Redis), rendering a page, reading
// numeric query values, CSRF checks and POST-redirect-GET notices.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseCookies, sessionCookie } from '../cookies.js';
import { page, type Html } from '../html.js';
import type { WebSession } from '../sign-in-store.js';
import type { WebServices } from '../web-services.js';

export interface Viewer {
  sessionId: string;
  session: WebSession;
  name: string;
}

export class BadRequestError extends Error {
  override name = 'BadRequestError';
}

export class CsrfError extends Error {
  override name = 'CsrfError';
}

export async function viewerOf(services: WebServices, request: FastifyRequest): Promise<Viewer | null> {
  const sessionId = parseCookies(request.headers.cookie).get(sessionCookie) ?? '';
  const session = await services.signIn.session(sessionId);
  if (session === null) return null;
  const name = await services.context.democracy.nameOf(session.voterId).catch(() => null);
  return name === null ? null : { sessionId, session, name };
}

export async function sendPage(
  services: WebServices, request: FastifyRequest, reply: FastifyReply,
  options: { title: string; body: Html; status?: number; scripts?: readonly string[] },
): Promise<FastifyReply> {
  const viewer = await viewerOf(services, request);
  const chrome = { title: options.title, signedInAs: viewer?.name ?? null, scripts: options.scripts ?? [],
    ...(viewer === null ? {} : { csrf: viewer.session.csrf }) };
  return reply.code(options.status ?? 200).type('text/html; charset=utf-8').send(page(chrome, options.body).text);
}

/** A non-negative whole number from the query string, or null when absent. */
export function optionalSeq(value: unknown, what: string): number | null {
  if (value === undefined || value === '') return null;
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) throw new BadRequestError(`${what} must be a whole number`);
  return Number(value);
}

export function formField(body: unknown, name: string, lengthMax = 200): string {
  const value = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  if (typeof value !== 'string') return '';
  if (value.length > lengthMax) throw new BadRequestError(`${name} is too long`);
  return value.trim();
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

/** Synchronizer token: every form carries the token stored with the session (or sign-in attempt). */
export function assertCsrf(body: unknown, expected: string): void {
  if (!sameToken(formField(body, 'csrf', 200), expected)) {
    throw new CsrfError('this form is out of date or did not come from this site; reload the page and try again');
  }
}

/** POST-redirect-GET: the notice travels in the query string of the page redirected to. */
export function redirectWithNotice(reply: FastifyReply, path: string, notice: string, ok: boolean): FastifyReply {
  const separator = path.includes('?') ? '&' : '?';
  return reply.redirect(`${path}${separator}${ok ? 'done' : 'error'}=${encodeURIComponent(notice.slice(0, 300))}`, 303);
}
