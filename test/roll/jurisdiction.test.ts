import { expect } from 'chai';
import { loadIowa } from '../../src/roll/iowa/index.js';
import { jurisdictionFor, UnknownJurisdictionError } from '../../src/roll/jurisdictions.js';

describe('jurisdictions', () => {
  it('maps STATE_OR_PROVINCE to the Iowa module, case-insensitively', () => {
    expect(jurisdictionFor(' IOWA ')).to.equal(loadIowa());
    expect(jurisdictionFor('iowa').code).to.equal('ia');
    expect(() => jurisdictionFor('ontario')).to.throw(UnknownJurisdictionError, /ontario.*iowa/);
  });

  it('has 99 counties with 10-digit auditor phones in Iowa area codes', () => {
    const iowa = loadIowa();
    expect(iowa.counties).to.have.length(99);
    for (const county of iowa.counties) {
      expect(county.auditorPhone, county.name).to.match(/^\d{10}$/);
      expect(iowa.areaCodes, county.name).to.include(county.auditorPhone.slice(0, 3));
    }
    expect(new Set(iowa.counties.map((county) => county.id)).size).to.equal(99);
  });

  it('finds counties the way callers and exports name them', () => {
    const iowa = loadIowa();
    expect(iowa.findCounty('Polk')?.name).to.equal('polk');
    expect(iowa.findCounty('polk county')?.name).to.equal('polk');
    expect(iowa.findCounty('OBRIEN')?.name).to.equal("o'brien");
    expect(iowa.findCounty('Black Hawk County')?.name).to.equal('black hawk');
    expect(iowa.findCounty('blackhawk')?.name).to.equal('black hawk');
    expect(iowa.findCounty('77')?.name).to.equal('polk');
    expect(iowa.findCounty('077')?.name).to.equal('polk');
    expect(iowa.findCounty('atlantis')).to.equal(undefined);
    expect(iowa.findCounty('100')).to.equal(undefined);
  });

  it('normalizes congressional districts', () => {
    const iowa = loadIowa();
    expect(iowa.districts).to.deep.equal(['1', '2', '3', '4']);
    expect(iowa.normalizeDistrict('03')).to.equal('3');
    expect(iowa.normalizeDistrict('4')).to.equal('4');
    expect(iowa.normalizeDistrict('5')).to.equal(null);
    expect(iowa.normalizeDistrict('')).to.equal(null);
  });

  it('gives the sample generator a place for every city, in Iowa ZIPs and area codes', () => {
    const iowa = loadIowa();
    expect(iowa.sample.places.map((place) => place.city)).to.deep.equal(iowa.cities);
    const desMoines = iowa.sample.places.find((place) => place.city === 'des moines');
    expect(desMoines).to.include({ county: 'polk', areaCode: '515', district: '3' });
    for (const place of iowa.sample.places) {
      expect(place.weight, place.city).to.be.greaterThan(0);
      expect(iowa.areaCodes).to.include(place.areaCode);
      for (const zip of place.zips) expect(zip, place.city).to.match(/^5[0-2]\d{3}$/);
    }
  });
});
