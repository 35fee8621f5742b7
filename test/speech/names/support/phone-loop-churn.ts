// Run by phone-loop-churn.test.ts in a child process (a deadlock must not take the test run with it): rounds
// of several utterances at once on one recognizer, each decoder reading its best path's segments
// (ps_seg_iter, on the event loop after ps_get_hyp) while the others decode on libuv threads, with the phone
// loop and a one-path reading grammar on the same decoders. Prints "done <rounds> <acoustics>" at the end.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCmudict } from '../../../../src/speech/lexicon/cmudict.js';
import { buildPhoneLoopGrammar } from '../../../../src/speech/names/phone-loop.js';
import { oneReadingGrammar } from '../../../../src/speech/names/reading-fit.js';
import { PocketsphinxRecognizer } from '../../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import { recognize } from '../../support/recognize.js';
import { concat, silence, telephoneSpeech } from '../../support/telephone-tts.js';

const rounds = Number(process.argv[2] ?? 10);
const dir = await mkdtemp(join(tmpdir(), 'phone-loop-churn-'));
const recognizer = await PocketsphinxRecognizer.create({ poolSize: 4 });
let acoustics = 0;
try {
  const loop = await buildPhoneLoopGrammar(dir, 'churn');
  recognizer.addGrammar(loop);
  const dictionary = await loadCmudict();
  const words = ['mary', 'jones', 'of', 'ames'];
  const reading = oneReadingGrammar('churn/reading', 'mary jones of ames',
    new Map(words.map((word) => [word, dictionary.pronunciations(word)] as const)));
  if (reading === null) throw new Error('no reading grammar');
  recognizer.addGrammar(reading);
  const audio = concat(silence(300), await telephoneSpeech('mary jones of ames', 'flite-kal', dir), silence(900));
  const keys = [loop.grammarKey, reading.grammarKey, loop.grammarKey, reading.grammarKey];
  for (let round = 0; round < rounds; round += 1) {
    // The loop listens for its best path alone, as the name path does; the reading also with an N-best (lattice).
    const heard = await Promise.all(keys.map(async (grammarKey, index) =>
      recognize(recognizer, audio, { context: 'name', grammarKey, nBest: index === 3 ? 5 : 1, pathAcoustics: true })));
    acoustics += heard.filter((recognition) => recognition.hypotheses.some((hypothesis) =>
      hypothesis.acoustic !== undefined)).length;
  }
} finally {
  await recognizer.close();
  await rm(dir, { recursive: true, force: true });
}
process.stdout.write(`done ${rounds} ${acoustics}\n`);
