// The manifest's optional `call`: one caller's answers on one line, heard in order with the call's acoustics
// carried between them, on real pocketsphinx and committed tuning audio. The recognizer is wrapped only to
// note what each utterance was started with; recognition is the real engine's.
import { expect } from 'chai';
import { CallerAcoustics } from '../../../src/speech/caller-acoustics.js';
import { judgeSpoken } from '../../../src/speech/corpus/dialog-judge.js';
import { ManifestError, parseManifest, type Manifest, type ManifestItem } from '../../../src/speech/corpus/manifest.js';
import { corpusCalls, runCorpus } from '../../../src/speech/corpus/runner.js';
import { PocketsphinxRecognizer } from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import type {
  GrammarContext, RecognitionStream, Recognizer, RecognizeOptions, StaticGrammarContext,
} from '../../../src/speech/recognizer.js';
import { ciManifestPath } from './paths.js';

/** What each utterance started with: its audio's place in the manifest's order and the call's acoustics. */
interface Started { context: GrammarContext; caller: CallerAcoustics | undefined; framesBefore: number }

class StartsNoted implements Recognizer {
  readonly engine: string;
  readonly started: Started[] = [];

  constructor(private readonly base: Recognizer) {
    this.engine = base.engine;
  }

  start(options: RecognizeOptions): RecognitionStream {
    this.started.push({ context: options.context, caller: options.caller,
      framesBefore: options.caller?.framesHeard ?? 0 });
    return this.base.start(options);
  }

  close(): Promise<void> {
    return this.base.close();
  }
}

const item = (audio: string, context: GrammarContext, expected: string, call?: string): ManifestItem =>
  ({ audio, context, expected, ...(call === undefined ? {} : { call }) });

describe('speech corpus: a manifest\'s calls (one caller\'s answers on one line)', function () {
  this.timeout(120_000);

  it('groups items by call in manifest order; an item without one is a call of its own', () => {
    const items = [item('a.wav', 'yesno', 'yes', 'one'), item('b.wav', 'yesno', 'no'),
      item('c.wav', 'vote', 'yes', 'two'), item('d.wav', 'yesno', 'no', 'one'), item('e.wav', 'vote', 'no', 'two'),
      item('f.wav', 'vote', 'no')];
    expect(corpusCalls(items)).to.deep.equal([[0, 3], [1], [2, 4], [5]]);
    expect(corpusCalls([])).to.deep.equal([]);
  });

  it('a call must be named: an empty call is a malformed manifest', () => {
    expect(() => parseManifest(JSON.stringify({ items: [{ ...item('a.wav', 'yesno', 'yes'), call: '' }] }), 'm.json'))
      .to.throw(ManifestError, /items\.0\.call/);
    const parsed = parseManifest(JSON.stringify({ items: [item('a.wav', 'yesno', 'yes', 'x')] }), 'm.json');
    expect(parsed.items[0]?.call).to.equal('x');
  });

  it('hears a call\'s answers in order with one CallerAcoustics that learns from each; a lone item with its own', async () => {
    const manifest: Manifest = { items: [
      item('audio/command-0081-flite-kal-snr20.mp3', 'command', 'recall', 'kal'),
      item('audio/yesno-0097-espeak-en-us-s165-p50-snr20.wav', 'yesno', 'yes'),
      item('audio/yesno-0094-flite-kal-snr20.wav', 'yesno', 'no', 'kal'),
      item('audio/yesno-0101-flite-kal-snr20.wav', 'yesno', 'yes', 'kal'),
    ] };
    const recognizer = new StartsNoted(await PocketsphinxRecognizer.create({ poolSize: 2 }));
    try {
      const run = await runCorpus({ manifestPath: ciManifestPath, manifest, recognizer, concurrency: 2,
        judge: { judge: (context, expected, hypotheses) => judgeSpoken(context as StaticGrammarContext,
          expected, hypotheses) } });
      expect(run.results.map((result) => result.error)).to.deep.equal([null, null, null, null]);
      expect(recognizer.started.every((start) => start.caller !== undefined)).to.equal(true);
      const call = recognizer.started.find((start) => start.context === 'command')?.caller;
      const inCall = recognizer.started.filter((start) => start.caller === call);
      expect(inCall.map((start) => start.context)).to.deep.equal(['command', 'yesno', 'yesno']);
      // Each answer starts from what the ones before it taught the call, and adds to it.
      const frames = inCall.map((start) => start.framesBefore);
      expect(frames[0]).to.equal(0);
      expect(frames[1]).to.be.greaterThan(frames[0] ?? 0);
      expect(frames[2]).to.be.greaterThan(frames[1] ?? 0);
      expect(call?.framesHeard).to.be.greaterThan(frames[2] ?? 0);
      // The lone item is a call of its own, heard from no frames, as a call's first answer is.
      const lone = recognizer.started.filter((start) => start.caller !== call);
      expect(lone.map((start) => [start.context, start.framesBefore])).to.deep.equal([['yesno', 0]]);
      expect(run.results.map((result) => result.index)).to.deep.equal([0, 1, 2, 3]);
    } finally {
      await recognizer.close();
    }
  });
});
