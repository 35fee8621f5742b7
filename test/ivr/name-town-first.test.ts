// A roll too large to hear "first last of town" in one answer, named town first (NAME_TOWN_FIRST): the caller
// says the town, which is read back for a yes, then the name alone, heard among that town's voters only. Real
// dialog, redis-server, pocketsphinx and telephone speech, with NAME_VOICE_VOTERS_MAX below this roll's six voters.
import { expect } from 'chai';
import type { AppContext } from '../../src/app/context.js';
import { loadConfig } from '../../src/config/config.js';
import type { VoiceNames } from '../../src/speech/names/voice-names.js';
import type { HandVoter } from '../support/iowa-zip.js';
import { telephoneSpeech } from '../speech/support/telephone-tts.js';
import { startVoiceNamesRig, type VoiceNamesRig } from './support/voice-names-rig.js';

const caller: HandVoter = { id: '5001', first: 'sue', last: 'caller', city: 'boone', county: 'boone', phone: '5155550501' };
const roll: HandVoter[] = [caller,
  { id: '5002', first: 'mary', last: 'jones', city: 'ames', county: 'story', phone: '5155550502' },
  { id: '5003', first: 'mary', last: 'smith', city: 'ames', county: 'story', phone: '5155550503' },
  { id: '5004', first: 'john', last: 'jones', city: 'ames', county: 'story', phone: '5155550504' },
  { id: '5005', first: 'robert', last: 'miller', city: 'boone', county: 'boone', phone: '5155550505' },
  { id: '5006', first: 'linda', last: 'jones', city: 'boone', county: 'boone', phone: '5155550506' },
];

const second = roll[5] as HandVoter;
const townPrompt = 'system: Say the town of ';

