// North American phone numbers, the one normalization rule used by the roll importer,
// configuration, the CLI and the trust layer. Pure.

const phoneDigits = 10;
const nanpCountryCode = '1';

export type PhoneResult = { phone: string } | { phone: null; problem: string | null };

/**
 * "(515) 555-0123", "1-515-555-0123", "515.555.0123" → "5155550123". Empty input is simply no
 * phone; anything else that is not a dialable NANP number is no phone plus a problem to report.
 */
export function parsePhone(raw: string): PhoneResult {
  const digits = raw.replace(/\D/g, '');
  if (digits.length === 0) return { phone: null, problem: null };
  const national = digits.length === phoneDigits + 1 && digits.startsWith(nanpCountryCode)
    ? digits.slice(1)
    : digits;
  if (national.length !== phoneDigits) {
    return { phone: null, problem: `phone ${JSON.stringify(raw)} has ${national.length} digits, not ${phoneDigits}` };
  }
  // NANP area codes and exchanges never start with 0 or 1.
  if (!/^[2-9]\d\d[2-9]\d{6}$/.test(national)) {
    return { phone: null, problem: `phone ${JSON.stringify(raw)} is not a valid North American number` };
  }
  return { phone: national };
}

/** 10 digits, or null when the text is not one North American number. */
export function normalizePhone(raw: string): string | null {
  return parsePhone(raw).phone;
}
