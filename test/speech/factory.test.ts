import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { createRecognizer } from '../../src/speech/factory.js';

/** A pino logger that keeps its lines, to check what start-up says. */
function capturingLogger(): { logger: pino.Logger; lines: Array<{ level: number; msg: string }> } {
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => { lines.push(JSON.parse(line) as { level: number; msg: string }); } });
  return { logger, lines };
}

describe('recognizer factory (SPEECH_ENGINE, VOSK_MODEL, SPEECH_DECODERS_MAX)', function () {
  this.timeout(60_000);
  let dir = '';
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'speech-factory-')); });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('validates the speech variables', () => {
    expect(loadConfig({})).to.include({ speechEngine: 'pocketsphinx', voskModel: null, speechDecodersMax: 8 });
    expect(() => loadConfig({ SPEECH_ENGINE: 'whisper' })).to.throw(ConfigError, /SPEECH_ENGINE: expected one of: pocketsphinx, vosk, none/);
    expect(() => loadConfig({ SPEECH_DECODERS_MAX: '0' })).to.throw(ConfigError, /SPEECH_DECODERS_MAX: expected at least 1/);
  });

  it('none: no recognizer, and says prompts work by keypad', async () => {
    const { logger, lines } = capturingLogger();
    const config = loadConfig({ SPEECH_ENGINE: 'none' });
    expect(await createRecognizer(config, logger)).to.equal(null);
    expect(lines.map((line) => line.msg)).to.deep.equal(['speech recognition is off (SPEECH_ENGINE=none): prompts work by keypad']);
  });

  it('vosk with a missing model: warns clearly at start-up and falls back to pocketsphinx', async () => {
    const { logger, lines } = capturingLogger();
    const model = join(dir, 'no-model-here');
    const recognizer = await createRecognizer(loadConfig({ SPEECH_ENGINE: 'vosk', VOSK_MODEL: model,
      SPEECH_DECODERS_MAX: '1' }), logger);
    expect(recognizer?.engine).to.equal('pocketsphinx');
    await recognizer?.close();
    const warning = lines.find((line) => line.level === 40);
    expect(warning?.msg).to.equal(`Vosk is not available: VOSK_MODEL ${model} does not exist: download a model as `
      + 'models/README.md says (scripts/fetch-model does it), or unset VOSK_MODEL to use pocketsphinx. '
      + 'Falling back to pocketsphinx.');
  });
});
