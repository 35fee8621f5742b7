// Phone number normalization shared by configuration, the roll importer and the trust layer.

/** 10-digit North American number from any common spelling, or null if it is not one. */
export function normalizePhone(raw: string): string | null {
  const digits = raw.replace(/\D/g, '');
  const national = digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
  // Area codes never start with 0 or 1; exchanges are not checked (the seed used 712-123-xxxx).
  if (!/^[2-9]\d{9}$/.test(national)) return null;
  return national;
}
