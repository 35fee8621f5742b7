import { expect } from 'chai';
import {
  applyCallBack, callBackCodeDigits, newCallBackCode, runCallBack, spokenCode, type CallBackOutcome,
} from '../../src/trust/call-back.js';
import type { TrustDecision } from '../../src/trust/trust-policy.js';
import { ScriptedOutboundCaller } from './scripted-outbound-caller.js';

const unverified: TrustDecision = {
  level: 'unverified', attestation: 'B', stir: { status: 'passed', attest: 'B' }, via: 'none', callingNumber: '5155550100',
};

describe('trust: call-back (with a scripted outbound caller: the SIP endpoint does not exist yet)', () => {
  it('makes random codes of the configured length and reads them digit by digit', () => {
    const codes = new Set(Array.from({ length: 50 }, () => newCallBackCode()));
    for (const code of codes) expect(code).to.match(new RegExp(`^\\d{${callBackCodeDigits}}$`));
    expect(codes.size).to.be.greaterThan(40);
    expect(spokenCode('4071')).to.equal('4 0 7 1');
  });

  it('confirms when the person on the claimed number keys the code, and counts it as A', async () => {
    const caller = new ScriptedOutboundCaller([{ outcome: 'answered', digits: '4071' }]);
    const outcome = await runCallBack({ caller, to: '5155550100', code: '4071' });
    expect(outcome).to.equal('confirmed');
    expect(caller.placed).to.have.length(1);
    expect(caller.placed[0]).to.include({ to: '5155550100', digitsExpected: 4 });
    expect(caller.placed[0]?.prompt).to.not.contain('4071');
    expect(applyCallBack(unverified, outcome)).to.deep.include({ level: 'verified', attestation: 'A', via: 'call-back' });
  });

  it('keeps the lower trust on a wrong code, no answer, busy or failure', async () => {
    const caller = new ScriptedOutboundCaller([
      { outcome: 'answered', digits: '4070' }, { outcome: 'no-answer' }, { outcome: 'busy' }, { outcome: 'failed' },
    ]);
    const outcomes: CallBackOutcome[] = [];
    for (let i = 0; i < 4; i++) outcomes.push(await runCallBack({ caller, to: '5155550100', code: '4071' }));
    expect(outcomes).to.deep.equal(['wrong-code', 'no-answer', 'busy', 'failed']);
    for (const outcome of outcomes) expect(applyCallBack(unverified, outcome)).to.equal(unverified);
  });

  it('does not call when there is no claimed number', async () => {
    const caller = new ScriptedOutboundCaller([]);
    expect(await runCallBack({ caller, to: null, code: '4071' })).to.equal('no-number');
    expect(await runCallBack({ caller, to: '0155550100', code: '4071' })).to.equal('no-number');
    expect(caller.placed).to.have.length(0);
  });
});
