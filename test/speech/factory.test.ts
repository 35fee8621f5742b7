import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { createRecognizer, decodeThreads, decodeThreadsRecommended } from '../../src/speech/factory.js';
import { PocketsphinxRecognizer } from '../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';

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
    expect(loadConfig({})).to.include({ speechEngine: 'pocketsphinx', voskModel: null, speechDecodersMax: 32 });
    expect(() => loadConfig({ SPEECH_ENGINE: 'whisper' })).to.throw(ConfigError, /SPEECH_ENGINE: expected one of: pocketsphinx, vosk, none/);
    expect(() => loadConfig({ SPEECH_DECODERS_MAX: '0' })).to.throw(ConfigError, /SPEECH_DECODERS_MAX: expected at least 1/);
  });

  it('none: no recognizer, and says prompts work by keypad', async () => {
    const { logger, lines } = capturingLogger();
    const config = loadConfig({ SPEECH_ENGINE: 'none' });
    expect(await createRecognizer(config, logger)).to.equal(null);
    expect(lines.map((line) => line.msg)).to.deep.equal(['speech recognition is off (SPEECH_ENGINE=none): prompts work by keypad']);
  });

  it('reads the decode threads as libuv does (UV_THREADPOOL_SIZE at start, else 4)', () => {
    expect(decodeThreads({})).to.equal(4);
    expect(decodeThreads({ UV_THREADPOOL_SIZE: '16' })).to.equal(16);
    expect(decodeThreads({ UV_THREADPOOL_SIZE: 'lots' })).to.equal(4);
    expect(decodeThreads({ UV_THREADPOOL_SIZE: '0' })).to.equal(4);
    expect(decodeThreads({ UV_THREADPOOL_SIZE: '5000' })).to.equal(1024);
  });

  it('pocketsphinx: says how many threads decode, and warns when they are fewer than recommended', async () => {
    const { logger, lines } = capturingLogger();
    const recognizer = await createRecognizer(loadConfig({ SPEECH_DECODERS_MAX: '1' }), logger);
    await recognizer?.close();
    const started = lines.find((line) => line.msg === 'speech recognition: pocketsphinx') as
      { decodeThreads?: number } | undefined;
    expect(started?.decodeThreads).to.equal(decodeThreads());
    const warned = lines.some((line) => line.level === 40 && line.msg.includes(`UV_THREADPOOL_SIZE=${decodeThreadsRecommended}`));
    expect(warned).to.equal(decodeThreads() < decodeThreadsRecommended);
  });

  it('pocketsphinx: limits the decodes that may lag as POCKETSPHINX_BACKGROUND_DECODES says, and logs it', async () => {
    for (const [setting, expected] of [['3', 3], ['off', null]] as const) {
      const { logger, lines } = capturingLogger();
      const recognizer = await createRecognizer(loadConfig({ SPEECH_DECODERS_MAX: '1',
        POCKETSPHINX_BACKGROUND_DECODES: setting }), logger);
      expect(recognizer).to.be.instanceOf(PocketsphinxRecognizer);
      expect((recognizer as PocketsphinxRecognizer).backgroundDecodesMax).to.equal(expected);
      await recognizer?.close();
      const started = lines.find((line) => line.msg === 'speech recognition: pocketsphinx') as
        { backgroundDecodes?: number | string } | undefined;
      expect(started?.backgroundDecodes).to.equal(expected ?? 'off');
    }
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
