// Parsers for what callers say at each kind of prompt (the grammar contexts of src/speech/recognizer.ts).
export { parseDigits, parseDigitWords, spokenWords } from './digits.js';
export { parseYesNo } from './yes-no.js';
export type { YesNo } from './yes-no.js';
export { parseVoteValue } from './vote-value.js';
export { parseBillNumber, parseSpokenNumber } from './bill-number.js';
export { parsePhoneNumber } from './phone-number.js';
export { parseSpelledLetters } from './spelled.js';
export { parseCommand, spokenCommands } from './command.js';
export type { SpokenCommand } from './command.js';
export { parseSpokenAmount } from './amount.js';
export type { SpokenAmount } from './amount.js';
