// A 10-digit North American phone number, spoken ("five one five, five five five, oh one two three")
// or keyed; a leading 1 (long distance) is dropped. NANP rules: area code and exchange start 2-9.
import { parseDigits } from './digits.js';

export function parsePhoneNumber(text: string): string | null {
  const digits = parseDigits(text.replace(/[+()]/g, ' '));
  if (digits === null) return null;
  const national = digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
  return /^[2-9]\d{2}[2-9]\d{6}$/.test(national) ? national : null;
}
