// Grapheme-to-phoneme fallback for roll words CMUdict lacks: espeak-ng's English rules (`-x`, phoneme
// mnemonics) run once per batch in one subprocess, mapped to ARPAbet. Results are cached per word, in memory
// and, given a directory, on disk (pronunciation-cache.ts).
import { spawn } from 'node:child_process';
import { availableParallelism, setPriority } from 'node:os';
import { MapLexicon } from './lexicon.js';
import { PronunciationCache } from './pronunciation-cache.js';

/** Niceness of the espeak-ng processes pronouncing a roll (0 is ours; 19 the lowest priority). */
const backgroundNice = 10;

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

export interface EspeakG2pOptions {
  /** The espeak-ng executable. */
  readonly command?: string;
  /**
   * Where espeak-ng's lines are kept between runs (pronunciation-cache.ts); null or absent: only in memory,
   * for this instance's lifetime.
   */
  readonly cacheDir?: string | null;
  /** espeak-ng processes at once (default: the machine's cores; each at a lower priority than the calls). */
  readonly concurrency?: number;
  /** Words per espeak-ng process (default 5,000). */
  readonly batchWords?: number;
  /**
   * Told when the cache directory cannot be read or written (the words are pronounced anyway: the cache only
   * saves time). Absent: such errors are ignored.
   */
  readonly onCacheError?: (error: unknown) => void;
}

/**
 * Pronounces words (lower case, letters, apostrophes, hyphens) with espeak-ng in batches, several at once,
 * each word once per instance and, with a cache directory, once per espeak-ng build.
 */
export class EspeakG2p {
  private readonly cache = new Map<string, string[]>();
  private readonly command: string;
  private readonly concurrency: number;
  private disk: Promise<PronunciationCache | null> | null = null;

  constructor(private readonly options: EspeakG2pOptions = {}) {
    this.command = options.command ?? 'espeak-ng';
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? availableParallelism()));
  }

  async lexicon(words: Iterable<string>): Promise<MapLexicon> {
    const wanted = [...new Set([...words].map((word) => word.toLowerCase()))]
      .filter((word) => /^[a-z][a-z'-]*$/.test(word));
    let unknown = wanted.filter((word) => !this.cache.has(word));
    const disk = unknown.length === 0 ? null : await this.openDisk();
    if (disk !== null) {
      unknown = unknown.filter((word) => {
        const line = disk.get(word);
        if (line !== undefined) this.cache.set(word, espeakLineToArpabet(line));
        return line === undefined;
      });
    }
    const batches: string[][] = [];
    const size = Math.max(1, Math.floor(this.options.batchWords ?? batchWordsMax));
    for (let start = 0; start < unknown.length; start += size) {
      batches.push(unknown.slice(start, start + size));
    }
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let batch = batches[next++]; batch !== undefined; batch = batches[next++]) {
        const lines = await this.run(batch.map((word) => `${word.replace(/-/g, ' ')}.`).join('\n'));
        if (lines.length !== batch.length) {
          throw new Error(`espeak-ng returned ${lines.length} lines for ${batch.length} words`);
        }
        const said = batch.map((word, index) => [word, (lines[index] ?? '').trim()] as const);
        for (const [word, line] of said) this.cache.set(word, espeakLineToArpabet(line));
        await disk?.add(said).catch((error: unknown) => { this.options.onCacheError?.(error); });
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, batches.length) }, worker));
    const lexicon = new MapLexicon();
    for (const word of wanted) {
      const phones = this.cache.get(word) ?? [];
      if (phones.length > 0) lexicon.add(word, phones);
    }
    return lexicon;
  }

  private async openDisk(): Promise<PronunciationCache | null> {
    const dir = this.options.cacheDir;
    if (dir === undefined || dir === null) return null;
    this.disk ??= this.version().then((version) => PronunciationCache.open(dir, version)).catch((error: unknown) => {
      this.options.onCacheError?.(error);
      return null;
    });
    return this.disk;
  }

  /** espeak-ng's `--version` line: which build (and its rules data) the cached lines come from. */
  private async version(): Promise<string> {
    const output = await this.spawnOutput(['--version'], '');
    const line = output.find((text) => text.trim() !== '')?.trim();
    if (line === undefined) throw new Error(`${this.command} --version printed nothing`);
    return line;
  }

  private run(input: string): Promise<string[]> {
    return this.spawnOutput(['-q', '-x', '--sep= ', '-v', 'en-us'], `${input}\n`, true);
  }

  private spawnOutput(args: readonly string[], input: string, background = false): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
      // Pronouncing a roll is preparation: calls being answered on this machine come first.
      if (background && child.pid !== undefined) {
        try { setPriority(child.pid, backgroundNice); } catch { /* not allowed here: it runs at our priority */ }
      }
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
      child.stdin.on('error', () => { /* the child exited early: its exit code says why */ });
      child.stdin.end(input);
    });
  }
}
