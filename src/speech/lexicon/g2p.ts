// Grapheme-to-phoneme fallback for roll words CMUdict lacks: espeak-ng's English rules (`-x`, phoneme
// mnemonics) run once per batch in one subprocess, mapped to ARPAbet. Results are cached per word.
import { spawn } from 'node:child_process';
import { MapLexicon } from './lexicon.js';

/** espeak-ng en-us phoneme mnemonics → ARPAbet (stress marks removed first). */
const espeakToArpabet: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ['a', ['AE']], ['aa', ['AE']], ['a#', ['AH']], ['A:', ['AA']], ['A@', ['AA', 'R']], ['A', ['AA']],
  ['aI', ['AY']], ['aI@', ['AY', 'ER']], ['aU', ['AW']], ['aU@', ['AW', 'ER']], ['e', ['EH']], ['e@', ['EH', 'R']],
  ['eI', ['EY']], ['E', ['EH']], ['@', ['AH']], ['@2', ['AH']], ['@5', ['AH']], ['@L', ['AH', 'L']],
  ['3', ['ER']], ['3:', ['ER']], ['I', ['IH']], ['I2', ['IH']], ['I#', ['IH']], ['i', ['IY']], ['i:', ['IY']],
  ['i@', ['IH', 'R']], ['i@3', ['IH', 'R']], ['0', ['AA']], ['O', ['AO']], ['O:', ['AO']], ['O2', ['AO']],
  ['O@', ['AO', 'R']], ['o@', ['AO', 'R']], ['OI', ['OY']], ['oU', ['OW']], ['U', ['UH']], ['u:', ['UW']],
  ['U@', ['UH', 'R']], ['V', ['AH']], ['p', ['P']], ['b', ['B']], ['t', ['T']], ['t#', ['T']], ['d', ['D']],
  ['k', ['K']], ['g', ['G']], ['f', ['F']], ['v', ['V']], ['T', ['TH']], ['D', ['DH']], ['s', ['S']],
  ['z', ['Z']], ['S', ['SH']], ['Z', ['ZH']], ['h', ['HH']], ['tS', ['CH']], ['dZ', ['JH']], ['m', ['M']],
  ['n', ['N']], ['n-', ['N']], ['N', ['NG']], ['l', ['L']], ['l-', ['L']], ['r', ['R']], ['r-', ['R']],
  ['j', ['Y']], ['w', ['W']], ['x', ['K']], ['C', ['HH']], ['m-', ['M']],
]);

/** One espeak-ng `-x --sep=" "` line → ARPAbet phones; unknown symbols (pauses, ties) are skipped. */
export function espeakLineToArpabet(line: string): string[] {
  const phones: string[] = [];
  for (const raw of line.trim().split(/\s+/)) {
    const symbol = raw.replace(/^['ˈ,%=]+/, '').replace(/['ˈ,%=;]+$/, '');
    const mapped = espeakToArpabet.get(symbol);
    if (mapped === undefined) continue;
    // "A@ r" (car) already carries its R: do not say it twice.
    const [head, ...rest] = mapped;
    if (head === 'R' && phones[phones.length - 1] === 'R') phones.push(...rest);
    else phones.push(...mapped);
  }
  return phones;
}

const batchWordsMax = 5000;

/** Pronounces words (lower case, letters, apostrophes, hyphens) with espeak-ng in batches. */
export class EspeakG2p {
  private readonly cache = new Map<string, string[]>();

  constructor(private readonly command = 'espeak-ng') {}

  async lexicon(words: Iterable<string>): Promise<MapLexicon> {
    const wanted = [...new Set([...words].map((word) => word.toLowerCase()))]
      .filter((word) => /^[a-z][a-z'-]*$/.test(word));
    const unknown = wanted.filter((word) => !this.cache.has(word));
    for (let start = 0; start < unknown.length; start += batchWordsMax) {
      const batch = unknown.slice(start, start + batchWordsMax);
      const lines = await this.run(batch.map((word) => `${word.replace(/-/g, ' ')}.`).join('\n'));
      if (lines.length !== batch.length) {
        throw new Error(`espeak-ng returned ${lines.length} lines for ${batch.length} words`);
      }
      batch.forEach((word, index) => { this.cache.set(word, espeakLineToArpabet(lines[index] ?? '')); });
    }
    const lexicon = new MapLexicon();
    for (const word of wanted) {
      const phones = this.cache.get(word) ?? [];
      if (phones.length > 0) lexicon.add(word, phones);
    }
    return lexicon;
  }

  private run(input: string): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.command, ['-q', '-x', '--sep= ', '-v', 'en-us'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let output = '';
      let errors = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => { errors += chunk; });
      child.on('error', (error) => {
        reject(new Error(`cannot run ${this.command} for pronunciations (apt-get install espeak-ng): ${error.message}`));
      });
      child.on('close', (code) => {
        if (code !== 0) reject(new Error(`${this.command} exited with ${String(code)}: ${errors.trim()}`));
        else resolve(output.split('\n').filter((line) => line.trim() !== ''));
      });
      child.stdin.end(`${input}\n`);
    });
  }
}
