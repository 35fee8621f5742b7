import { expect } from 'chai';
import { isTentativeId, rollVoterId, tentativeId, tentativeIdBase } from '../../src/core/voter.js';

describe('voter ids', () => {
  it('keeps a roll registration number as decimal without padding', () => {
    expect(rollVoterId('927582995')).to.equal('927582995');
    expect(rollVoterId(' 000123456 ')).to.equal('123456');
    expect(rollVoterId('1')).to.equal('1');
  });

  it('refuses what is no roll registration number', () => {
    for (const written of ['', '0', '000', '-5', '12.5', '1e6', 'ABC123', '12 34', String(tentativeIdBase),
      String(tentativeIdBase + 7), '9'.repeat(40)]) {
      expect(rollVoterId(written), written).to.equal(null);
    }
  });

  it('never takes a tentative id for a roll one', () => {
    const id = tentativeId(3);
    expect(isTentativeId(id)).to.equal(true);
    expect(rollVoterId(id)).to.equal(null);
    expect(isTentativeId(rollVoterId(String(tentativeIdBase - 1)) ?? '')).to.equal(false);
  });
});
