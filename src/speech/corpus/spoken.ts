// Numbers, digits and letters as a caller says them, for the corpus's prompts to the TTS voices.
const ones = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven',
  'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const tens = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** 0 ≤ n < 1,000,000 in words: 1025 → "one thousand twenty five". */
export function numberWords(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || n >= 1_000_000) throw new RangeError(`cannot say ${n}`);
  if (n < 20) return ones[n] ?? '';
  if (n < 100) return `${tens[Math.floor(n / 10)] ?? ''}${n % 10 === 0 ? '' : ` ${ones[n % 10] ?? ''}`}`;
  if (n < 1000) {
    const rest = n % 100;
    return `${ones[Math.floor(n / 100)] ?? ''} hundred${rest === 0 ? '' : ` ${numberWords(rest)}`}`;
  }
  const rest = n % 1000;
  return `${numberWords(Math.floor(n / 1000))} thousand${rest === 0 ? '' : ` ${numberWords(rest)}`}`;
}

/** "4071" → "four zero seven one". */
export function digitWords(digits: string): string {
  return [...digits].map((digit) => ones[Number(digit)] ?? digit).join(' ');
}

/** An amount in cents as said: "ten dollars and twenty five cents", "fifty cents", "one dollar". */
export function amountWords(cents: number): string {
  const dollars = Math.floor(cents / 100);
  const rest = cents % 100;
  const dollarPart = dollars === 0 ? '' : `${numberWords(dollars)} ${dollars === 1 ? 'dollar' : 'dollars'}`;
  const centPart = rest === 0 ? '' : `${numberWords(rest)} ${rest === 1 ? 'cent' : 'cents'}`;
  return [dollarPart, centPart].filter((part) => part.length > 0).join(' and ');
}

/** "smith" → "S, M, I, T, H": commas make every TTS engine say letter names with a pause. */
export function spelledLetters(word: string): string {
  return [...word.replace(/[^a-z]/gi, '')].map((letter) => letter.toUpperCase()).join(', ');
}
