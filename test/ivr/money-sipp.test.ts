// The money menu end to end: a real sipp caller (RFC 4733 keys from a generated pcap) through the
// real SIP endpoint, caller trust (loopback as a trusted trunk with carrier verstat) and the dialog,
// on a real redis-server. The caller pays $10.25 by keypad (main menu 1, money 2, the payee's phone,
// 1025 pound, confirm 1); the test then checks both balances, `ledger verify` and the audit entry.
// Prompts are short silence (a fake synthesizer that records the text), so the call runs at key speed.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, type AppContext } from '../../src/app/context.js';
import { importRollFile } from '../../src/app/roll-import-service.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/config/logger.js';
import type { DialogEnd } from '../../src/ivr/dialog.js';
import { goodbyeSentence } from '../../src/ivr/dialog.js';
import { mainMenuLongPrompt } from '../../src/ivr/main-menu.js';
import { PhoneLine } from '../../src/ivr/phone-line.js';
import type { TranscriptLine } from '../../src/ivr/session.js';
import { callerMedia } from '../telephony/support/caller-media.js';
import { quietLogger } from '../telephony/support/endpoint.js';
import { writePcap } from '../telephony/support/pcap.js';
import { runSipp } from '../telephony/support/sipp.js';
import { writeIowaZip, type HandVoter } from '../support/iowa-zip.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';

const ann: HandVoter = { id: '4001', first: 'ann', last: 'payer', city: 'ames', county: 'story', phone: '5155550401' };
const john: HandVoter = { id: '4002', first: 'john', middle: 'quincy', last: 'doe', city: 'ames', county: 'story', phone: '5155550402' };
const sal: HandVoter = { id: '4003', first: 'sal', last: 'sovereign', city: 'adel', county: 'dallas', phone: '5155550403' };
const promptSamples = 800; // 100 ms of silence per prompt

describe('ivr: paying by keypad over a real sipp call', function () {
  this.timeout(60_000);
  let redis: TestRedis;
  let dir: string;
  let context: AppContext;
  let line: PhoneLine;
  const transcript: TranscriptLine[] = [];
  let resolveEnded: (end: DialogEnd) => void = () => undefined;
  const ended = new Promise<DialogEnd>((resolve) => { resolveEnded = resolve; });
  const rtpPortMin = 47_000 + (process.pid % 50) * 100;

  before(async () => {
    redis = await startTestRedis();
    dir = mkdtempSync(join(tmpdir(), 'dn-ivr-money-sipp-'));
    const config = loadConfig({
      REDIS_SOCKET: redis.server.socketPath, DATA_DIR: dir, TRUSTED_TRUNKS: '127.0.0.1', TRUST_CARRIER_VERSTAT: 'true',
      SIP_LISTEN: '127.0.0.1:0', RTP_PORT_MIN: String(rtpPortMin), RTP_PORT_MAX: String(rtpPortMin + 99),
      SOVEREIGN_PHONES: sal.phone,
    });
    context = await createContext(config, createLogger('silent'));
    await writeIowaZip(join(dir, 'roll.zip'), [ann, john, sal]);
    await importRollFile(context, join(dir, 'roll.zip'));
    const minter = await context.callers.byVoterId(sal.id, 'cli');
    await context.money.mint(minter, { to: { voter: ann.id }, amountCents: 5_000, idempotencyKey: 'seed-ann-0001' });
    line = new PhoneLine({
      context, logger: quietLogger(),
      endpoint: { timers: { t1Ms: 100, t2Ms: 400, t4Ms: 500 } },
      dialog: {
        synthesizer: { synthesize: async () => new Int16Array(promptSamples) },
        timings: { silenceTimeoutMs: 1_500, interDigitTimeoutMs: 1_200, inactivityHangUpMs: 3_500 },
        captchaDigits: () => 4, transcript: (entry) => transcript.push(entry),
      },
      onDialogEnd: (_channel, end) => resolveEnded(end),
    });
    await line.start();
  });

  after(async () => {
    await line.stop();
    await context.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
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
