// Whether a grammar can say a word string. Pocketsphinx 0.8's FSG search, when no path reaches the
// grammar's final state at the last frame, returns the best PARTIAL path instead: nine digits from the
// ten-digit phone grammar, "forty thousand and twenty five" from the amount grammar (no "dollars"),
// "g l a r" from the surname grammar (the start of "glaros"). Such a reading is not something the caller
// can have said, and acting on it gives a confident wrong answer; a recognizer drops it instead, so the
// dialog asks again or falls back to the keypad.
import { readFileSync } from 'node:fs';
import type { GrammarDefinition } from './grammar-definition.js';

export type GrammarAcceptor = (text: string) => boolean;

/** The acceptor of a grammar definition (JSGF text or an FSG file). */
export function grammarAcceptor(grammar: GrammarDefinition): GrammarAcceptor {
  return grammar.format === 'jsgf' ? jsgfAcceptor(grammar.source) : fsgAcceptor(readFileSync(grammar.source, 'utf8'));
}

function wordsOf(text: string): string[] {
  return text.trim().toLowerCase().split(/\s+/).filter((word) => word !== '');
}

/** JSGF (the subset grammars/ uses: rules, alternatives, [optional], (groups), + and *) as a regular expression. */
export function jsgfAcceptor(source: string): GrammarAcceptor {
  const body = source.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ')
    .replace(/^#JSGF[^\n]*/m, ' ').replace(/^\s*grammar\s+[^;]+;/m, ' ');
  const rules = new Map<string, string>();
  let publicRule: string | null = null;
  for (const statement of body.split(';')) {
    const match = /^\s*(public\s+)?<([^>]+)>\s*=([\s\S]*)$/.exec(statement);
    if (match === null) {
      if (statement.trim() !== '') throw new Error(`JSGF statement not understood: ${statement.trim().slice(0, 60)}`);
      continue;
    }
    const [, isPublic, name = '', expansion = ''] = match;
    rules.set(name, expansion);
    if (isPublic !== undefined && publicRule === null) publicRule = name;
  }
  if (publicRule === null) throw new Error('JSGF grammar has no public rule');
  const compiled = new Map<string, string>();
  const compile = (name: string, open: ReadonlySet<string>): string => {
    const done = compiled.get(name);
    if (done !== undefined) return done;
    const expansion = rules.get(name);
    if (expansion === undefined) throw new Error(`JSGF rule <${name}> is not defined`);
    if (open.has(name)) throw new Error(`JSGF rule <${name}> is recursive`);
    const pattern = expansionPattern(expansion, (ref) => compile(ref, new Set([...open, name])));
    compiled.set(name, pattern);
    return pattern;
  };
  const pattern = new RegExp(`^(?:${compile(publicRule, new Set())})$`);
  return (text) => {
    const words = wordsOf(text);
    return words.length > 0 && pattern.test(words.map((word) => `${word} `).join(''));
  };
}

/** One expansion as a pattern over "word " tokens; `ref` gives a rule's pattern. */
function expansionPattern(expansion: string, ref: (name: string) => string): string {
  const tokens = expansion.match(/<[^>]+>|[()[\]|+*]|[^\s()[\]|+*<>]+/g) ?? [];
  let at = 0;
  const alternatives = (closing: string | null): string => {
    const options: string[] = [];
    let sequence = '';
    while (at < tokens.length) {
      const token = tokens[at++] as string;
      if (token === closing) break;
      if (token === ')' || token === ']') throw new Error(`JSGF: unbalanced ${token} in ${expansion.trim()}`);
      if (token === '|') {
        options.push(sequence);
        sequence = '';
        continue;
      }
      let unit: string;
      if (token === '(') unit = `(?:${alternatives(')')})`;
      else if (token === '[') unit = `(?:${alternatives(']')})?`;
      else if (token.startsWith('<')) unit = `(?:${ref(token.slice(1, -1))})`;
      else unit = `(?:${token.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} )`;
      const repeat = tokens[at];
      if (repeat === '+' || repeat === '*') {
        unit = `(?:${unit})${repeat}`;
        at += 1;
      }
      sequence += unit;
    }
    options.push(sequence);
    return options.join('|');
  };
  return alternatives(null);
}

/** Sphinx FSG text (the format fsgText writes): simulates the automaton, null transitions included. */
export function fsgAcceptor(text: string): GrammarAcceptor {
  let start = 0;
  let final = 0;
  const byWord = new Map<number, Map<string, number[]>>();
  const nulls = new Map<number, number[]>();
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[0] === 'START_STATE') start = Number(fields[1]);
    else if (fields[0] === 'FINAL_STATE') final = Number(fields[1]);
    else if (fields[0] === 'TRANSITION' || fields[0] === 'T') {
      const from = Number(fields[1]);
      const to = Number(fields[2]);
      const word = fields[4];
      if (word === undefined) {
        nulls.set(from, [...(nulls.get(from) ?? []), to]);
      } else {
        const edges = byWord.get(from) ?? new Map<string, number[]>();
        edges.set(word.toLowerCase(), [...(edges.get(word.toLowerCase()) ?? []), to]);
        byWord.set(from, edges);
      }
    }
  }
  const closure = (states: Iterable<number>): Set<number> => {
    const reached = new Set(states);
    const stack = [...reached];
    while (stack.length > 0) {
      for (const next of nulls.get(stack.pop() as number) ?? []) {
        if (!reached.has(next)) {
          reached.add(next);
          stack.push(next);
        }
      }
    }
    return reached;
  };
  return (hypothesis) => {
    const words = wordsOf(hypothesis);
    if (words.length === 0) return false;
    let states = closure([start]);
    for (const word of words) {
      const next: number[] = [];
      for (const state of states) next.push(...(byWord.get(state)?.get(word) ?? []));
      if (next.length === 0) return false;
      states = closure(next);
    }
    return states.has(final);
  };
}
