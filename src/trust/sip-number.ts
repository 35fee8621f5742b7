// The telephone number inside a SIP From / P-Asserted-Identity / To value, normalized to the
// 10 digits the roll uses. The host part is ignored: "sip:+15155550100@10.0.0.1" must not mix the
// address's digits into the number.
import { normalizePhone } from '../config/phone.js';

const sipHeaderValueCharsMax = 1024;

/** `"Ann" <sip:+15155550100@host;user=phone>;tag=x`, `tel:+1-515-555-0100`, or a bare number. */
export function telephoneNumberOf(raw: string | undefined): string | null {
  if (raw === undefined || raw.length === 0 || raw.length > sipHeaderValueCharsMax) return null;
  const bracketed = /<([^>]*)>/.exec(raw);
  const uri = (bracketed?.[1] ?? raw).trim();
  const scheme = /^(sips?|tel):/i.exec(uri);
  if (scheme === null) return normalizePhone(uri);
  const rest = uri.slice(scheme[0].length);
  // sip(s): the user part ends at '@'; tel: the number ends at the first parameter.
  const user = scheme[1]?.toLowerCase() === 'tel' ? rest : rest.split('@')[0] ?? '';
  const number = user.split(/[;?]/)[0] ?? '';
  if (!/^\+?[\d\-.()]+$/.test(number)) return null;
  return normalizePhone(number);
}

/** PASSporT "tn" claims hold digits only (RFC 8225 §8.3); normalize them like the roll does. */
export function telephoneNumberOfClaim(tn: string): string | null {
  if (!/^\+?\d{1,15}$/.test(tn)) return null;
  return normalizePhone(tn);
}
