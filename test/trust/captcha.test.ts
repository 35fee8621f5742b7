import { expect } from 'chai';
import { answerCaptcha, captchaHangUpPrompt, startCaptcha } from '../../src/trust/captcha.js';

function scripted(...digits: number[]): () => number {
  return () => {
    const digit = digits.shift();
    if (digit === undefined) throw new Error('script exhausted');
    return digit;
  };
}

describe('trust: keypad captcha', () => {
  it('asks for two digits and passes when they are keyed', () => {
    const random = scripted(4, 7);
    const { state, prompt } = startCaptcha(random);
    expect(prompt).to.equal("To prove you're a person, enter these two numbers: 4 7");
    expect(answerCaptcha(state, '47', random)).to.deep.equal({ kind: 'passed' });
  });

  it('gives a second chance with new digits, then passes', () => {
    const random = scripted(4, 7, 1, 9);
    const first = startCaptcha(random);
    const retry = answerCaptcha(first.state, '74', random);
    expect(retry.kind).to.equal('retry');
    if (retry.kind !== 'retry') return;
    expect(retry.prompt).to.match(/1 9$/);
    expect(answerCaptcha(retry.state, '19', random)).to.deep.equal({ kind: 'passed' });
  });

  it('hangs up politely after the second wrong answer (a timeout counts as wrong)', () => {
    const random = scripted(4, 7, 1, 9);
    const first = startCaptcha(random);
    const retry = answerCaptcha(first.state, '', random);
    if (retry.kind !== 'retry') throw new Error(`expected retry, got ${retry.kind}`);
    const end = answerCaptcha(retry.state, '47', random);
    expect(end).to.deep.equal({ kind: 'hang-up', prompt: captchaHangUpPrompt });
    expect(captchaHangUpPrompt).to.match(/^Sorry.*Goodbye\.$/);
  });

  it('refuses a random source that is not a digit', () => {
    expect(() => startCaptcha(() => 10)).to.throw(RangeError);
  });
});
