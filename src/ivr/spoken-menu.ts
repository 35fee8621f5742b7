// Menus by voice: the command words that choose each entry (the `command` grammar), and the prompt a
// caller hears when speech is on ("Say vote, …, or press 2 …"). Keypad-only calls keep their prompts.
import { parseCommand, type SpokenCommand } from '../speech/parse/index.js';
import type { SpokenAnswers } from './spoken-answer.js';

/** Words beyond the parser's commands that some menus take. */
const extraWords: Readonly<Record<string, string>> = { 'sign in': 'sign in', 'sign in to the web': 'sign in' };

export type MenuWord = SpokenCommand | 'sign in';

export function spokenMenu<T>(choices: Partial<Record<MenuWord, T>>): SpokenAnswers<T> {
  return {
    context: 'command',
    interpret: (text) => {
      const word: string | null = parseCommand(text) ?? extraWords[text.trim().toLowerCase()] ?? null;
      return word !== null && Object.hasOwn(choices, word) ? choices[word as MenuWord] ?? null : null;
    },
  };
}

/** "Say delegate, vote or audit." from the entries' words, in menu order. */
export function sayChoices(words: readonly string[]): string {
  if (words.length <= 1) return `Say ${words.join('')}.`;
  return `Say ${words.slice(0, -1).join(', ')}, or ${words.at(-1) ?? ''}.`;
}
