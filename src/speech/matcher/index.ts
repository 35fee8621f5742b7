// The phonetic name matcher (SPEC §6 "Naming a person"): a roll index and the lookups the dialog uses.
export { NameIndex, matchableVoter } from './name-index.js';
export type { MatchableVoter, NameIndexOptions } from './name-index.js';
export { matchName, matchNameByScan, defaultMatchOptions } from './match-name.js';
export type { MatchOptions, NameCandidate, NameMatch, NoMatchReason } from './match-name.js';
export { matchKeypadName } from './keypad-match.js';
export type { KeypadOptions } from './keypad-match.js';
export { keypadDigits } from './keypad-digits.js';
export { Nicknames, loadNicknames } from './nicknames.js';
export { parseNameUtterance } from './utterance.js';
export type { NameUtterance } from './utterance.js';
export { phoneDistance, encodePhones } from './phone-distance.js';
