// Real pocketsphinx whose readings of some grammars the test sets (the decodes themselves still run), and the
// three voters of the two-pass path tests: so a test reaches the branch of the name path it is about.
import type { GrammarDefinition } from '../../../../src/speech/grammar/grammar-definition.js';
import type { RollName } from '../../../../src/speech/grammar/name-grammar.js';
import type { GrammarRecognizer } from '../../../../src/speech/names/two-pass-name-recognizer.js';
import type { PocketsphinxRecognizer } from '../../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import type {
  GrammarContext, Hypothesis, Recognition, RecognitionStream, RecognizeOptions,
} from '../../../../src/speech/recognizer.js';

export const pathVoters: RollName[] = [
  { first: 'mary', middle: '', last: 'jones', city: 'ames' },
  { first: 'robert', middle: '', last: 'miller', city: 'ames' },
  { first: 'linda', middle: '', last: 'smith', city: 'boone' },
];

export class ReadingsSetBy implements GrammarRecognizer {
  readonly engine = 'pocketsphinx';

  /** `readings`: grammar key → what its decode reads instead of what pocketsphinx heard. */
  constructor(private readonly real: PocketsphinxRecognizer,
    private readonly readings: Map<string, (heard: Recognition) => Hypothesis[]>) {}

  addGrammar(grammar: GrammarDefinition): void {
    this.real.addGrammar(grammar);
  }

  removeGrammar(context: GrammarContext, grammarKey: string): void {
    this.real.removeGrammar(context, grammarKey);
  }

  start(options: RecognizeOptions): RecognitionStream {
    const stream = this.real.start(options);
    const replace = this.readings.get(options.grammarKey ?? '');
    if (replace === undefined) return stream;
    return {
      write: (frame) => { stream.write(frame); },
      end: () => { stream.end(); },
      cancel: () => { stream.cancel(); },
      onSpeechStart: (listener) => { stream.onSpeechStart(listener); },
      partial: () => Promise.resolve(null),
      result: stream.result.then((heard) => ({ ...heard, hypotheses: replace(heard) })),
    };
  }

  close(): Promise<void> {
    return this.real.close();
  }
}
