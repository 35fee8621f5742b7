// Cookies without a dependency: parse the Cookie header and build Set-Cookie values with the flags
// every cookie of ours carries (HttpOnly, SameSite, Path=/, and Secure unless configured off for a
// plain-http deployment, see WEB_COOKIE_SECURE).
export const sessionCookie = 'dn_session';
export const signInCookie = 'dn_signin';
const cookieValuePattern = /^[A-Za-z0-9_-]{1,128}$/;

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (header === undefined) return cookies;
  for (const part of header.split(';').slice(0, 64)) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const name = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    // Our values are base64url tokens; anything else is not ours and is ignored.
    if (cookieValuePattern.test(value) && !cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

export interface CookieOptions {
  secure: boolean;
  maxAgeSeconds: number;
  sameSite: 'Lax' | 'Strict';
}

export function setCookie(name: string, value: string, options: CookieOptions): string {
  if (value.length > 0 && !cookieValuePattern.test(value)) throw new RangeError('cookie value must be a base64url token');
  const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', `SameSite=${options.sameSite}`, `Max-Age=${options.maxAgeSeconds}`];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

export function clearCookie(name: string, secure: boolean): string {
  return setCookie(name, '', { secure, maxAgeSeconds: 0, sameSite: 'Lax' });
}
