// The request checks that every SIP request passes before the endpoint acts on it (RFC 3261 §8.2).
import { splitCommaList } from './header-values.js';
import { headerValue, knownMethods, supportedMethods } from './message.js';
import type { Middleware } from './middleware.js';

export const allowHeader = { name: 'Allow', value: supportedMethods.join(', ') };

/** §8.2.1: 501 for methods nobody defined, 405 (with Allow) for ones we do not serve. */
export const methodSupported: Middleware = async (context, next) => {
  const { method } = context.request;
  if (supportedMethods.includes(method)) return next();
  if (knownMethods.has(method)) context.respond({ status: 405, headers: [allowHeader] });
  else context.respond({ status: 501 });
};

/** §8.2.2.3: we implement no extensions, so any Require is refused with 420 listing it. */
export const noRequiredExtensions: Middleware = async (context, next) => {
  const { method } = context.request;
  const required = splitCommaList(headerValue(context.request, 'Require') ?? '');
  if (required.length === 0 || method === 'ACK' || method === 'CANCEL') return next();
  context.respond({ status: 420, headers: [{ name: 'Unsupported', value: required.join(', ') }] });
};

/** §8.2.3: a body we cannot read (content type or encoding) gets 415 with what we accept. */
export const acceptableBody: Middleware = async (context, next) => {
  const { request } = context;
  if (request.body.length === 0 || request.method === 'ACK') return next();
  const type = (headerValue(request, 'Content-Type') ?? '').split(';')[0]?.trim().toLowerCase();
  const encoding = headerValue(request, 'Content-Encoding');
  if (type === 'application/sdp' && (encoding === undefined || encoding.toLowerCase() === 'identity')) return next();
  context.respond({ status: 415, headers: [{ name: 'Accept', value: 'application/sdp' }, { name: 'Accept-Encoding', value: 'identity' }] });
};
