import { expect } from 'chai';
import { joinSpelledLetters, plainLetters, plainName, withoutAccents } from '../../src/core/plain-letters.js';

describe('plain letters: roll names as the speech path compares them', () => {
  it('folds accents to their letter and spells out letters with no decomposition', () => {
    expect(plainLetters('José Núñez')).to.equal('jose nunez');
    expect(plainLetters('ZOË BRONTË')).to.equal('zoe bronte');
    expect(plainLetters('Strauß')).to.equal('strauss');
    expect(plainLetters('Søren Kierkegaard')).to.equal('soren kierkegaard');
    expect(plainLetters('Łukasz Æbelø')).to.equal('lukasz aebelo');
    expect(plainLetters('İlhan')).to.equal('ilhan');
  });

  it('reads typographic apostrophes as the plain one', () => {
    expect(plainLetters('O’Brien')).to.equal("o'brien");
    expect(plainLetters('D‘Angelo')).to.equal("d'angelo");
  });

  it('folds accents keeping case for text a synthesizer says', () => {
    expect(withoutAccents('José Núñez of Ames')).to.equal('Jose Nunez of Ames');
    expect(withoutAccents('ØRSTED, Ærø and İlhan')).to.equal('ORSTED, Aero and Ilhan');
    expect(withoutAccents('Say “yes” … O’Brien')).to.equal('Say “yes” ... O\'Brien');
    expect(withoutAccents('Press 1 for Iowa.')).to.equal('Press 1 for Iowa.');
  });

  it('leaves plain ASCII as lower case only', () => {
    expect(plainLetters("Mary-Jo O'Brien Jr.")).to.equal("mary-jo o'brien jr.");
    expect(plainLetters('')).to.equal('');
  });

  it('turns every Latin letter of Latin-1 and Latin Extended-A into a–z', () => {
    for (let code = 0xc0; code <= 0x17f; code += 1) {
      const letter = String.fromCodePoint(code);
      if (!/\p{L}/u.test(letter) || code === 0xd7 || code === 0xf7) continue;
      // ŉ (U+0149) folds to "'n"; every other letter to letters only.
      expect(plainLetters(letter), `U+${code.toString(16)} ${letter}`).to.match(/^'?[a-z]+$/);
    }
  });

  it('reads a period in a name as a word break and initials as one word, as callers spell them', () => {
    expect(plainName('J.R.')).to.equal('jr');
    expect(plainName('J. R.')).to.equal('jr');
    expect(plainName('J R')).to.equal('jr');
    expect(plainName('A.')).to.equal('a');
    expect(plainName('St. John')).to.equal('st john');
    expect(plainName('Ft.Madison')).to.equal('ft madison');
    expect(plainName('Mary A. Jo')).to.equal('mary a jo');
    expect(plainName('Núñez')).to.equal('nunez');
    expect(plainName('mary-jo')).to.equal('mary-jo');
    expect(plainName('...')).to.equal('');
    expect(joinSpelledLetters(['d', 'o', 'e', 'of', 'a', 'ames'])).to.deep.equal(['doe', 'of', 'a', 'ames']);
  });
});
