// Naming a delegate by voice, end to end in process: the real dialog, a real redis-server with a roll
// imported from a ZIP, real pocketsphinx behind the two-pass name recognizer the app wires up
// (withVoiceNames), and synthesized telephone speech fed as 20 ms frames. Checks the delegation in
// Redis and its audit-log entry; a second call names the delegate by keypad letters (dial-by-name).
import { expect } from 'chai';
import type { AppContext } from '../../src/app/context.js';
import type { HandVoter } from '../support/iowa-zip.js';
import { startVoiceNamesRig, type VoiceNamesRig } from './support/voice-names-rig.js';
import { telephoneSpeech } from '../speech/support/telephone-tts.js';
import type { Turn } from './support/voice-scripted-channel.js';

const caller: HandVoter = { id: '3001', first: 'sue', last: 'caller', city: 'boone', county: 'boone', phone: '5155550301' };
const maryJones: HandVoter = { id: '3002', first: 'mary', last: 'jones', city: 'ames', county: 'story', phone: '5155550302' };
const others: HandVoter[] = [
  { id: '3003', first: 'mary', last: 'smith', city: 'ames', county: 'story', phone: '5155550303' },
  { id: '3004', first: 'john', last: 'jones', city: 'ames', county: 'story', phone: '5155550304' },
  { id: '3005', first: 'robert', last: 'miller', city: 'boone', county: 'boone', phone: '5155550305' },
  { id: '3006', first: 'linda', last: 'jones', city: 'boone', county: 'boone', phone: '5155550306' },
];

describe('ivr: naming a delegate by voice (real pocketsphinx, two-pass name path, real redis)', function () {
  this.timeout(120_000);
  let rig: VoiceNamesRig;
  let dir: string;
  let context: AppContext;

  const dial = (script: Turn[]): Promise<string[]> => rig.dial(caller.phone, script);

  before(async () => {
    rig = await startVoiceNamesRig('dn-ivr-name-voice-', [caller, maryJones, ...others]);
    ({ dir, context } = rig);
  });

  after(async () => {
    await rig.stop();
  });

  it('"mary jones of ames" said on the call → confirm → delegated, in Redis and the audit log', async () => {
    const speech = await telephoneSpeech('mary jones of ames', 'flite-kal', dir);
    const lines = await dial(['44', { say: speech }, '1']);
    expect(lines.some((line) => line.startsWith('system: Say the first and last name and the town of')), lines.join('\n')).to.equal(true);
    expect(lines, lines.join('\n')).to.include(
      'system: Please confirm that you want to delegate Mary Jones of Ames. Say yes or no, or press 1 for yes, 2 for no.');
    expect((await context.store.defaultsOf(caller.id)).delegates).to.deep.equal([maryJones.id]);
    await context.auditLog.sealAll();
    const texts = (await context.auditLog.newest(5)).map((entry) => `${entry.actor} ${entry.text}`);
    expect(texts).to.include('Sue Caller of Boone delegates -> Mary Jones of Ames');
  });

  it('a spoken phone number names the voter: read back if unsure, then confirm → delegated (the name path heard it too)', async () => {
    const speech = await telephoneSpeech('five one five, five five five, zero three zero five', 'flite-kal', dir);
    // '1' answers the read-back when the number was unsure, then the confirmation; a sure number
    // skips the read-back and the spare '1' picks "delegate" in the politics menu, whose name
    // question then ends the script.
    const lines = await dial(['44', '2', '1', { say: speech }, '1', '1']);
    const transcript = lines.join('\n');
    const readBack = lines.indexOf('system: I heard you say 5 1 5, 5 5 5, 0 3 0 5. Is that right? Say yes or no, or press 1 for yes, 2 for no.');
    const confirmAt = lines.indexOf(
      'system: Please confirm that you want to delegate Robert Miller of Boone. Say yes or no, or press 1 for yes, 2 for no.');
    expect(confirmAt, transcript).to.be.greaterThan(0);
    expect(readBack === -1 || readBack < confirmAt, transcript).to.equal(true);
    expect((await context.store.defaultsOf(caller.id)).delegates[0]).to.equal('3005');
    await context.auditLog.sealAll();
    const texts = (await context.auditLog.newest(5)).map((entry) => `${entry.actor} ${entry.text}`);
    expect(texts).to.include('Sue Caller of Boone delegates -> Robert Miller of Boone');
  });

  it('dial-by-name: pound, then J-O-N-E-S on the keypad, then pick Linda of Boone from the list', async () => {
    // A returning caller: main menu 2 (politics), 1 (delegate), then pound for dial-by-name.
    const lines = await dial(['44', '2', '1', '#', '56637', '2', '1']);
    const list = lines.find((line) => line.startsWith('system: I found several voters.')) ?? '';
    expect(list, lines.join('\n')).to.match(/Press 1 for .*Jones/);
    expect(list).to.include('Linda Jones of Boone');
    expect((await context.store.defaultsOf(caller.id)).delegates).to.include('3006');
  });
});
