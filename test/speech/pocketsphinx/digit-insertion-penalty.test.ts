// Digit strings decode with a word insertion penalty of their own (searchSettingsByContext,
// pocketsphinx-recognizer.ts): nothing but the penalty says how many digits were said, and at the decoder's
// 0.05 the N-best held readings with a digit more, which split the confidence so the dialog asked again for a
// string it had heard right. Real pocketsphinx on TTS digit strings through the corpus's telephone line, judged
// as the dialog takes an answer (judgeSpoken: pooled meanings, the digit strings' reject rules).
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgeSpoken } from '../../../src/speech/corpus/dialog-judge.js';
import {
  PocketsphinxRecognizer, searchSettingsByContext,
} from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import { thrown } from '../../support/thrown.js';
import { hearDigits, lineDigitStrings, type SaidDigits } from '../support/line-digit-strings.js';
import type { TestVoice } from '../support/telephone-tts.js';

const voices: TestVoice[] = ['flite-kal8', 'flite-awb', 'flite-kal', 'flite-slt', 'espeak-us', 'espeak-us-slow'];
/** The decoder's own penalty, which digit strings had before. */
const decoderPenalty = 0.05;

describe('pocketsphinx: digit strings decode with their own word insertion penalty (telephone TTS)', function () {
  this.timeout(300_000);
  let dir = '';
  let own: PocketsphinxRecognizer;
  let decoders: PocketsphinxRecognizer;
  let said: SaidDigits[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dn-digit-penalty-'));
    // Each string decoded after its whole hangover, as when the penalty was measured (26 right and 6 wrong
    // against 23 and 5 on 2026-12-08). Decoded early (the default since, POCKETSPHINX_EARLY_DECODE), the same 48
    // gave 24 / 7 against 23 / 4: the penalty's lead shrinks to one on these; that decode's effect on digit
    // strings is measured on larger generated corpora (README, early decodes).
    own = await PocketsphinxRecognizer.create({ poolSize: 1, earlyDecode: false });
    decoders = await PocketsphinxRecognizer.create({ poolSize: 1, contextSearchSettings: {}, earlyDecode: false });
    said = await lineDigitStrings(voices, 8, 9, dir);
  });
  after(async () => {
    await own?.close();
    await decoders?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('digit strings ask for a penalty below the decoder\'s', () => {
    expect(searchSettingsByContext.digits?.['-wip']).to.be.a('number').below(decoderPenalty);
  });

  it('takes more strings right than with the decoder\'s penalty, and about as few wrong', async () => {
    const withOwn = await judged(own, said);
    const withDecoders = await judged(decoders, said);
    const report = `own penalty: ${withOwn.lines.join('; ')}\ndecoder's: ${withDecoders.lines.join('; ')}`;
    // Measured here: 25 right and 4 wrong of 48 against 22 and 3.
    expect(withOwn.right, report).to.be.at.least(withDecoders.right + 2);
    // One either way is noise: on the generated corpora wrong ones went 18 → 17 (tuning) and 11 → 12 (held out).
    expect(withOwn.wrong, report).to.be.at.most(withDecoders.wrong + 1);
  });

  it('refuses a penalty that is not above 0, and a context\'s filler probability above 1', async () => {
    for (const penalty of [0, -1, Number.NaN]) {
      const error = await thrown(async () =>
        PocketsphinxRecognizer.create({ poolSize: 1, contextSearchSettings: { digits: { '-wip': penalty } } }));
      expect(error, String(penalty)).to.be.instanceOf(RangeError);
    }
    const error = await thrown(async () =>
      PocketsphinxRecognizer.create({ poolSize: 1, contextSearchSettings: { yesno: { '-fillprob': 1.5 } } }));
    expect(error).to.be.instanceOf(RangeError);
  });
});

/** How many strings the dialog takes right and wrong (sure or read back); the rest it asks again. */
async function judged(recognizer: PocketsphinxRecognizer, said: readonly SaidDigits[]):
  Promise<{ right: number; wrong: number; lines: string[] }> {
  let right = 0;
  let wrong = 0;
  const lines: string[] = [];
  for (const { said: { digits, voice }, hypotheses } of await hearDigits(recognizer, said)) {
    const { outcome } = judgeSpoken('digits', digits, hypotheses);
    if (outcome === 'correct') right += 1;
    if (outcome === 'wrong-confident') wrong += 1;
    lines.push(`${voice} ${digits} ${outcome} "${hypotheses[0]?.text ?? ''}"`);
  }
  return { right, wrong, lines };
}
