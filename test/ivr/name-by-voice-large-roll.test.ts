// A roll with more voters than NAME_VOICE_VOTERS_MAX is not named by voice (the large-roll name path offers
// more wrong voters than right ones: README, names at scale): the speaking caller is asked for the phone
// number, said or keyed, or pound for dial-by-name. Real dialog, redis-server, pocketsphinx and telephone
// speech, as in name-by-voice.test.ts, with the limit below this roll's six voters.
import { expect } from 'chai';
import type { AppContext } from '../../src/app/context.js';
import { loadConfig } from '../../src/config/config.js';
import type { VoiceNames } from '../../src/speech/names/voice-names.js';
import type { HandVoter } from '../support/iowa-zip.js';
import { telephoneSpeech } from '../speech/support/telephone-tts.js';
import { startVoiceNamesRig, type VoiceNamesRig } from './support/voice-names-rig.js';
import type { Turn } from './support/voice-scripted-channel.js';

const caller: HandVoter = { id: '4001', first: 'sue', last: 'caller', city: 'boone', county: 'boone', phone: '5155550401' };
const roll: HandVoter[] = [caller,
  { id: '4002', first: 'mary', last: 'jones', city: 'ames', county: 'story', phone: '5155550402' },
  { id: '4003', first: 'mary', last: 'smith', city: 'ames', county: 'story', phone: '5155550403' },
  { id: '4004', first: 'john', last: 'jones', city: 'ames', county: 'story', phone: '5155550404' },
  { id: '4005', first: 'robert', last: 'miller', city: 'boone', county: 'boone', phone: '5155550405' },
  { id: '4006', first: 'linda', last: 'jones', city: 'boone', county: 'boone', phone: '5155550406' },
];

describe('ivr: a roll too large for names by voice (NAME_VOICE_VOTERS_MAX; real pocketsphinx, real redis)', function () {
  this.timeout(120_000);
  let rig: VoiceNamesRig;
  let context: AppContext;
  let voice: VoiceNames;

  const dial = (script: Turn[]): Promise<string[]> => rig.dial(caller.phone, script);

  before(async () => {
    rig = await startVoiceNamesRig('dn-ivr-large-roll-', roll, { voiceVotersMax: 5 });
    ({ context, voice } = rig);
  });

  after(async () => {
    await rig.stop();
  });

  it('is 100 000 voters by default and refuses what is not a whole number from 0', () => {
    expect(loadConfig({}).nameVoiceVotersMax).to.equal(100_000);
    expect(loadConfig({ NAME_VOICE_VOTERS_MAX: '0' }).nameVoiceVotersMax).to.equal(0);
    expect(() => loadConfig({ NAME_VOICE_VOTERS_MAX: '-1' })).to.throw(/NAME_VOICE_VOTERS_MAX/);
    expect(() => loadConfig({ NAME_VOICE_VOTERS_MAX: 'many' })).to.throw(/NAME_VOICE_VOTERS_MAX/);
  });

  it('asks for the phone number instead of the name; a spoken number names the voter → confirm → delegated', async () => {
    const directory = await voice.names.current();
    expect(directory?.byVoice).to.equal(false);
    expect(directory?.names, 'no grammars are built for a roll not named by voice').to.equal(null);
    const speech = await telephoneSpeech('five one five, five five five, zero four zero five', 'flite-kal', rig.dir);
    // '1' answers the read-back when the number was unsure, then the confirmation.
    const lines = await dial(['44', { say: speech }, '1', '1']);
    const transcript = lines.join('\n');
    expect(lines.some((line) => line.startsWith('system: Say the first and last name')), transcript).to.equal(false);
    expect(lines.some((line) => line.startsWith('system: Say or enter the 10-digit phone number of')), transcript)
      .to.equal(true);
    expect(lines, transcript).to.include(
      'system: Please confirm that you want to delegate Robert Miller of Boone. Say yes or no, or press 1 for yes, 2 for no.');
    expect((await context.store.defaultsOf(caller.id)).delegates).to.deep.equal(['4005']);
  });

  it('pound still spells the surname on the keypad (dial-by-name)', async () => {
    const lines = await dial(['44', '2', '1', '#', '56637', '2', '1']);
    const list = lines.find((line) => line.startsWith('system: I found several voters.')) ?? '';
    expect(list, lines.join('\n')).to.include('Linda Jones of Boone');
    expect((await context.store.defaultsOf(caller.id)).delegates).to.include('4006');
  });

  it('builds no city grammars for a roll it will not name by voice', async () => {
    const report = await voice.names.warmUp(4);
    expect(report.byVoice).to.equal(false);
    expect(report.voters).to.equal(roll.length);
    expect(report.cities).to.deep.equal([]);
  });
});
