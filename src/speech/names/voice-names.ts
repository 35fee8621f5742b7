// Wires the voice name path into a running app: the roll name directory (index and grammars of the
// roll in force) and, when the engine takes grammars built at run time, the two-pass recognizer
// decorator for context 'name' (pocketsphinx in process, or the remote ASR workers, which upload the
// grammars to their workers). Engines that cannot (Vosk in process) keep names by keypad.
import type { Logger } from 'pino';
import { loadCmudict } from '../lexicon/cmudict.js';
import { loadNicknames } from '../matcher/index.js';
import type { Recognizer } from '../recognizer.js';
import { RollNameDirectory, type RollVoterSource } from './roll-name-directory.js';
import { canAddGrammars, TwoPassNameRecognizer } from './two-pass-name-recognizer.js';

export interface VoiceNames {
  /** The recognizer to give the dialog (the two-pass decorator, or the engine as it is). */
  readonly recognizer: Recognizer | null;
  readonly names: RollNameDirectory;
  close(): Promise<void>;
}

export async function withVoiceNames(recognizer: Recognizer | null, roll: RollVoterSource,
  logger: Logger): Promise<VoiceNames> {
  const [dictionary, nicknames] = await Promise.all([loadCmudict(), loadNicknames()]);
  const names = new RollNameDirectory(roll, dictionary, nicknames);
  if (recognizer !== null && !canAddGrammars(recognizer)) {
    logger.warn(`the ${recognizer.engine} recognizer cannot load roll grammars: names are asked by keypad`);
  }
  const decorated = recognizer !== null && canAddGrammars(recognizer)
    ? new TwoPassNameRecognizer(recognizer, async () => {
      try {
        return (await names.current())?.names ?? null;
      } catch (error) {
        logger.error({ err: error }, 'building the roll name grammars failed; names by voice are off for this call');
        return null;
      }
    })
    : recognizer;
  return { recognizer: decorated, names, close: () => names.close() };
}
