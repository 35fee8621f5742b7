// Callers confirm in phrases as well as words ("no thank you", "that's right"). The yes/no grammar lists
// them, decoded on the wide word beam and weighing complete readings only (static-grammars.ts): a reading
// that stopped at "that" must not take the confidence of a clear "that is right"; and with the noise fillers
// shut: open, a filler took the first syllable of espeak's "correct" and the rest was heard as "no". Real
// pocketsphinx on TTS telephone audio, judged as the dialog takes an answer (judgeSpoken: pooled meanings, read
// back if unsure).
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgeSpoken } from '../../../src/speech/corpus/dialog-judge.js';
import { loadStaticGrammars } from '../../../src/speech/grammar/static-grammars.js';
import {
  fillerProbabilityDefault, PocketsphinxRecognizer, searchSettingsByContext,
} from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import { parseYesNo } from '../../../src/speech/parse/index.js';
import { recognize } from '../support/recognize.js';
import { concat, silence, telephoneSpeech, type TestVoice } from '../support/telephone-tts.js';

const phrases = ['yes please', 'no thank you', 'that is right', 'no thanks', 'correct'] as const;
const voices: TestVoice[] = ['flite-kal', 'flite-slt', 'espeak-us', 'espeak-us-slow'];

describe('pocketsphinx: yes and no said in phrases (telephone TTS)', function () {
  this.timeout(300_000);
  let dir = '';
  let recognizer: PocketsphinxRecognizer;
  const said: Array<{ phrase: string; voice: TestVoice; samples: Int16Array }> = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dn-yes-no-phrases-'));
    recognizer = await PocketsphinxRecognizer.create({ poolSize: 1 });
    for (const voice of voices) {
      for (const phrase of phrases) {
        const speech = await telephoneSpeech(phrase, voice, dir);
        said.push({ phrase, voice, samples: concat(silence(400), speech, silence(900)) });
      }
    }
  });
  after(async () => {
    await recognizer?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('the committed yes/no grammar asks for the wide word beam, complete readings and the fillers shut', () => {
    const yesno = loadStaticGrammars().find((grammar) => grammar.context === 'yesno');
    expect(yesno?.wideWordBeam).to.equal(true);
    expect(yesno?.completeReadingsOnly).to.equal(true);
    expect(searchSettingsByContext.yesno?.['-fillprob']).to.be.a('number').below(fillerProbabilityDefault);
    for (const phrase of phrases) expect(yesno?.source).to.include(phrase);
  });

  it('takes the phrase as its answer and never as the opposite one', async () => {
    const outcomes: string[] = [];
    for (const { phrase, voice, samples } of said) {
      const expected = parseYesNo(phrase) ?? 'unreadable';
      const result = await recognize(recognizer, samples, { context: 'yesno', nBest: 5 });
      const judged = judgeSpoken('yesno', expected, result.hypotheses);
      outcomes.push(`${voice} "${phrase}": ${judged.outcome}${judged.note === undefined ? '' : ` ${judged.note}`} `
        + `(${result.hypotheses[0]?.text ?? 'nothing'})`);
    }
    // Taken as the opposite without a read-back: never. Read back as the opposite ("did you say no?", which the
    // caller answers "no"): at most once (with the noise floor espeak's "correct" came out as "nope" at 0.32).
    const taken = outcomes.filter((line) => line.includes('wrong-confident') && !line.includes('read back'));
    const readBack = outcomes.filter((line) => line.includes('wrong-confident') && line.includes('read back'));
    const right = outcomes.filter((line) => line.includes(': correct'));
    expect(taken, outcomes.join('\n')).to.deep.equal([]);
    expect(readBack.length, outcomes.join('\n')).to.be.at.most(1);
    expect(right.length, outcomes.join('\n')).to.be.at.least(said.length - 2);
  });

  it('a phrase heard whole keeps its confidence: readings that stopped partway take no share', async () => {
    const yesno = loadStaticGrammars().find((grammar) => grammar.context === 'yesno');
    if (yesno === undefined) throw new Error('no yes/no grammar');
    recognizer.addGrammar({ ...yesno, grammarKey: 'partial-readings-share', completeReadingsOnly: false });
    let higher = 0;
    let lower = 0;
    for (const { samples } of said) {
      const whole = await recognize(recognizer, samples, { context: 'yesno', nBest: 5 });
      const shared = await recognize(recognizer, samples,
        { context: 'yesno', grammarKey: 'partial-readings-share', nBest: 5 });
      const top = whole.hypotheses[0];
      const same = shared.hypotheses.find((hypothesis) => hypothesis.text === top?.text);
      if (top === undefined) continue;
      if (top.confidence > (same?.confidence ?? 0) + 1e-9) higher += 1;
      if (top.confidence + 1e-9 < (same?.confidence ?? 0)) lower += 1;
    }
    // Dropping readings before the posterior can only raise the others' shares.
    expect(lower).to.equal(0);
    expect(higher).to.be.greaterThan(said.length / 4);
  });
});
