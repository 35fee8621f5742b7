import { expect } from 'chai';
import koffi from 'koffi';
import { loadNativeLibrary } from '../../src/speech/native-library.js';

describe('native speech libraries (koffi)', () => {
  it('are loaded with room for every decoder\'s async call to stay resident', () => {
    const libc = loadNativeLibrary('libc.so.6');
    const strlen = libc.func('size_t strlen(const char *s)');
    expect(Number(strlen('four one two'))).to.equal(12);
    const config = koffi.config() as Record<string, number>;
    // Beyond the resident sets, every async call maps and unmaps 8 MiB of its own (native-library.ts).
    expect(config.resident_async_pools).to.equal(32);
    expect(config.async_stack_size).to.be.at.least(4 * 1024 * 1024);
    expect(config.async_heap_size).to.be.at.least(4 * 1024 * 1024);
  });
});
