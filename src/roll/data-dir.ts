// Locates the package root and its `data/` directory at run time. Code runs from dist/src/..., from
// dist/test/... and from dist/bench/..., so we walk up from this module to the package root
// instead of hard-coding a relative depth.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RollDataError } from './errors.js';

const packageName = 'delegate-network';
const parentLevelsMax = 8;

let cachedRoot: string | undefined;

function isPackageRoot(directory: string): boolean {
  const manifest = join(directory, 'package.json');
  if (!existsSync(manifest)) return false;
  const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
  return parsed.name === packageName;
}

/** Absolute path of the package root (the directory of our package.json): data/, grammars/, models/ are there. */
export function packageRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level < parentLevelsMax; level += 1) {
    if (isPackageRoot(directory)) {
      cachedRoot = directory;
      return cachedRoot;
    }
    directory = dirname(directory);
  }
  throw new RollDataError(`cannot find the ${packageName} package root above ${fileURLToPath(import.meta.url)}`);
}

/** Absolute path of `<repo>/data`. */
export function dataDir(): string {
  return join(packageRoot(), 'data');
}

/** Reads a data file as text and names the file in the error if it is missing. */
export function readDataFile(...parts: string[]): string {
  const path = join(dataDir(), ...parts);
  if (!existsSync(path)) throw new RollDataError(`missing data file ${path}`);
  return readFileSync(path, 'utf8');
}

/** Non-empty, trimmed lines of a text data file. */
export function readDataLines(...parts: string[]): string[] {
  return readDataFile(...parts)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/**
 * Rows of a small, simple CSV data file (no quoted commas) as objects keyed by the header. Our own
 * data files are plain; roll files go through csv-parse instead.
 */
export function readDataCsv(...parts: string[]): Array<Record<string, string>> {
  const [header, ...rows] = readDataLines(...parts);
  if (header === undefined) throw new RollDataError(`empty data file ${parts.join('/')}`);
  const columns = header.split(',');
  return rows.map((row, index) => {
    const cells = row.split(',');
    if (cells.length !== columns.length) {
      throw new RollDataError(`${parts.join('/')} line ${index + 2}: ${cells.length} cells, expected ${columns.length}`);
    }
    return Object.fromEntries(columns.map((column, cell) => [column, cells[cell] as string]));
  });
}
