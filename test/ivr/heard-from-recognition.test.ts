// "menu" and "help" at every prompt: taken as commands only when heard as surely as a menu command must
// be (pooled over the readings saying them), otherwise handed to the question like any other speech.
import { expect } from 'chai';
import { heardFromRecognition } from '../../src/ivr/speech-listener.js';
import type { Recognition } from '../../src/speech/recognizer.js';

function recognition(...readings: [string, number][]): Recognition {
  return {
    hypotheses: readings.map(([text, confidence]) => ({ text, confidence, phones: [] })),
    end: 'end-of-speech', speechMs: 600, latencyMs: 40,
  };
}

describe('ivr: menu and help at every prompt', () => {
  it('a sure "help" or "menu" is the command', () => {
    expect(heardFromRecognition(recognition(['help', 0.9], ['no', 0.1]))).to.deep.equal({ kind: 'command', command: 'help' });
    // "menu" and "main menu" say the same command: their confidences pool.
    expect(heardFromRecognition(recognition(['menu', 0.4], ['main menu', 0.3], ['no', 0.3])))
      .to.deep.equal({ kind: 'command', command: 'menu' });
  });

  it('as sure as a menu command must be (0.7), wherever it is said', () => {
    expect(heardFromRecognition(recognition(['help', 0.7], ['no', 0.3]))).to.deep.equal({ kind: 'command', command: 'help' });
    expect(heardFromRecognition(recognition(['help', 0.65], ['no', 0.35])).kind).to.equal('speech');
  });

  it('an unsure "help" goes to the question with every reading', () => {
    const heard = heardFromRecognition(recognition(['help', 0.45], ['no', 0.4], ['yes', 0.15]));
    expect(heard.kind).to.equal('speech');
    if (heard.kind === 'speech') expect(heard.hypotheses.map((hypothesis) => hypothesis.text)).to.deep.equal(['help', 'no', 'yes']);
  });

  it('other speech, and nothing heard, are speech', () => {
    expect(heardFromRecognition(recognition(['vote', 0.95])).kind).to.equal('speech');
    expect(heardFromRecognition(recognition())).to.deep.equal({ kind: 'speech', hypotheses: [] });
  });
});
