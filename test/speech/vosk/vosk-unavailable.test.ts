import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecognizerUnavailableError } from '../../../src/speech/recognizer.js';
import { bundledVoskLibraryPath, loadVosk } from '../../../src/speech/vosk/vosk-library.js';
import { parseVoskResult, VoskRecognizer } from '../../../src/speech/vosk/vosk-recognizer.js';

describe('Vosk adapter without a model or library', () => {
  let dir = '';
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'vosk-')); });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('finds libvosk.so in the vosk npm package and loads it', () => {
    const path = bundledVoskLibraryPath();
    expect(path).to.match(/node_modules\/vosk\/lib\/linux-x86_64\/libvosk\.so$/);
    expect(() => loadVosk(path)).not.to.throw();
  });

  it('a VOSK_MODEL path that does not exist: the documented message', () => {
    const missing = join(dir, 'vosk-model-small-en-us-0.15');
    let error: unknown;
    try { VoskRecognizer.create({ modelPath: missing, phrases: new Map() }); } catch (caught) { error = caught; }
    expect(error).to.be.instanceOf(RecognizerUnavailableError);
    expect((error as Error).message).to.equal(`VOSK_MODEL ${missing} does not exist: download a model as `
      + 'models/README.md says (scripts/fetch-model does it), or unset VOSK_MODEL to use pocketsphinx');
  });

  it('a directory that is not a model: says so', async () => {
    await writeFile(join(dir, 'README'), 'not a model');
    expect(() => VoskRecognizer.create({ modelPath: dir, phrases: new Map() }))
      .to.throw(RecognizerUnavailableError, /is not a Vosk model \(no am\/final\.mdl\)/);
  });

  it('a library that cannot be loaded: says where it comes from (a real dlopen of a missing file)', () => {
    expect(() => loadVosk(join(dir, 'libvosk.so'))).to.throw(RecognizerUnavailableError, /vosk npm package: run npm ci/);
  });

  it('turns Vosk alternatives into hypotheses with posterior confidences, dropping [unk]', () => {
    const json = JSON.stringify({ alternatives: [{ text: 'yes', confidence: 210.5 }, { text: 'yeah', confidence: 209.8 },
      { text: '[unk]', confidence: 200 }, { text: '', confidence: 100 }] });
    const hypotheses = parseVoskResult(json, 5);
    expect(hypotheses.map((hypothesis) => hypothesis.text)).to.deep.equal(['yes', 'yeah']);
    expect(hypotheses[0]?.confidence).to.be.greaterThan(hypotheses[1]?.confidence ?? 1);
    expect((hypotheses[0]?.confidence ?? 0) + (hypotheses[1]?.confidence ?? 0)).to.be.closeTo(1, 1e-9);
    expect(parseVoskResult('{"text": ""}', 3)).to.deep.equal([]);
  });
});
