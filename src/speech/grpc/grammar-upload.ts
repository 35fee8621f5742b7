// Grammars built at run time (the roll's name grammars) travel from the app to the ASR workers as
// uploads: the JSGF text or the FSG file's contents, the pronunciations of words the dictionary may
// lack, and the words. The app side turns a GrammarDefinition into an upload (reading an FSG file);
// the worker side checks one and turns it back into a GrammarDefinition whose FSG is a file of its own.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GrammarDefinition } from '../grammar/grammar-definition.js';
import { isGrammarContext } from '../recognizer.js';
import type { WireGrammarUpload } from './asr-proto.js';

/** A grammar key names a variant, e.g. `gen7/city:ames`; bounded so a bad upload cannot bloat logs or maps. */
const grammarKeyCharactersMax = 200;
const pronunciationsMax = 1_000_000;

export class BadGrammarUpload extends Error {
  override name = 'BadGrammarUpload';
}

export async function uploadOf(grammar: GrammarDefinition): Promise<WireGrammarUpload> {
  const source = grammar.format === 'fsg' ? await readFile(grammar.source) : Buffer.from(grammar.source, 'utf8');
  const pronunciations = [...grammar.pronunciations].flatMap(([word, variants]) =>
    variants.map((phones) => ({ word, phones: [...phones] })));
  return { context: grammar.context, grammarKey: grammar.grammarKey, format: grammar.format, source, pronunciations,
    words: [...grammar.words], wideWordBeam: grammar.wideWordBeam === true,
    completeReadingsOnly: grammar.completeReadingsOnly === true };
}

/** Checks an upload and makes it a definition; an FSG is written into `directory` under a name of its own. */
export async function definitionOf(upload: WireGrammarUpload, directory: string): Promise<GrammarDefinition> {
  const { context, grammarKey, format } = upload;
  if (!isGrammarContext(context)) throw new BadGrammarUpload(`unknown grammar context "${context}"`);
  if (grammarKey.length === 0) throw new BadGrammarUpload('grammar_key must not be empty (the default grammars are the worker\'s own)');
  if (grammarKey.length > grammarKeyCharactersMax) throw new BadGrammarUpload(`grammar_key is longer than ${grammarKeyCharactersMax} characters`);
  if (format !== 'jsgf' && format !== 'fsg') throw new BadGrammarUpload(`format must be jsgf or fsg, got "${format}"`);
  if (upload.source.length === 0) throw new BadGrammarUpload('the grammar source is empty');
  if (upload.pronunciations.length > pronunciationsMax) throw new BadGrammarUpload('too many pronunciations');
  const pronunciations = new Map<string, Array<readonly string[]>>();
  for (const { word, phones } of upload.pronunciations) {
    if (!/^[a-z][a-z'.-]*$/.test(word) || phones.length === 0 || phones.some((phone) => !/^[A-Z]{1,3}$/.test(phone))) {
      throw new BadGrammarUpload(`bad pronunciation for "${word.slice(0, 40)}": ${phones.join(' ').slice(0, 80)}`);
    }
    pronunciations.set(word, [...(pronunciations.get(word) ?? []), phones]);
  }
  const text = upload.source.toString('utf8');
  let source = text;
  if (format === 'fsg') {
    if (!/^FSG_BEGIN/m.test(text)) throw new BadGrammarUpload('an fsg source must be an FSG file (FSG_BEGIN …)');
    const name = createHash('sha256').update(`${context}/${grammarKey}`).digest('hex').slice(0, 32);
    source = join(directory, `${name}.fsg`);
    await writeFile(source, text);
  } else if (!text.startsWith('#JSGF')) {
    throw new BadGrammarUpload('a jsgf source must start with #JSGF');
  }
  return { context, grammarKey, format, source, pronunciations, words: [...upload.words],
    ...(upload.wideWordBeam ? { wideWordBeam: true } : {}),
    ...(upload.completeReadingsOnly ? { completeReadingsOnly: true } : {}) };
}
