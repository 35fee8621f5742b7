// Digit strings said by TTS voices through the corpus's telephone line (noise 20 dB under the speech, G.711),
// for the tests that compare how pocketsphinx settings hear them. Seeded, so every run hears the same audio.
import { digitWords } from '../../../src/speech/corpus/spoken.js';
import { muLawToPcm, telephoneChannel } from '../../../src/speech/corpus/channel.js';
import type { Hypothesis, Recognizer } from '../../../src/speech/recognizer.js';
import { Prng } from '../../../src/roll/prng.js';
import { recognize } from './recognize.js';
import { concat, silence, telephoneSpeech, type TestVoice } from './telephone-tts.js';

export interface SaidDigits {
  readonly digits: string;
  readonly voice: TestVoice;
  readonly samples: Int16Array;
}

/** `perVoice` strings of 3-6 random digits for each voice, with a pause before and after, through the line. */
export async function lineDigitStrings(voices: readonly TestVoice[], perVoice: number, seed: number, dir: string):
  Promise<SaidDigits[]> {
  const prng = new Prng(seed);
  const said: SaidDigits[] = [];
  for (const voice of voices) {
    for (let i = 0; i < perVoice; i++) {
      let digits = '';
      for (const count = 3 + prng.int(4); digits.length < count;) digits += String(prng.int(10));
      const speech = await telephoneSpeech(digitWords(digits), voice, dir);
      const samples = muLawToPcm(telephoneChannel(concat(silence(300), speech, silence(900)), 'snr20', prng));
      said.push({ digits, voice, samples });
    }
  }
  return said;
}

/** Each string's N-best in the digits grammar, in order. */
export async function hearDigits(recognizer: Recognizer, said: readonly SaidDigits[]):
  Promise<Array<{ said: SaidDigits; hypotheses: readonly Hypothesis[] }>> {
  const heard: Array<{ said: SaidDigits; hypotheses: readonly Hypothesis[] }> = [];
  for (const one of said) {
    const result = await recognize(recognizer, one.samples, { context: 'digits', nBest: 5 });
    heard.push({ said: one, hypotheses: result.hypotheses });
  }
  return heard;
}
