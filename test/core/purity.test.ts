// The domain core must stay pure: no I/O, no adapters. This test fails the build if an import of
// anything outside src/core (other than computation-only node:crypto) appears there.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const coreDir = fileURLToPath(new URL('../../../src/core/', import.meta.url));
const allowedExternal = new Set(['node:crypto']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => entry.isDirectory()
    ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []);
}

/** The imports of `source` (a file in `fileDir`) that leave the core; the file's own folder by default. */
export function impureImports(source: string, fileDir = coreDir): string[] {
  const specifiers = [...source.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)]
    .map((match) => match[1] ?? match[2] ?? match[3] ?? '');
  return specifiers.filter((specifier) => {
    if (allowedExternal.has(specifier)) return false;
    // Relative imports must resolve inside src/core.
    if (!specifier.startsWith('.')) return true;
    return !(resolve(fileDir, specifier) + sep).startsWith(coreDir.endsWith(sep) ? coreDir : coreDir + sep);
  });
}

describe('core purity', () => {
  const files = sourceFiles(coreDir);

  it('finds the core sources', () => {
    expect(files.length).to.be.greaterThan(3);
  });

  for (const file of files) {
    it(`${file.slice(coreDir.length)} imports nothing with I/O`, () => {
      expect(impureImports(readFileSync(file, 'utf8'), dirname(file))).to.deep.equal([]);
    });
  }

  it('flags the imports it must flag', () => {
    expect(impureImports("import { Redis } from 'ioredis';")).to.deep.equal(['ioredis']);
    expect(impureImports("import { readFileSync } from 'node:fs';")).to.deep.equal(['node:fs']);
    expect(impureImports("import type { X } from '../store/keys.js';")).to.deep.equal(['../store/keys.js']);
    expect(impureImports("const p = await import('pino');")).to.deep.equal(['pino']);
    expect(impureImports("import { a } from './voter.js';")).to.deep.equal([]);
    const moneyDir = join(coreDir, 'money');
    expect(impureImports("import { a } from '../number-words.js';", moneyDir)).to.deep.equal([]);
    expect(impureImports("import { a } from '../../speech/x.js';", moneyDir)).to.deep.equal(['../../speech/x.js']);
    expect(impureImports("import { a } from '../core-x.js';", coreDir)).to.deep.equal(['../core-x.js']);
  });
});
