// A decoder dictionary holding only the words our grammars use. Loading Debian's whole CMUdict
// (135k words) costs every decoder about 1.5 s and 30 MB; the grammars need a few hundred words, and
// roll names are added per grammar with ps_add_word. Measured in bench/speech-engines (memory per decoder).
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Pronunciations } from '../grammar/grammar-definition.js';

/**
 * Writes `outPath` with every pronunciation of `words` found in `cmudictPath`, then the `extra` ones of
 * those words as further alternatives (`six(2)` after `six`); returns the words it lacked.
 */
export async function writeSubsetDictionary(options: { cmudictPath: string; words: Iterable<string>; outPath: string;
  extra?: Pronunciations }): Promise<string[]> {
  const wanted = new Set([...options.words].map((word) => word.toLowerCase()));
  const found = new Set<string>();
  const lines: string[] = [];
  const reader = createInterface({ input: createReadStream(options.cmudictPath, 'utf8'), crlfDelay: Infinity });
  for await (const line of reader) {
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    const head = line.slice(0, space);
    const word = head.replace(/\(\d+\)$/, '');
    if (!wanted.has(word)) continue;
    found.add(word);
    lines.push(line);
  }
  for (const [word, pronunciations] of options.extra ?? []) {
    if (!found.has(word)) continue;
    const known = lines.filter((line) => line.slice(0, line.indexOf(' ')).replace(/\(\d+\)$/, '') === word).length;
    pronunciations.forEach((phones, index) => { lines.push(`${word}(${known + index + 1}) ${phones.join(' ')}`); });
  }
  await writeFile(options.outPath, `${lines.join('\n')}\n`);
  return [...wanted].filter((word) => !found.has(word)).sort();
}
