// Nicknames (data/names/nicknames.csv: a formal name, then the names people use for it). "Jim" on the
// phone means James on the roll, and "Katie" may be Katherine, Catherine or Kathryn: the matcher
// tries every related name, at a small cost, besides the word heard.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dataDir } from '../../roll/data-dir.js';

export class Nicknames {
  private readonly related = new Map<string, Set<string>>();
  /** A formal name → the short forms its lines list ("james" → jimmy, jim, jamie, …), no siblings or formal names. */
  private readonly shortForms = new Map<string, string[]>();

  /** The short forms people use for the formal name `name` ("jim", "jimmy" for James); [] when it has none. */
  shortFormsOf(name: string): readonly string[] {
    return this.shortForms.get(name) ?? [];
  }

  /** Names related to `name` (formal names it is short for, its short forms, and their siblings). */
  relatedNames(name: string): ReadonlySet<string> {
    return this.related.get(name) ?? emptySet;
  }

  get size(): number {
    return this.related.size;
  }

  /** Parses the CSV text; each line `formal,nick1,nick2,…`, lower case after cleaning. */
  static parse(text: string): Nicknames {
    const nicknames = new Nicknames();
    const groups: string[][] = [];
    text.split(/\r?\n/).forEach((line, index) => {
      if (line.trim().length === 0 || line.startsWith('#')) return;
      // "k.c." is said as letters; the roll writes initials without periods.
      const names = line.split(',').map((name) => name.trim().toLowerCase().replace(/\./g, ''))
        .filter((name) => name.length > 0);
      if (names.length < 2) throw new Error(`nicknames line ${index + 1}: a name without nicknames: ${line}`);
      if (names.some((name) => !/^[a-z][a-z' -]*$/.test(name))) {
        throw new Error(`nicknames line ${index + 1}: not a name: ${line}`);
      }
      groups.push(names);
    });
    for (const [formal, ...shortForms] of groups) {
      if (formal === undefined) continue;
      const listed = nicknames.shortForms.get(formal) ?? [];
      for (const short of shortForms) if (!listed.includes(short) && short !== formal) listed.push(short);
      nicknames.shortForms.set(formal, listed);
      for (const short of shortForms) {
        nicknames.link(formal, short);
        // Siblings: Jim and Jimmy are both James.
        for (const sibling of shortForms) if (sibling !== short) nicknames.link(short, sibling);
      }
    }
    return nicknames;
  }

  private link(a: string, b: string): void {
    this.add(a, b);
    this.add(b, a);
  }

  private add(from: string, to: string): void {
    let set = this.related.get(from);
    if (set === undefined) {
      set = new Set();
      this.related.set(from, set);
    }
    set.add(to);
  }
}

const emptySet: ReadonlySet<string> = new Set();

/** The repository's copy of the nickname table (data/names/nicknames.csv, see data/names/SOURCES.md). */
export async function loadNicknames(path: string = join(dataDir(), 'names', 'nicknames.csv')): Promise<Nicknames> {
  return Nicknames.parse(await readFile(path, 'utf8'));
}
