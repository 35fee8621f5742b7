// Grammars built at run time travel to the ASR workers: a real pocketsphinx worker over gRPC takes a
// JSGF grammar with a word no dictionary has (its pronunciation in the upload) and an FSG file's
// contents, and recognizes real telephone speech with them for the app's RemoteRecognizer. A worker
// that restarted without the grammar answers NOT_FOUND and gets it again; a stream asking for a
// grammar nobody uploaded gets no hypotheses and leaves the worker up (it used to throw inside the
// stream handler); a worker whose engine takes no grammars makes the utterance fail over to the keypad.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { GrammarDefinition } from '../../../src/speech/grammar/grammar-definition.js';
import { startAsrWorker, type RunningAsrWorker } from '../../../src/speech/grpc/asr-worker.js';
import { RemoteRecognizer } from '../../../src/speech/grpc/remote-recognizer.js';
import { PocketsphinxRecognizer } from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import { RecognizerUnavailableError } from '../../../src/speech/recognizer.js';
import { recognize } from '../support/recognize.js';
import { telephoneSpeech } from '../support/telephone-tts.js';
import { ScriptedRecognizer } from './scripted-recognizer.js';

const logger = pino({ level: 'silent' });

/** Roll words with their pronunciations, as the roll's grammars carry them (the decoder's dictionary has only
 * the static grammars' words); "zorblax" is in no dictionary at all. */
const rollWords = new Map<string, ReadonlyArray<readonly string[]>>([
  ['zorblax', [['Z', 'AO', 'R', 'B', 'L', 'AE', 'K', 'S']]], ['quimby', [['K', 'W', 'IH', 'M', 'B', 'IY']]],
  ['mary', [['M', 'EH', 'R', 'IY']]], ['smith', [['S', 'M', 'IH', 'TH']]], ['john', [['JH', 'AA', 'N']]],
  ['doe', [['D', 'OW']]], ['of', [['AH', 'V']]], ['ames', [['EY', 'M', 'Z']]],
]);

function pronunciationsOf(words: readonly string[]): Map<string, ReadonlyArray<readonly string[]>> {
  return new Map(words.map((word) => [word, rollWords.get(word) ?? []]));
}

/** "<first> <last> of ames" for two voters, one with a made-up name. */
const jsgfNames: GrammarDefinition = {
  context: 'name', grammarKey: 'test/jsgf', format: 'jsgf',
  source: '#JSGF V1.0;\ngrammar names;\npublic <name> = (zorblax quimby | mary smith) of ames;\n',
  pronunciations: pronunciationsOf(['zorblax', 'quimby', 'mary', 'smith', 'of', 'ames']),
  words: ['zorblax', 'quimby', 'mary', 'smith', 'of', 'ames'],
};

/** The same two names as an FSG (what the roll's city grammars are), "john doe" | "mary smith" of ames. */
function fsgNames(dir: string): GrammarDefinition {
  const path = join(dir, 'names.fsg');
  writeFileSync(path, ['FSG_BEGIN names', 'NUM_STATES 6', 'START_STATE 0', 'FINAL_STATE 5',
    'TRANSITION 0 1 0.5 john', 'TRANSITION 1 3 1.0 doe', 'TRANSITION 0 2 0.5 mary', 'TRANSITION 2 3 1.0 smith',
    'TRANSITION 3 4 1.0 of', 'TRANSITION 4 5 1.0 ames', 'FSG_END', ''].join('\n'));
  const words = ['john', 'doe', 'mary', 'smith', 'of', 'ames'];
  return { context: 'name', grammarKey: 'test/fsg', format: 'fsg', source: path, pronunciations: pronunciationsOf(words),
    words };
}

describe('speech/grpc: run-time grammars on the ASR workers', function () {
  this.timeout(120_000);
  let dir: string;
  let worker: RunningAsrWorker;
  let remote: RemoteRecognizer;
  let zorblax: Int16Array;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dn-asr-grammars-test-'));
    worker = await startAsrWorker({ listen: '127.0.0.1:0', recognizer: await PocketsphinxRecognizer.create({ poolSize: 2 }),
      logger });
    remote = new RemoteRecognizer({ workers: [worker.address], logger });
    zorblax = await telephoneSpeech('zorblax quimby of ames', 'flite-kal', dir);
  });

  after(async () => {
    await remote.close();
    await worker.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads a JSGF grammar with its own pronunciations and recognizes with it', async () => {
    remote.addGrammar(jsgfNames);
    const result = await recognize(remote, zorblax, { context: 'name', grammarKey: 'test/jsgf' });
    expect(result.hypotheses[0]?.text).to.equal('zorblax quimby of ames');
  });

  it('uploads an FSG file\'s contents and recognizes with it', async () => {
    remote.addGrammar(fsgNames(dir));
    const result = await recognize(remote, await telephoneSpeech('john doe of ames', 'flite-kal', dir),
      { context: 'name', grammarKey: 'test/fsg' });
    expect(result.hypotheses[0]?.text).to.equal('john doe of ames');
  });

  it('answers a grammar nobody uploaded with no hypotheses, and the worker stays up', async () => {
    const result = await recognize(remote, zorblax, { context: 'name', grammarKey: 'test/never-uploaded' });
    expect(result.hypotheses).to.deep.equal([]);
    const states = await remote.checkHealth();
    expect(states.map((s) => s.healthy)).to.deep.equal([true]);
    expect((await recognize(remote, zorblax, { context: 'name', grammarKey: 'test/jsgf' })).hypotheses[0]?.text)
      .to.equal('zorblax quimby of ames');
  });

  it('uploads again to a worker that restarted without the grammar (NOT_FOUND)', async () => {
    const { port } = worker;
    await worker.close();
    worker = await startAsrWorker({ listen: `127.0.0.1:${port}`,
      recognizer: await PocketsphinxRecognizer.create({ poolSize: 2 }), logger });
    for (let tries = 0; tries < 50 && (await remote.checkHealth())[0]?.healthy !== true; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const result = await recognize(remote, zorblax, { context: 'name', grammarKey: 'test/jsgf' });
    expect(result.hypotheses[0]?.text).to.equal('zorblax quimby of ames');
  });

  it('fails the utterance over to the keypad when no worker\'s engine takes grammars', async () => {
    const scripted = await startAsrWorker({ listen: '127.0.0.1:0', recognizer: new ScriptedRecognizer(), logger });
    const pool = new RemoteRecognizer({ workers: [scripted.address], logger });
    try {
      pool.addGrammar(jsgfNames);
      const error = await recognize(pool, zorblax, { context: 'name', grammarKey: 'test/jsgf' })
        .then(() => null, (failure: unknown) => failure);
      expect(error).to.be.instanceOf(RecognizerUnavailableError);
      // Its own grammars still work: the static contexts need no upload.
      expect((await recognize(pool, zorblax, { context: 'yesno' })).hypotheses[0]?.text).to.match(/^heard \d+ samples/);
    } finally {
      await pool.close();
      await scripted.close();
    }
  });
});
