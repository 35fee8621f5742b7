// The money menu end to end: a real sipp caller (RFC 4733 keys from a generated pcap) through the
// real SIP endpoint, caller trust (loopback as a trusted trunk with carrier verstat) and the dialog,
// on a real redis-server. The caller pays $10.25 by keypad (main menu 1, money 2, the payee's phone,
// 1025 pound, confirm 1); the test then checks both balances, `ledger verify` and the audit entry.
// Prompts are short silence (a fake synthesizer that records the text), so the call runs at key speed.
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { AppContext } from '../../src/app/context.js';
import type { DialogEnd } from '../../src/ivr/dialog.js';
import { goodbyeSentence } from '../../src/ivr/dialog.js';
import { mainMenuLongPrompt } from '../../src/ivr/main-menu.js';
import { PhoneLine } from '../../src/ivr/phone-line.js';
import type { TranscriptLine } from '../../src/ivr/session.js';
import { callerMedia } from '../telephony/support/caller-media.js';
import { writePcap } from '../telephony/support/pcap.js';
import { runSipp } from '../telephony/support/sipp.js';
import type { HandVoter } from '../support/iowa-zip.js';
import { startSippRig, type SippRig } from './support/sipp-rig.js';

const ann: HandVoter = { id: '4001', first: 'ann', last: 'payer', city: 'ames', county: 'story', phone: '5155550401' };
const john: HandVoter = { id: '4002', first: 'john', middle: 'quincy', last: 'doe', city: 'ames', county: 'story', phone: '5155550402' };
const sal: HandVoter = { id: '4003', first: 'sal', last: 'sovereign', city: 'adel', county: 'dallas', phone: '5155550403' };
const promptSamples = 800; // 100 ms of silence per prompt

describe('ivr: paying by keypad over a real sipp call', function () {
  this.timeout(60_000);
  let dir: string;
  let context: AppContext;
  let line: PhoneLine;
  let rig: SippRig;
  const transcript: TranscriptLine[] = [];
  let resolveEnded: (end: DialogEnd) => void = () => undefined;
  const ended = new Promise<DialogEnd>((resolve) => { resolveEnded = resolve; });
  const rtpPortMin = 47_000 + (process.pid % 50) * 100;

  before(async () => {
    rig = await startSippRig({
      name: 'dn-ivr-money-sipp-', rtpPortMin, voters: [ann, john, sal], env: { SOVEREIGN_PHONES: sal.phone },
      prepare: async (seeded) => {
        const minter = await seeded.callers.byVoterId(sal.id, 'cli');
        await seeded.money.mint(minter, { to: { voter: ann.id }, amountCents: 5_000, idempotencyKey: 'seed-ann-0001' });
        return undefined;
      },
      dialog: {
        synthesizer: { synthesize: async () => new Int16Array(promptSamples) },
        timings: { silenceTimeoutMs: 1_500, interDigitTimeoutMs: 1_200, inactivityHangUpMs: 3_500 },
        captchaDigits: () => 4, transcript: (entry) => transcript.push(entry),
      },
      onDialogEnd: (_channel, end) => resolveEnded(end),
    });
    ({ dir, context, line } = rig);
  });

  after(async () => {
    await rig.stop();
  });

  it('main menu → money → pay John $10.25 by keyed phone and cents → confirm: balances, ledger and log agree', async () => {
    const logBefore = await context.auditLog.length();
    const cwd = mkdtempSync(join(dir, 'sipp-'));
    writePcap(join(cwd, 'ivr-keys.pcap'), callerMedia({ toneMs: 600, digits: `44` + '1' + '2' + john.phone + '1025#' + '1' + '9' }));
    const sipp = await runSipp({
      scenario: 'ivr-call.xml', target: `127.0.0.1:${line.port}`, cwd, timeoutMs: 50_000,
      extraArgs: ['-key', 'caller', ann.phone, '-key', 'verstat', 'TN-Validation-Passed'],
    });
    expect(sipp.code, sipp.stderr + sipp.stdout.slice(-2000)).to.equal(0);
    expect(await ended).to.equal('goodbye');
    const said = transcript.filter((entry) => entry.who === 'system').map((entry) => entry.text);
    expect(said).to.include(mainMenuLongPrompt);
    expect(said).to.include('Send ten dollars and twenty-five cents to John Q Doe of Ames? Press 1 for yes, 2 for no.');
    expect(said).to.include('Done. Sent ten dollars and twenty-five cents to John Q Doe of Ames.');
    expect(said.at(-1)).to.equal(goodbyeSentence);

    expect(await context.money.balanceOf(ann.id)).to.equal(5_000 - 1_025);
    expect(await context.money.balanceOf(john.id)).to.equal(1_025);
    const verification = await context.ledger.verify();
    expect(verification.ok, JSON.stringify(verification)).to.equal(true);
    expect(verification.supplyCents).to.equal(5_000);
    await context.auditLog.sealAll();
    const entries = (await context.auditLog.newest(10)).filter((entry) => entry.seq > logBefore);
    expect(entries).to.have.length(1);
    const [entry] = entries;
    expect(entry).to.deep.include({ actor: 'Ann Payer of Ames', actorId: ann.id, channel: 'phone', amount: 1_025,
      text: 'pays $10.25 to John Q Doe of Ames' });
    expect(entry?.event).to.deep.include({ type: 'transfer', kind: 'pay', legs: [[ann.id, -1_025], [john.id, 1_025]] });
  });
});
