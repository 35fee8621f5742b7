// Pure parts of the dialog: reading keyed answers, keypad commands, and the sentences callers hear.
import { expect } from 'chai';
import {
  billListing, distinctLabels, keyedPhone, listIndex, menuChoice, slowDigits, spokenBill, spokenDigits, voteChoiceKeys,
  voteReadBack, whichOne, yesNo,
} from '../../src/ivr/choices.js';
import { heardFromKeys } from '../../src/ivr/listener.js';
import { incomingFacts } from '../../src/ivr/phone-line.js';
import { delegateConfirmation } from '../../src/ivr/name-delegate.js';
import { auditorReadings, countyByKeys } from '../../src/ivr/register.js';
import type { Bill } from '../../src/core/bill.js';
import type { County } from '../../src/roll/jurisdiction.js';

const bill: Bill = { id: 'hr1234', number: 'H.R. 1234', title: 'Test Act', week: '2026-11-23' };
const counties: County[] = [
  { id: 1, name: 'adair', auditorPhone: '6417432546' }, { id: 7, name: 'black hawk', auditorPhone: '3198330000' },
];

describe('ivr/choices: keyed answers', () => {
  it('menuChoice takes exactly one listed key', () => {
    const menu = { 1: 'delegate', 2: 'vote' } as const;
    expect(menuChoice('1', menu)).to.equal('delegate');
    expect(menuChoice('2', menu)).to.equal('vote');
    expect(menuChoice('3', menu)).to.equal(null);
    expect(menuChoice('12', menu)).to.equal(null);
    expect(menuChoice('', menu)).to.equal(null);
    expect(menuChoice('toString', menu)).to.equal(null);
  });

  it('yesNo, listIndex and the vote keys', () => {
    expect([yesNo('1'), yesNo('2'), yesNo('3')]).to.deep.equal([true, false, null]);
    expect(listIndex('1', 2)).to.equal(0);
    expect(listIndex('2', 2)).to.equal(1);
    expect([listIndex('0', 2), listIndex('3', 2), listIndex('#', 2), listIndex('123', 200)]).to.deep.equal([null, null, null, null]);
    expect(listIndex('12', 12)).to.equal(11);
    expect(voteChoiceKeys).to.deep.equal({ 1: 'yes', 2: 'no', 3: 'abstain', 4: 'absent' });
  });

  it('keyedPhone accepts ten digits of a North American number only', () => {
    expect(keyedPhone('5155550102')).to.equal('5155550102');
    expect(keyedPhone('515555010')).to.equal(null);
    expect(keyedPhone('1155550102')).to.equal(null);
    expect(keyedPhone('5151550102')).to.equal(null);
    expect(keyedPhone('51555501*2')).to.equal(null);
  });

  it('keypad commands: * anywhere is menu, a lone 0 is help, nothing is silence', () => {
    expect(heardFromKeys('*', 'max')).to.deep.equal({ kind: 'command', command: 'menu' });
    expect(heardFromKeys('51*', 'max')).to.deep.equal({ kind: 'command', command: 'menu' });
    expect(heardFromKeys('0', 'timeout')).to.deep.equal({ kind: 'command', command: 'help' });
    expect(heardFromKeys('07', 'max')).to.deep.equal({ kind: 'keys', keys: '07' });
    expect(heardFromKeys('', 'timeout')).to.deep.equal({ kind: 'silence' });
    expect(heardFromKeys('', 'terminator')).to.deep.equal({ kind: 'keys', keys: '' });
    expect(heardFromKeys('4', 'hangup')).to.deep.equal({ kind: 'hangup' });
  });

  it('countyByKeys: 1-99 by the jurisdiction\'s county number', () => {
    expect(countyByKeys(counties, '1')?.name).to.equal('adair');
    expect(countyByKeys(counties, '07')?.name).to.equal('black hawk');
    expect(countyByKeys(counties, '2')).to.equal(null);
    expect(countyByKeys(counties, '0')).to.equal(null);
    expect(countyByKeys(counties, '100')).to.equal(null);
  });
});

