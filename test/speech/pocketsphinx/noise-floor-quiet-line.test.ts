// A digitally quiet line (TTS through G.711 with digital silence around it, no line noise) is the case the
// noise floor is for (src/speech/audio/noise-floor.ts): real pocketsphinx hears the same menu commands with
// the floor (the default) and without it, judged as the dialog takes an answer.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgeSpoken } from '../../../src/speech/corpus/dialog-judge.js';
import { spokenCommands } from '../../../src/speech/parse/command.js';
import { PocketsphinxRecognizer } from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import { noiseFloorBelowSpeechDbDefault } from '../../../src/speech/pocketsphinx/pocketsphinx-settings.js';
import { thrown } from '../../support/thrown.js';
import { recognize } from '../support/recognize.js';
import { concat, silence, telephoneSpeech, type TestVoice } from '../support/telephone-tts.js';

const voices: TestVoice[] = ['flite-kal', 'flite-awb', 'flite-slt', 'espeak-us', 'espeak-us-slow'];

describe('pocketsphinx: menu commands on a quiet line, with and without the noise floor (telephone TTS)', function () {
  this.timeout(300_000);
  let dir = '';
  let withFloor: PocketsphinxRecognizer;
  let without: PocketsphinxRecognizer;
  const said: Array<{ command: string; voice: TestVoice; samples: Int16Array }> = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dn-noise-floor-'));
    withFloor = await PocketsphinxRecognizer.create({ poolSize: 1 });
    without = await PocketsphinxRecognizer.create({ poolSize: 1, noiseFloorBelowSpeechDb: null });
    for (const voice of voices) {
      for (const command of spokenCommands) {
        const speech = await telephoneSpeech(command, voice, dir);
        said.push({ command, voice, samples: concat(silence(400), speech, silence(900)) });
      }
    }
  });
  after(async () => {
    await withFloor?.close();
    await without?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('takes more commands right and fewer wrong with the floor', async () => {
    expect(noiseFloorBelowSpeechDbDefault).to.be.a('number');
    const floor = await judged(withFloor, said);
    const none = await judged(without, said);
    const report = `with the floor:\n${floor.lines.join('\n')}\nwithout:\n${none.lines.join('\n')}`;
    // Measured here: 57 against 54 of 60 right, 2 against 4 wrong (taken or read back).
    expect(floor.right, report).to.be.at.least(none.right + 3);
    expect(floor.wrong, report).to.be.at.most(none.wrong);
    expect(floor.right, report).to.be.at.least(said.length - 4);
  });

  it('refuses a floor that is not under the speech', async () => {
    for (const noiseFloorBelowSpeechDb of [0, -3, 91, Number.NaN]) {
      const error = await thrown(async () => PocketsphinxRecognizer.create({ poolSize: 1, noiseFloorBelowSpeechDb }));
      expect(error, String(noiseFloorBelowSpeechDb)).to.be.instanceOf(RangeError);
    }
  });
});

async function judged(recognizer: PocketsphinxRecognizer,
  said: ReadonlyArray<{ command: string; voice: TestVoice; samples: Int16Array }>):
  Promise<{ right: number; wrong: number; lines: string[] }> {
  let right = 0;
  let wrong = 0;
  const lines: string[] = [];
  for (const { command, voice, samples } of said) {
    const result = await recognize(recognizer, samples, { context: 'command', nBest: 5 });
    const outcome = judgeSpoken('command', command, result.hypotheses).outcome;
    if (outcome === 'correct') right += 1;
    if (outcome === 'wrong-confident') wrong += 1;
    lines.push(`${voice} "${command}": ${outcome} (${result.hypotheses[0]?.text ?? 'nothing'})`);
  }
  return { right, wrong, lines };
}
