// Captcha through real SIP: a sipp caller keys the wrong two digits twice (RFC 4733 events from a
// pcap); the dialog says it could not confirm a person, ends the call with BYE, and the call state in
// Redis records both failures. Nothing after the captcha runs.
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { captchaHangUpPrompt } from '../../src/trust/captcha.js';
import { callerMedia } from '../telephony/support/caller-media.js';
import { writePcap } from '../telephony/support/pcap.js';
import { runSipp } from '../telephony/support/sipp.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { ann, startSipLine, type SipLine } from './sip-line.js';

describe('trust: captcha wrong twice ends the call politely, through SIP (sipp)', function () {
  this.timeout(60_000);
  let redis: TestRedis;
  let sip: SipLine;
  const rtpPortMin = 43_000 + (process.pid % 50) * 40;

  before(async () => {
    redis = await startTestRedis();
    sip = await startSipLine({ redis, rtpPortMin, captchaDigit: 4 });
  });
  after(async () => {
    await sip.stop();
    await redis.stop();
  });

  it('asks twice, says goodbye, sends BYE, and records the failures', async () => {
    const cwd = mkdtempSync(join(sip.dir, 'sipp-'));
    writePcap(join(cwd, 'ivr-keys.pcap'), callerMedia({ toneMs: 600, digits: '12' + '13' }));
    const ended = sip.nextDialogEnd();
    const sipp = await runSipp({
      scenario: 'ivr-call.xml', target: `127.0.0.1:${sip.line.port}`, cwd, timeoutMs: 30_000,
      extraArgs: ['-key', 'caller', ann.phone, '-key', 'verstat', 'No-TN-Validation'],
    });
    // The scenario ends only when the dialog's BYE came and was answered.
    expect(sipp.code, sipp.stderr + sipp.stdout.slice(-2000)).to.equal(0);
    const callId = await ended;
    expect(await sip.dialogEnded(callId)).to.equal('captcha-failed');
    const said = sip.transcript.filter((entry) => entry.who === 'system').map((entry) => entry.text);
    const heard = sip.transcript.filter((entry) => entry.who === 'caller').map((entry) => entry.text);
    expect(said).to.deep.equal([
      "To prove you're a person, enter these two numbers: 4 4",
      "That wasn't right. Please enter these two numbers: 4 4",
      captchaHangUpPrompt,
    ]);
    expect(heard).to.deep.equal(['12', '13']);
    const state = await sip.context.connection.redis.hgetall(sip.context.keys.key('call', callId));
    expect(state).to.include({ captcha: 'failed-2', menu: 'ended', end: 'captcha-failed' });
    expect(sip.line.endpoint.stats.rtpPortsInUse).to.equal(0);
  });
});