describe('ivr/choices: sentences', () => {
  it('reads digits grouped like a phone number, and slowly one by one', () => {
    expect(spokenDigits('5152863080')).to.equal('5 1 5, 2 8 6, 3 0 8 0');
    expect(spokenDigits('47')).to.equal('4 7');
    expect(slowDigits('515')).to.equal('5. 1. 5.');
  });

  it('names bills the way a voice reads them, with their list numbers', () => {
    expect(spokenBill(bill)).to.equal('H R 1234, Test Act');
    expect(billListing([bill, { ...bill, id: 'hr99', number: 'H.R. 99', title: 'Other' }]))
      .to.equal('1: H R 1234, Test Act. 2: H R 99, Other.');
  });

  it('reads back the vote now in force', () => {
    expect(voteReadBack(bill, 'yes')).to.equal('Your vote on H R 1234, Test Act is now yes.');
    expect(voteReadBack(bill, 'abstain')).to.equal('You abstain on H R 1234, Test Act.');
    expect(voteReadBack(bill, null)).to.match(/no vote of your own .* your delegates vote for you/);
  });

  it('confirms a delegate by public name and tells voters sharing a phone apart by first name', () => {
    expect(delegateConfirmation('John Q Doe of Centerville'))
      .to.equal('Please confirm that you want to delegate John Q Doe of Centerville.');
    expect(whichOne(['Ann', 'Bob'])).to.equal('Press 1 for Ann, 2 for Bob.');
  });

  it('tells namesakes in a spoken list apart by the last digits of their registration numbers', () => {
    const voters = [{ id: '81234' }, { id: '90012' }, { id: '71234' }, { id: '555' }];
    const labels = ['John Smith of Ames', 'Mary Smith of Ames', 'John Smith of Ames', 'Ann Lee of Ames'];
    // 1234 ends both Johns' numbers: a fifth digit tells them apart. Mary and Ann are said as they are.
    expect(distinctLabels(voters, labels)).to.deep.equal([
      'John Smith of Ames, registration ending 8 1 2 3 4', 'Mary Smith of Ames',
      'John Smith of Ames, registration ending 7 1 2 3 4', 'Ann Lee of Ames']);
    // Short numbers are said whole; different tails need only four.
    expect(distinctLabels([{ id: '12' }, { id: '3100042' }, { id: '3100043' }], ['Jo', 'Jo', 'Jo'])).to.deep.equal([
      'Jo, registration ending 1 2', 'Jo, registration ending 0 0 4 2', 'Jo, registration ending 0 0 4 3']);
    expect(whichOne(distinctLabels([{ id: '1' }, { id: '2' }], ['Sue', 'Sam']))).to.equal('Press 1 for Sue, 2 for Sam.');
  });

  it('reads the county auditor\'s number three times, the last slowly', () => {
    const [first, second, third] = auditorReadings(counties[1] as County);
    expect(first).to.equal('To register this phone, call the Black Hawk County auditor at 3 1 9, 8 3 3, 0 0 0 0.');
    expect(second).to.equal('Again, the Black Hawk County auditor: 3 1 9, 8 3 3, 0 0 0 0.');
    expect(third).to.equal('Once more, slowly: 3. 1. 9. 8. 3. 3. 0. 0. 0. 0.');
  });
});

describe('ivr/phone-line: call facts for caller trust', () => {
  it('passes the From value, PAI number, verstat and the source IP without its port', () => {
    const facts = incomingFacts('c1', {
      from: 'sip:+15155550101@127.0.0.1', to: 'sip:5550001@127.0.0.1', fromNumber: '5155550101', identityHeaders: ['x'],
      sourceAddress: '127.0.0.1:5062', paiNumber: '5155550101', verstat: 'TN-Validation-Passed',
    });
    expect(facts).to.deep.equal({
      callId: 'c1', fromNumber: 'sip:+15155550101@127.0.0.1', calledNumber: 'sip:5550001@127.0.0.1', identityHeaders: ['x'],
      sourceAddress: '127.0.0.1', paiNumber: '5155550101', verstat: 'TN-Validation-Passed',
    });
    expect(incomingFacts('c2', { from: '', to: '', identityHeaders: [], sourceAddress: '[::1]:5060' }).sourceAddress).to.equal('::1');
  });
});
