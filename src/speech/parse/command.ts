// Menu commands (SPEC §2 main menu) as said, with the ways callers put them.
import { spokenWords } from './digits.js';

export const spokenCommands = [
  'help', 'menu', 'money', 'politics', 'delegate', 'vote', 'audit', 'recall', 'register', 'tell me about',
  'numbers', 'me',
] as const;

export type SpokenCommand = (typeof spokenCommands)[number];

const synonyms: readonly (readonly [SpokenCommand, readonly string[]])[] = [
  ['help', ['help', 'help me', 'operator', 'i need help', 'what can i say', 'options']],
  ['menu', ['menu', 'main menu', 'go back', 'back', 'start over', 'home']],
  ['money', ['money', 'balance', 'my balance', 'pay', 'payment', 'payments', 'send money']],
  ['politics', ['politics', 'political', 'bills', 'legislation']],
  ['delegate', ['delegate', 'delegation', 'my delegate', 'change my delegate', 'choose a delegate']],
  ['vote', ['vote', 'voting', 'cast a vote', 'i want to vote']],
  ['audit', ['audit', 'audit log', 'check my vote', 'verify']],
  ['recall', ['recall', 'recall my delegate', 'take back my delegation']],
  ['register', ['register', 'registration', 'sign up', 'sign me up']],
  ['tell me about', ['tell me about', 'tell me', 'about', 'information', 'info']],
  ['numbers', ['numbers', 'phone numbers', 'my numbers', 'my phone numbers']],
  ['me', ['me', 'myself', 'about me', 'my account']],
];
const lookup = new Map<string, SpokenCommand>(
  synonyms.flatMap(([command, said]) => said.map((text) => [text, command])));
const politeWords = new Set(['please', 'um', 'uh', 'i', 'want', 'would', 'like', 'to', 'the', 'go']);

export function parseCommand(text: string): SpokenCommand | null {
  const words = spokenWords(text);
  const exact = lookup.get(words.join(' '));
  if (exact !== undefined) return exact;
  // "please go to the main menu", "um audit".
  let start = 0;
  while (start < words.length - 1 && politeWords.has(words[start] as string)) start += 1;
  const trimmed = words.slice(start).filter((word) => word !== 'please');
  return lookup.get(trimmed.join(' ')) ?? null;
}
