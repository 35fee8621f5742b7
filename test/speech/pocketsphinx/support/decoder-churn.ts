// Run by decoder-pool-growth.test.ts in a child process (a deadlock must not take the test run with it):
// rounds of a pool creating decoders on several libuv threads at once while the loop creates one too,
// then freeing them all. Prints "done <rounds>" at the end; a native deadlock shows as a child that never ends.
import { DecoderPool } from '../../../../src/speech/pocketsphinx/decoder-pool.js';
import { debianModelDir, loadPocketsphinx } from '../../../../src/speech/pocketsphinx/library.js';

const rounds = Number(process.argv[2] ?? 40);
const argv = ['-hmm', `${debianModelDir}/en-us`, '-dict', `${debianModelDir}/cmudict-en-us.dict`];
const library = loadPocketsphinx();
for (let round = 0; round < rounds; round += 1) {
  const pool = new DecoderPool(library, argv, 4);
  pool.warm();
  const decoders = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire(), pool.acquire()]);
  for (const decoder of decoders) pool.release(decoder);
  await pool.close();
}
process.stdout.write(`done ${rounds}\n`);
