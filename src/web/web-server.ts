// The web server (fastify): security headers on every response, form bodies, metrics per route,
// one error handler that turns operating errors into clear 4xx pages or JSON (nothing changed) and
// logs the rest, the client scripts, and every route group. startWebServer listens and returns
// its URL; `serve` runs it beside the SIP endpoint.
import formbody from '@fastify/formbody';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.js';
import { UnknownBillError, UnknownVoterError } from '../app/democracy-service.js';
import { SnapshotError } from '../app/snapshot-service.js';
import { splitHostPort } from '../telephony/endpoint-config.js';
import { scripts } from './assets.js';
import { messagePage } from './pages/public-pages.js';
import { registerAccountRoutes } from './routes/account-routes.js';
import { registerApiRoutes } from './routes/api-routes.js';
import { registerPublicRoutes } from './routes/public-routes.js';
import { BadRequestError, CsrfError, sendPage } from './routes/route-support.js';
import { registerSignInRoutes } from './routes/sign-in-routes.js';
import { RateLimitedError } from './sign-in-store.js';
import { SearchQueryError } from './voter-search.js';
import { createWebServices, type WebOptions, type WebServices } from './web-services.js';

export const bodyLimitBytes = 16 * 1024;
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
  + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function statusOf(error: unknown): number {
  if (error instanceof CsrfError) return 403;
  if (error instanceof RateLimitedError) return 429;
  if (error instanceof BadRequestError || error instanceof SearchQueryError || error instanceof SnapshotError
    || error instanceof UnknownBillError || error instanceof UnknownVoterError || error instanceof RangeError) {
    return 400;
  }
  const status = (error as FastifyError).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
}

async function handleError(
  services: WebServices, error: unknown, request: FastifyRequest, reply: FastifyReply,
): Promise<FastifyReply> {
  const status = statusOf(error);
  const message = status === 500 ? 'Something went wrong on our side; nothing was changed by this request.' : (error as Error).message;
  if (status === 500) request.log.error({ err: error, url: request.url }, 'web request failed');
  const wantsJson = request.url.startsWith('/api/') || request.url === '/metrics';
  if (wantsJson || reply.sent) return reply.code(status).send({ error: message });
  return sendPage(services, request, reply, { title: status === 403 ? 'Refused' : status === 429 ? 'Slow down' : 'Sorry',
    body: messagePage(message), status });
}

export function buildWebApp(context: AppContext, options: WebOptions): { app: FastifyInstance; services: WebServices } {
  const services = createWebServices(context, options);
  const app = Fastify({ loggerInstance: context.logger.child({ component: 'web' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: bodyLimitBytes, trustProxy: false });
  void app.register(formbody);
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('content-security-policy', contentSecurityPolicy);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    services.metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    services.metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  app.setErrorHandler(async (error, request, reply) => handleError(services, error, request, reply));
  app.setNotFoundHandler(async (request, reply) => sendPage(services, request, reply,
    { title: 'Not found', body: messagePage('There is no such page.'), status: 404 }));
  app.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) => {
    const script = scripts[request.params.name];
    if (script === undefined) return reply.code(404).send({ error: 'no such asset' });
    return reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(script);
  });
  app.get('/metrics', async (_request, reply) => reply.type(services.metrics.registry.contentType)
    .send(await services.metrics.registry.metrics()));
  registerPublicRoutes(app, services);
  registerApiRoutes(app, services);
  registerSignInRoutes(app, services);
  registerAccountRoutes(app, services);
  return { app, services };
}

export interface RunningWeb {
  url: string;
  services: WebServices;
  close(): Promise<void>;
}

/** Listens on `listen` (host:port; port 0 picks a free one) and returns the URL. */
export async function startWebServer(context: AppContext, listen: string, options: WebOptions): Promise<RunningWeb> {
  const { host, port } = splitHostPort(listen);
  const { app, services } = buildWebApp(context, options);
  await app.listen({ host, port });
  const address = app.server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return { url: `http://${shownHost}:${bound}`, services, async close() { await app.close(); } };
}
