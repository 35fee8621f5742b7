// An engine that takes no grammar during a call, as Vosk does: the real engine behind it, without addGrammar,
// so every question listens with the committed grammar of its context.
import type { Recognizer } from '../../../src/speech/recognizer.js';

export function committedGrammarsOnly(engine: Recognizer): Recognizer {
  return {
    engine: `${engine.engine} (committed grammars only)`,
    start: (options) => engine.start(options),
    // The engine behind it is closed by its owner.
    close: async () => {},
  };
}
