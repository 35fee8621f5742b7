// Sign-in by phone, the browser's side: show a code (one live attempt per browser, rate limited per
// address), follow the call with server-sent events, and turn a confirmed attempt into a session
// (POST with the attempt's CSRF token, then redirect). Sign-out ends the session in Redis.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clearCookie, parseCookies, sessionCookie, setCookie, signInCookie } from '../cookies.js';
import { signInPage } from '../pages/account-pages.js';
import { sessionTtlMs, signInCodeTtlMs, type SignInAttempt } from '../sign-in-store.js';
import type { WebServices } from '../web-services.js';
import { assertCsrf, redirectWithNotice, sendPage, viewerOf } from './route-support.js';

export const signInEventPollMs = 300;

function attemptIdOf(request: FastifyRequest): string {
  return parseCookies(request.headers.cookie).get(signInCookie) ?? '';
}

async function liveAttempt(services: WebServices, request: FastifyRequest): Promise<SignInAttempt | null> {
  const attempt = await services.signIn.attempt(attemptIdOf(request));
  return attempt !== null && attempt.status === 'pending' && attempt.expiresAt > Date.now() ? attempt : null;
}

async function streamEvents(services: WebServices, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const attemptId = attemptIdOf(request);
  reply.hijack();
  const response = reply.raw;
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
  let open = true;
  request.raw.once('close', () => { open = false; });
  const deadline = Date.now() + signInCodeTtlMs;
  while (open && Date.now() < deadline) {
    const attempt = await services.signIn.attempt(attemptId);
    if (attempt === null || attempt.expiresAt <= Date.now() || attempt.status === 'used') {
      response.write('event: expired\ndata: {}\n\n');
      break;
    }
    if (attempt.status === 'confirmed') {
      response.write('event: confirmed\ndata: {}\n\n');
      break;
    }
    response.write(': waiting\n\n');
    await new Promise((resolve) => setTimeout(resolve, signInEventPollMs));
  }
  response.end();
}

export function registerSignInRoutes(app: FastifyInstance, services: WebServices): void {
  const secure = services.cookieSecure;

  app.get<{ Querystring: { error?: string } }>('/sign-in', async (request, reply) => {
    if ((await viewerOf(services, request)) !== null) return reply.redirect('/account', 303);
    let attempt = await liveAttempt(services, request);
    if (attempt === null) {
      const begun = await services.signIn.begin(request.ip);
      attempt = begun.attempt;
      reply.header('set-cookie', setCookie(signInCookie, begun.attemptId,
        { secure, maxAgeSeconds: Math.floor(signInCodeTtlMs / 1000), sameSite: 'Strict' }));
    }
    reply.header('cache-control', 'no-store');
    return sendPage(services, request, reply, { title: 'Sign in by phone', scripts: ['/assets/sign-in.js'],
      body: signInPage({ code: attempt.code, csrf: attempt.csrf, expiresAt: attempt.expiresAt,
        error: request.query.error ?? null }) });
  });

  app.get('/sign-in/events', async (request, reply) => streamEvents(services, request, reply));

  app.get('/api/sign-in/status', async (request, reply) => {
    const attempt = await services.signIn.attempt(attemptIdOf(request));
    reply.header('cache-control', 'no-store');
    return { status: attempt === null || attempt.expiresAt <= Date.now() ? 'none' : attempt.status };
  });

  app.post('/sign-in/complete', async (request, reply) => {
    const attemptId = attemptIdOf(request);
    const attempt = await services.signIn.attempt(attemptId);
    if (attempt === null) return redirectWithNotice(reply, '/sign-in', 'That code expired; here is a new one.', false);
    assertCsrf(request.body, attempt.csrf);
    const completed = await services.signIn.complete(attemptId);
    if (completed === null) {
      return redirectWithNotice(reply, '/sign-in', 'No verified call has keyed this code yet.', false);
    }
    reply.header('set-cookie', [
      setCookie(sessionCookie, completed.sessionId, { secure, maxAgeSeconds: Math.floor(sessionTtlMs / 1000), sameSite: 'Lax' }),
      clearCookie(signInCookie, secure),
    ]);
    request.log.info({ voterId: completed.session.voterId }, 'web sign-in by phone');
    return reply.redirect('/account', 303);
  });

  app.post('/sign-out', async (request, reply) => {
    const viewer = await viewerOf(services, request);
    if (viewer !== null) {
      assertCsrf(request.body, viewer.session.csrf);
      await services.signIn.endSession(viewer.sessionId);
    }
    reply.header('set-cookie', clearCookie(sessionCookie, secure));
    return reply.redirect('/', 303);
  });
}
