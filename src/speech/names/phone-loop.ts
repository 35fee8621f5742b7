// The phone loop: a grammar whose words are single phones, any number of them in any order. Decoding an
// utterance with it gives the best any phone sequence can do on that audio, the reference a candidate's
// own path is measured against (phone-loop-confidence.ts). Written as an FSG with every arc at probability
// 1, so the only cost per phone is the decoder's word insertion penalty: the loop is as free as the engine
// lets a grammar be, and needs no model or roll (the same file serves every generation).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GrammarDefinition } from '../grammar/grammar-definition.js';
import { arpabetPhones } from '../lexicon/lexicon.js';
import { fillerPhoneWord } from './city-finder-grammar.js';

/** FSG text of the loop: state 0 to the final state 1 by any phone, and any phone again from 1. */
export function phoneLoopFsg(phones: readonly string[] = arpabetPhones): string {
  const lines = ['FSG_BEGIN phone_loop', 'NUM_STATES 2', 'START_STATE 0', 'FINAL_STATE 1'];
  for (const from of [0, 1]) {
    for (const phone of phones) lines.push(`TRANSITION ${from} 1 1.0 ${fillerPhoneWord(phone)}`);
  }
  lines.push('FSG_END', '');
  return lines.join('\n');
}

/** Writes the loop's FSG into `dir` and returns its definition (context 'name', key `<prefix>/phone-loop`). */
export async function buildPhoneLoopGrammar(dir: string, prefix: string): Promise<GrammarDefinition> {
  const path = join(dir, 'phone-loop.fsg');
  await writeFile(path, phoneLoopFsg());
  const words = arpabetPhones.map(fillerPhoneWord);
  return { context: 'name', grammarKey: `${prefix}/phone-loop`, format: 'fsg', source: path,
    pronunciations: new Map(arpabetPhones.map((phone) => [fillerPhoneWord(phone), [[phone]]] as const)),
    words: [...words].sort() };
}
