// A phone number naming a voter: readings of numbers on the roll are weighed before likelier readings of
// numbers nobody is registered with, and only when the engine was unsure. The roll lookup runs on a real
// redis-server (RollStore.phonesOnRoll).
import { expect } from 'chai';
import type { RegisteredVoter } from '../../src/core/voter.js';
import { interpretSpeech } from '../../src/ivr/spoken-answer.js';
import { numbersOnRoll, onRollConfidenceMin, preferNumbersOnRoll, spokenPhoneNumber } from '../../src/ivr/spoken-phone.js';
import { encodeVoterRecord, RollStore } from '../../src/store/roll-store.js';
import type { Hypothesis } from '../../src/speech/recognizer.js';
import { startTestRollStore, type TestRedis } from '../support/redis.js';

const digitWords = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

function said(phone: string, confidence: number): Hypothesis {
  return { text: [...phone].map((digit) => digitWords[Number(digit)]).join(' '), confidence, phones: [] };
}

const voterPhone = '5155550142';
const oneOff = '5155550192';
const otherOff = '5155550182';

describe('ivr: a spoken phone number naming a voter', () => {
  describe('preferNumbersOnRoll', () => {
    const onRoll = new Set([voterPhone]);

    it('weighs only the readings of numbers on the roll when the engine was unsure, shared out again', () => {
      const heard = [said(oneOff, 0.4), said(otherOff, 0.3), said(voterPhone, 0.2)];
      expect(interpretSpeech(spokenPhoneNumber, heard)).to.deep.include({ kind: 'unsure', answer: oneOff });
      const narrowed = preferNumbersOnRoll(heard, onRoll);
      expect(narrowed.map((reading) => [reading.text, reading.confidence])).to.deep.equal([[heard[2]?.text, 1]]);
      expect(interpretSpeech(spokenPhoneNumber, narrowed)).to.deep.equal({ kind: 'sure', answer: voterPhone });
    });

    it('readings of one number on the roll pool ("oh" and "zero"), and keep their shares between them', () => {
      const zero = said(voterPhone, 0.15);
      const oh = { ...zero, text: zero.text.replace('zero', 'oh'), confidence: 0.15 };
      const other = '3195550100';
      const heard = [said(oneOff, 0.5), zero, oh, said(other, 0.2)];
      const narrowed = preferNumbersOnRoll(heard, new Set([voterPhone, other]));
      expect(narrowed.map((reading) => reading.confidence)).to.deep.equal([0.3, 0.3, 0.4]);
      expect(interpretSpeech(spokenPhoneNumber, narrowed)).to.deep.include({ kind: 'sure', answer: voterPhone });
    });

    it('a sure number stands as heard, on the roll or not', () => {
      const heard = [said(oneOff, 0.7), said(voterPhone, 0.3)];
      expect(preferNumbersOnRoll(heard, onRoll)).to.equal(heard);
    });

    it('readings of which none is on the roll, or too few, stand as heard', () => {
      const none = [said(oneOff, 0.5), said(otherOff, 0.5)];
      expect(preferNumbersOnRoll(none, onRoll)).to.equal(none);
      const barely = [said(oneOff, 0.55), said(otherOff, 0.45 - onRollConfidenceMin / 2),
        said(voterPhone, onRollConfidenceMin / 2)];
      expect(preferNumbersOnRoll(barely, onRoll)).to.equal(barely);
      const words = [{ text: 'mary jones of ames', confidence: 0.9, phones: [] }];
      expect(preferNumbersOnRoll(words, onRoll)).to.equal(words);
    });
  });

  describe('numbersOnRoll (real redis-server)', () => {
    let testRedis: TestRedis;
    let store: RollStore;

    before(async () => {
      ({ testRedis, store } = await startTestRollStore());
      const generation = await store.beginGeneration();
      const voter: RegisteredVoter = {
        id: '7', name: { first: 'mary', middle: '', last: 'jones', suffix: '' }, city: 'ames', county: 'story',
        phone: voterPhone, houseNumber: '1', street: 'main st', zip: '50010', district: '4', precinct: 'ames 1',
      };
      await store.writeVoterBatch(generation, [{ id: voter.id, record: encodeVoterRecord(voter), phone: voterPhone }]);
      await store.activateSimple(generation);
    });
    after(async () => testRedis.stop());

    it('narrows the readings it is given and leaves the others alone', async () => {
      const names = [{ text: 'mary jones of ames', confidence: 0.3, phones: [] }];
      const phones = [said(oneOff, 0.5), said(voterPhone, 0.3)];
      const narrowed = await numbersOnRoll(store, 'alongside')({ hypotheses: names, alongside: phones });
      expect(narrowed.hypotheses).to.equal(names);
      expect(narrowed.alongside.map((reading) => reading.text)).to.deep.equal([phones[1]?.text]);
      const own = await numbersOnRoll(store, 'hypotheses')({ hypotheses: phones, alongside: [] });
      expect(interpretSpeech(spokenPhoneNumber, own.hypotheses)).to.deep.equal({ kind: 'sure', answer: voterPhone });
    });

    it('asks nothing when no reading is a number', async () => {
      const heard = { hypotheses: [{ text: 'help', confidence: 0.9, phones: [] }], alongside: [] };
      expect(await numbersOnRoll(store, 'hypotheses')(heard)).to.equal(heard);
    });
  });
});
