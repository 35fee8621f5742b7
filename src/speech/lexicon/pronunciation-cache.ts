// espeak-ng's letter-to-sound output for roll words, kept on disk between runs. A 550 k roll has about
// 118 k words CMUdict lacks, and pronouncing them takes about a minute of espeak-ng at every start; a
// restart, or the next roll generation (which shares nearly all its names), reads them back instead.
// What is kept is espeak-ng's own line for each word, not ARPAbet, so a change to our mapping (g2p.ts)
// applies to cached words as well; the file is named by the espeak-ng build whose rules wrote the lines.
// A line that does not parse is skipped: that word is simply pronounced again.
import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Words the cache keeps: what the G2P pronounces (lower case letters, apostrophes, hyphens). */
const cacheableWord = /^[a-z][a-z'-]*$/;

export class PronunciationCache {
  private constructor(readonly path: string, private readonly lines: Map<string, string>,
    /** Lines in the file that were not a word and its line (a torn write, an edit): skipped. */
    readonly skippedLines: number) {}

  /**
   * Opens (creating `dir` if needed) the cache of the engine whose `--version` line is `engineVersion`:
   * each build has its own file, so lines written by other rules are never read.
   */
  static async open(dir: string, engineVersion: string): Promise<PronunciationCache> {
    const name = `espeak-ng-${createHash('sha256').update(engineVersion).digest('hex').slice(0, 12)}.tsv`;
    const path = join(dir, name);
    await mkdir(dir, { recursive: true });
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await appendFile(path, `# espeak-ng phoneme lines by word, written by ${engineVersion.replace(/\s+/g, ' ')}\n`);
    }
    const lines = new Map<string, string>();
    let skipped = 0;
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      const tab = line.indexOf('\t');
      const word = tab > 0 ? line.slice(0, tab) : '';
      // A torn last line (a process stopped mid-write) has no tab or a partial word: not trusted.
      if (!cacheableWord.test(word) || line.indexOf('\t', tab + 1) !== -1) {
        skipped += 1;
        continue;
      }
      lines.set(word, line.slice(tab + 1));
    }
    return new PronunciationCache(path, lines, skipped);
  }

  /** The engine's line for `word`, or undefined when it was never pronounced with this build. */
  get(word: string): string | undefined {
    return this.lines.get(word);
  }

  get size(): number {
    return this.lines.size;
  }

  /**
   * Keeps new lines, in memory and appended to the file in one write. Words that are not cacheable, and
   * lines holding a tab or line break, are left out (they are pronounced again next time).
   */
  async add(entries: Iterable<readonly [string, string]>): Promise<void> {
    let text = '';
    for (const [word, line] of entries) {
      if (!cacheableWord.test(word) || /[\t\n\r]/.test(line) || this.lines.get(word) === line) continue;
      this.lines.set(word, line);
      text += `${word}\t${line}\n`;
    }
    if (text !== '') await appendFile(this.path, text);
  }
}
