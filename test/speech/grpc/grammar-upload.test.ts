// A grammar's compile settings survive the trip to an ASR worker: the upload is encoded and decoded with
// the real proto (the AddGrammar method's own serializers) and turned back into a definition. Without
// `wideWordBeam` a remote worker compiled the name path's city finders with the tight beam, which prunes
// their paths before the last word (pocketsphinx-recognizer.ts).
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GrammarDefinition } from '../../../src/speech/grammar/grammar-definition.js';
import { recognitionService, type WireGrammarUpload } from '../../../src/speech/grpc/asr-proto.js';
import { definitionOf, uploadOf } from '../../../src/speech/grpc/grammar-upload.js';

interface MethodDefinition {
  requestSerialize(value: WireGrammarUpload): Buffer;
  requestDeserialize(bytes: Buffer): WireGrammarUpload;
}

function overTheWire(upload: WireGrammarUpload): WireGrammarUpload {
  type WithService = { service: Record<string, MethodDefinition | undefined> };
  const addGrammar = (recognitionService().Recognition as unknown as WithService).service.AddGrammar;
  if (addGrammar === undefined) throw new Error('no AddGrammar in the proto');
  return addGrammar.requestDeserialize(addGrammar.requestSerialize(upload));
}

describe('speech/grpc: grammar uploads keep their compile settings', () => {
  let dir = '';
  before(() => { dir = mkdtempSync(join(tmpdir(), 'dn-grammar-upload-')); });
  after(() => { rmSync(dir, { recursive: true, force: true }); });

  function cityFinder(wideWordBeam: boolean | undefined): GrammarDefinition {
    const path = join(dir, 'cities.fsg');
    writeFileSync(path, ['FSG_BEGIN cities', 'NUM_STATES 2', 'START_STATE 0', 'FINAL_STATE 1',
      'TRANSITION 0 1 1.0 ames', 'FSG_END', ''].join('\n'));
    return { context: 'name', grammarKey: 'gen1/cities', format: 'fsg', source: path, pronunciations: new Map(),
      words: ['ames'], ...(wideWordBeam === undefined ? {} : { wideWordBeam }) };
  }

  it('a city finder\'s wide word beam reaches the worker\'s definition', async () => {
    const received = overTheWire(await uploadOf(cityFinder(true)));
    expect(received.wideWordBeam).to.equal(true);
    const definition = await definitionOf(received, dir);
    expect(definition.wideWordBeam).to.equal(true);
    expect(definition.words).to.deep.equal(['ames']);
  });

  it('a grammar without it (or an older app that never sends it) compiles with the engine\'s own beam', async () => {
    for (const setting of [undefined, false]) {
      const definition = await definitionOf(overTheWire(await uploadOf(cityFinder(setting))), dir);
      expect(definition.wideWordBeam, String(setting)).to.equal(undefined);
    }
  });

  it('a grammar weighing complete readings only keeps that on the worker, and one without it does not', async () => {
    const phrases: GrammarDefinition = { context: 'yesno', grammarKey: 'phrases', format: 'jsgf',
      source: '#JSGF V1.0;\ngrammar yesno;\npublic <yesno> = yes please | no thank you;\n', pronunciations: new Map(),
      words: ['no', 'please', 'thank', 'yes', 'you'], completeReadingsOnly: true };
    const received = overTheWire(await uploadOf(phrases));
    expect(received.completeReadingsOnly).to.equal(true);
    expect((await definitionOf(received, dir)).completeReadingsOnly).to.equal(true);
    const plain = await definitionOf(overTheWire(await uploadOf({ ...phrases, completeReadingsOnly: false })), dir);
    expect(plain.completeReadingsOnly).to.equal(undefined);
  });
});
