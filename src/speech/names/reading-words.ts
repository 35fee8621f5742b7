// The words of a name-path reading ("mary jones of ames"): where its place starts and the name before it.
// One reading of the text for the recognizer's passes and the corpus diagnostics alike.

export function readingWords(text: string): string[] {
  return text.split(' ').filter((word) => word !== '');
}

/** Index of the last "of"/"in" (the place follows it), or -1 when the reading names no place. */
export function placeIndex(words: readonly string[]): number {
  return Math.max(words.lastIndexOf('of'), words.lastIndexOf('in'));
}

/**
 * "first [middle] last" of a reading and its place, the words after its last "of"/"in" ("mary jones of ames" →
 * "mary jones", "ames"): a name holding a place word ("hyoung in pineda of waterloo") stays whole.
 */
export function readingParts(text: string): { name: string; place: string | undefined } {
  const words = readingWords(text);
  const placeAt = placeIndex(words);
  if (placeAt <= 0) return { name: words.join(' '), place: undefined };
  const place = words.slice(placeAt + 1).join(' ');
  return { name: words.slice(0, placeAt).join(' '), place: place === '' ? undefined : place };
}

/** "first [middle] last" of a reading, without the place ("mary jones of ames" → "mary jones"). */
export function nameOfReading(text: string): string {
  return readingParts(text).name;
}

/** The last word of a reading's name: its surname, or a compound surname's last word ("mary jones of ames": jones). */
export function lastNameWordOfReading(text: string): string {
  const words = readingWords(nameOfReading(text));
  return words[words.length - 1] ?? '';
}

/**
 * A reading of a city's own grammar said in full in that city: pocketsphinx's N-best may stop short of the
 * city ("mary jones of"), and the grammar has no other ("mary jones of" in ames' grammar → "mary jones of ames").
 */
export function readingInCity(text: string, cityWords: readonly string[]): string {
  const words = readingWords(text);
  while (words.length > 0 && ['of', 'in'].includes(words[words.length - 1] as string)) words.pop();
  const placeAt = placeIndex(words);
  const name = placeAt > 0 ? words.slice(0, placeAt) : words;
  return [...name, 'of', ...cityWords].join(' ');
}

/**
 * A finder's reading that stopped inside a town's name ("jeffrey bailey of mount"), said in full when its place
 * words are no town of `towns` and exactly one of `decoded` (slugs) begins with them ("mount-vernon"); any other
 * reading as it was. The finder's N-best stops short as pass 2's does (withCity), and the matcher reads "mount"
 * as a place no voter lives in, so the reading counted against every voter, the one said too.
 */
export function readingCityCompleted(text: string, towns: ReadonlySet<string>, decoded: readonly string[]): string {
  const words = readingWords(text);
  const placeAt = placeIndex(words);
  if (placeAt <= 0 || placeAt === words.length - 1) return text;
  const said = words.slice(placeAt + 1).join('-');
  const longer = decoded.filter((slug) => slug.startsWith(`${said}-`));
  const [only] = longer;
  if (towns.has(said) || longer.length !== 1 || only === undefined) return text;
  return [...words.slice(0, placeAt + 1), ...only.split('-')].join(' ');
}

/**
 * A reading with its place replaced by `cityWords`, its own "of"/"in" kept (readingInCity always says "of"):
 * ("mary jones in ames" → "… in boone").
 */
export function readingSaidIn(text: string, cityWords: readonly string[]): string {
  const words = readingWords(text);
  const at = placeIndex(words);
  return (at > 0 ? [...words.slice(0, at + 1), ...cityWords] : [...words, 'of', ...cityWords]).join(' ');
}
