// The SIP Identity header (RFC 8224 §4.1): `Identity: <PASSporT>;info=<https://…>;alg=ES256;ppt=shaken`.
// Its compact header name is `y`. A PASSporT in compact form ("..signature", RFC 8225 §7) omits the
// claims; SHAKEN needs attest and origid, which cannot be rebuilt from SIP, so it is refused by name.
import { StirVerificationError } from './stir-failure.js';

/** Longer values are refused before parsing: a SHAKEN header is about 800 bytes. */
export const identityHeaderBytesMax = 4096;
/** A call carries one Identity header per PASSporT type; more than this is abuse. */
export const identityHeadersPerCallMax = 8;

export interface IdentityHeader {
  /** The JWS compact serialization: header.payload.signature (base64url). */
  token: string;
  /** The info parameter without angle brackets: where the signer's certificate is. */
  info: string | null;
  alg: string | null;
  ppt: string | null;
}

export function isIdentityHeaderName(name: string): boolean {
  const lower = name.trim().toLowerCase();
  return lower === 'identity' || lower === 'y';
}

/** Splits values that a proxy folded into one line with commas (outside <> and quotes). */
export function splitIdentityHeaderValues(values: readonly string[]): string[] {
  const parts: string[] = [];
  for (const value of values) {
    let depth = 0;
    let quoted = false;
    let start = 0;
    for (let i = 0; i < value.length; i++) {
      const char = value[i];
      if (char === '"') quoted = !quoted;
      else if (!quoted && char === '<') depth++;
      else if (!quoted && char === '>') depth = Math.max(0, depth - 1);
      else if (!quoted && depth === 0 && char === ',') {
        parts.push(value.slice(start, i));
        start = i + 1;
      }
    }
    parts.push(value.slice(start));
  }
  return parts.map((part) => part.trim()).filter((part) => part.length > 0);
}

function unquote(value: string): string {
  const trimmed = value.trim();
  if (trimmed.startsWith('"') && trimmed.endsWith('"') && trimmed.length >= 2) return trimmed.slice(1, -1);
  if (trimmed.startsWith('<') && trimmed.endsWith('>') && trimmed.length >= 2) return trimmed.slice(1, -1);
  return trimmed;
}

/** Splits on ';' outside <> so that an info URL with ';' in it stays whole. */
function splitParameters(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const char = value[i];
    if (char === '<') depth++;
    else if (char === '>') depth = Math.max(0, depth - 1);
    else if (char === ';' && depth === 0) {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  return parts;
}

export function parseIdentityHeader(value: string): IdentityHeader {
  if (Buffer.byteLength(value, 'utf8') > identityHeaderBytesMax) {
    throw new StirVerificationError('header-too-large', `Identity header over ${identityHeaderBytesMax} bytes`);
  }
  const [tokenPart, ...parameterParts] = splitParameters(value.trim());
  const token = (tokenPart ?? '').trim();
  if (/^\.\.[A-Za-z0-9_-]+$/.test(token)) {
    throw new StirVerificationError('passport-compact-form', 'compact-form PASSporT cannot carry SHAKEN claims');
  }
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token)) {
    throw new StirVerificationError('header-malformed', 'the token is not a JWS compact serialization');
  }
  const parameters = new Map<string, string>();
  for (const part of parameterParts) {
    const equals = part.indexOf('=');
    if (equals <= 0) throw new StirVerificationError('header-malformed', `parameter without value: ${part.slice(0, 40)}`);
    const name = part.slice(0, equals).trim().toLowerCase();
    if (parameters.has(name)) throw new StirVerificationError('header-malformed', `parameter ${name} repeated`);
    parameters.set(name, unquote(part.slice(equals + 1)));
  }
  return {
    token,
    info: parameters.get('info') ?? null,
    alg: parameters.get('alg') ?? null,
    ppt: parameters.get('ppt') ?? null,
  };
}

/**
 * The SHAKEN Identity header of a call, or null when the call has none. Headers of other PASSporT
 * types (e.g. "div", "rcd") are ignored, as RFC 8224 §6.2 allows; an unparsable header fails only
 * when no usable SHAKEN header is present.
 */
export function selectShakenIdentity(values: readonly string[]): IdentityHeader | null {
  const split = splitIdentityHeaderValues(values);
  if (split.length === 0) return null;
  if (split.length > identityHeadersPerCallMax) {
    throw new StirVerificationError('header-malformed', `more than ${identityHeadersPerCallMax} Identity headers`);
  }
  let firstError: StirVerificationError | null = null;
  for (const value of split) {
    try {
      const header = parseIdentityHeader(value);
      // Some carriers omit the ppt parameter; the PASSporT's own header then decides (checked later).
      if (header.ppt === 'shaken' || header.ppt === null) return header;
      firstError ??= new StirVerificationError('ppt-unsupported', `ppt=${header.ppt ?? '(none)'} is not shaken`);
    } catch (error) {
      if (!(error instanceof StirVerificationError)) throw error;
      firstError ??= error;
    }
  }
  if (firstError === null) throw new Error('unreachable: no header and no error');
  throw firstError;
}