describe('ivr: a large roll named town first (NAME_TOWN_FIRST; real pocketsphinx, real redis)', function () {
  this.timeout(180_000);
  let rig: VoiceNamesRig;
  let context: AppContext;
  let voice: VoiceNames;

  before(async () => {
    rig = await startVoiceNamesRig('dn-ivr-town-first-', roll, { voiceVotersMax: 5, townFirst: true });
    ({ context, voice } = rig);
  });

  after(async () => {
    await rig.stop();
  });

  it('is off by default and refuses what is not true or false', () => {
    expect(loadConfig({}).nameTownFirst).to.equal(false);
    expect(loadConfig({ NAME_TOWN_FIRST: 'TRUE' }).nameTownFirst).to.equal(true);
    expect(() => loadConfig({ NAME_TOWN_FIRST: 'yes' })).to.throw(/NAME_TOWN_FIRST/);
  });

  it('asks the town, reads it back, then hears the name among its voters → confirm → delegated', async () => {
    const directory = await voice.names.current();
    expect(directory?.byVoice).to.equal(false);
    expect(directory?.townFirst).to.equal(true);
    const town = await telephoneSpeech('boone', 'flite-kal', rig.dir);
    const name = await telephoneSpeech('robert miller', 'flite-kal', rig.dir);
    // The real recognizer, watched: the town's name grammars are readied while the town is read back.
    const recognizer = voice.recognizer;
    if (recognizer?.prepare === undefined) throw new Error('the voice names recognizer readies no grammars');
    const readied: { context: string; towns: string[]; done: Promise<void> }[] = [];
    const prepare = recognizer.prepare.bind(recognizer);
    recognizer.prepare = (options) => {
      const done = prepare(options);
      readied.push({ context: options.context, towns: (options.cityHeard ?? []).map((one) => one.text), done });
      return done;
    };
    // The caller's first call: with no delegate yet, it is asked for one at once.
    let lines: string[];
    try {
      lines = await rig.dial(caller.phone, ['44', { say: town }, '1', { say: name }, '1']);
    } finally {
      delete (recognizer as { prepare?: unknown }).prepare;
    }
    expect(readied.map(({ context, towns }) => ({ context, towns }))).to.deep.equal([{ context: 'name', towns: ['boone'] }]);
    await readied[0]?.done;
    const transcript = lines.join('\n');
    const townAt = lines.findIndex((line) => line.startsWith('system: Say the town'));
    const readBack = lines.indexOf('system: I heard you say boone. Is that right? Say yes or no, or press 1 for yes, 2 for no.');
    const nameAt = lines.findIndex((line) => line.startsWith('system: Say the first and last name of')
      && line.includes('in Boone'));
    const confirmAt = lines.indexOf(
      'system: Please confirm that you want to delegate Robert Miller of Boone. Say yes or no, or press 1 for yes, 2 for no.');
    expect(townAt, transcript).to.be.at.least(0);
    expect(readBack, transcript).to.be.greaterThan(townAt);
    expect(nameAt, transcript).to.be.greaterThan(readBack);
    expect(confirmAt, transcript).to.be.greaterThan(nameAt);
    expect((await context.store.defaultsOf(caller.id)).delegates).to.deep.equal(['5005']);
  });

  it('a town read back and denied is asked again; the keypad still takes a phone number', async () => {
    const town = await telephoneSpeech('boone', 'flite-kal', rig.dir);
    const lines = await rig.dial(caller.phone, ['44', '2', '1', { say: town }, '2', '5155550502', '1']);
    const transcript = lines.join('\n');
    const asked = lines.filter((line) => line.startsWith('system: ') && line.includes(townPrompt.slice(8)));
    expect(asked.length, transcript).to.be.at.least(2);
    expect(lines.some((line) => line.startsWith('system: Say the first and last name of')), transcript).to.equal(false);
    expect(lines, transcript).to.include(
      'system: Please confirm that you want to delegate Mary Jones of Ames. Say yes or no, or press 1 for yes, 2 for no.');
    expect((await context.store.defaultsOf(caller.id)).delegates).to.include('5002');
  });

  it('a town read back and denied: the runner-up town is read back next, and the name is heard there', async () => {
    const town = await telephoneSpeech('boone', 'flite-kal', rig.dir);
    const name = await telephoneSpeech('robert miller', 'flite-kal', rig.dir);
    const recognizer = voice.recognizer;
    if (recognizer === null) throw new Error('the rig has no recognizer');
    // FAULT INJECTED (named as such): the town answer's real recognition gets a wrong first reading, Ames,
    // so Boone, the town said, comes second, as a misheard town often does.
    const start = recognizer.start.bind(recognizer);
    recognizer.start = (options) => {
      const stream = start(options);
      if (options.context !== 'city') return stream;
      const result = stream.result.then((recognition) => ({ ...recognition, hypotheses: [
        { text: 'ames', confidence: 0.55, phones: [] },
        ...recognition.hypotheses.map((reading) => ({ ...reading, confidence: reading.confidence * 0.45 }))] }));
      return Object.assign(Object.create(stream) as typeof stream, { result });
    };
    let lines: string[];
    try {
      lines = await rig.dial(second.phone, ['44', { say: town }, '2', '1', { say: name }, '1']);
    } finally {
      delete (recognizer as { start?: unknown }).start;
    }
    const transcript = lines.join('\n');
    const first = lines.indexOf('system: I heard you say ames. Is that right? Say yes or no, or press 1 for yes, 2 for no.');
    const runnerUp = lines.indexOf('system: I heard you say boone. Is that right? Say yes or no, or press 1 for yes, 2 for no.');
    const nameAt = lines.findIndex((line) => line.startsWith('system: Say the first and last name of')
      && line.includes('in Boone'));
    expect(first, transcript).to.be.at.least(0);
    expect(runnerUp, transcript).to.be.greaterThan(first);
    expect(nameAt, transcript).to.be.greaterThan(runnerUp);
    expect(lines.filter((line) => line.startsWith('system: Say the town')), transcript).to.have.length(1);
    expect((await context.store.defaultsOf(second.id)).delegates).to.deep.equal(['5005']);
  });

  it('warms up the largest towns\' grammars for the town-first path', async () => {
    const report = await voice.names.warmUp(2);
    expect(report.townFirst).to.equal(true);
    expect(report.cities.map((city) => city.slug).sort()).to.deep.equal(['ames', 'boone']);
  });
});
