// Extra pronunciations of the digit words that start with /s/, for narrowband audio. A telephone line
// passes 300–3400 Hz; most of an /s/ lies above that, so what is left of it in the wideband model's
// features looks like a weak fricative (/th/), not like the model's /s/. Without these, "six" was heard
// wrong 44 times in 48 (as "eight" or "three") on a generated corpus of the tuning voices (30 digit strings
// and 30 phone numbers, channel conditions as the CI corpus); with them 9 times in 48, and "seven" 7 in 53
// instead of 18. Variants of other number words (zero, sixty, thousand, cents…) were measured too and
// made amounts and digit strings more often confidently wrong, so only these two are added.

/** Word → extra pronunciations (ARPAbet, no stress), added after the dictionary's own. */
export const narrowbandPronunciations: ReadonlyMap<string, readonly (readonly string[])[]> = new Map([
  ['six', [['TH', 'IH', 'K', 'TH']]],
  ['seven', [['TH', 'EH', 'V', 'AH', 'N']]],
]);
