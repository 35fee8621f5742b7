// Menus by voice: the command words that choose each entry (the `command` grammar), and the prompt a
// caller hears when speech is on ("Say vote, …, or press 2 …"). Keypad-only calls keep their prompts.
import { parseCommand, type SpokenCommand } from '../speech/parse/index.js';
import type { GrammarDefinition } from '../speech/grammar/grammar-definition.js';
import type { SpokenAnswers } from './spoken-answer.js';

/** Words beyond the parser's commands that some menus take (the money menu's with its own grammar). */
const extraWords: Readonly<Record<string, string>> = {
  'sign in': 'sign in', 'sign in to the web': 'sign in', balance: 'balance', pay: 'pay', mint: 'mint',
};

export type MenuWord = SpokenCommand | 'sign in' | 'balance' | 'pay' | 'mint';

/** A menu by voice: the command grammar, or `grammar` (a menu's own, given to the engine at run time). */
export function spokenMenu<T>(choices: Partial<Record<MenuWord, T>>,
  grammar?: GrammarDefinition | null): SpokenAnswers<T> {
  return {
    context: 'command',
    ...(grammar == null ? {} : { grammar }),
    interpret: (text) => {
      // A menu's own word first: the parser reads "balance" and "pay" as "money", which the money menu is not.
      for (const word of [extraWords[text.trim().toLowerCase()], parseCommand(text)]) {
        if (word != null && Object.hasOwn(choices, word)) return choices[word as MenuWord] ?? null;
      }
      return null;
    },
  };
}

/** "Say delegate, vote or audit." from the entries' words, in menu order. */
export function sayChoices(words: readonly string[]): string {
  if (words.length <= 1) return `Say ${words.join('')}.`;
  return `Say ${words.slice(0, -1).join(', ')}, or ${words.at(-1) ?? ''}.`;
}
