import { expect } from 'chai';
import { loadIowa } from '../../src/roll/iowa/index.js';
import { createCityNormalizer, normalizePhone } from '../../src/roll/normalize.js';
import { decodeLatin1Row } from '../../src/roll/text-encoding.js';

describe('roll normalizers', () => {
  describe('normalizePhone', () => {
    it('reduces punctuated and 1-prefixed numbers to 10 digits', () => {
      for (const raw of ['(515) 555-0123', '515.555.0123', '1-515-555-0123', '+1 515 555 0123', '5155550123']) {
        expect(normalizePhone(raw), raw).to.deep.equal({ phone: '5155550123' });
      }
    });

    it('treats empty as no phone without a problem, and bad numbers as no phone with one', () => {
      expect(normalizePhone('  ')).to.deep.equal({ phone: null, problem: null });
      for (const raw of ['555-0123', '515-555-01234', '015-555-0123', '515-155-0123', '2-515-555-0123']) {
        const result = normalizePhone(raw);
        expect(result.phone, raw).to.equal(null);
        expect(result.phone === null && result.problem, raw).to.be.a('string').and.include(raw);
      }
    });
  });

  describe('city normalizer', () => {
    const normalize = createCityNormalizer(['west des moines', 'fort dodge', 'ft dodge', 'ft madison',
      'mt pleasant', 'mount vernon', 'st ansgar', 'north liberty', 'east amana', 'south english', 'des moines']);

    it('expands abbreviated first words when the long form is a known city', () => {
      expect(normalize('W DES MOINES')).to.equal('west des moines');
      expect(normalize('W. Des  Moines ')).to.equal('west des moines');
      expect(normalize('N LIBERTY')).to.equal('north liberty');
      expect(normalize('E AMANA')).to.equal('east amana');
      expect(normalize('S ENGLISH')).to.equal('south english');
      expect(normalize('FT DODGE')).to.equal('fort dodge');
      expect(normalize('MT VERNON')).to.equal('mount vernon');
    });

    it('keeps or contracts to the official spelling instead of expanding blindly', () => {
      expect(normalize('ST ANSGAR')).to.equal('st ansgar');
      expect(normalize('St. Ansgar')).to.equal('st ansgar');
      expect(normalize('SAINT ANSGAR')).to.equal('st ansgar');
      expect(normalize('FT MADISON')).to.equal('ft madison');
      expect(normalize('FORT MADISON')).to.equal('ft madison');
      expect(normalize('MOUNT PLEASANT')).to.equal('mt pleasant');
    });

    it('leaves unknown places cleaned but otherwise unchanged', () => {
      expect(normalize('  W  NOWHERE ')).to.equal('w nowhere');
      expect(normalize('DES MOINES')).to.equal('des moines');
    });

    it('folds the Iowa list into canonical names', () => {
      const iowa = loadIowa();
      expect(iowa.cities).to.include('fort dodge').and.include('west des moines').and.include('st ansgar');
      expect(iowa.cities).to.not.include('ft dodge');
      expect(iowa.normalizeCity('W DES MOINES')).to.equal('west des moines');
      expect(iowa.cities.length).to.be.within(900, 996);
    });
  });

  describe('decodeLatin1Row', () => {
    it('passes ASCII rows through untouched', () => {
      const fields = ['123', 'JOHN', 'DOE'];
      const decoded = decodeLatin1Row(fields);
      expect(decoded.fellBack).to.equal(false);
      expect(decoded.fields).to.equal(fields);
    });

    it('decodes valid UTF-8 bytes as UTF-8', () => {
      const latin1 = Buffer.from('JOSÉ', 'utf8').toString('latin1');
      expect(decodeLatin1Row(['1', latin1])).to.deep.equal({ fields: ['1', 'JOSÉ'], fellBack: false });
    });

    it('decodes invalid UTF-8 as Windows-1252, including the 0x80–0x9f range', () => {
      const latin1 = Buffer.from([0x4a, 0x4f, 0x53, 0xc9, 0x20, 0x93, 0x80, 0x94]).toString('latin1');
      expect(decodeLatin1Row([latin1])).to.deep.equal({ fields: ['JOSÉ “€”'], fellBack: true });
    });
  });
});
