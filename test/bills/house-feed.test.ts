import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parseBillsFeed, BillFeedError } from '../../src/bills/house-feed.js';
import { billIdFromNumber, generatedBillId, printedNumber } from '../../src/bills/bill-number.js';

const sample = new URL('../../../test/fixtures/bills-this-week-sample.xml', import.meta.url);

describe('bills/house-feed', () => {
  it('reads the last entry as the current week, keeping items without a number', () => {
    const { week, bills } = parseBillsFeed(readFileSync(sample, 'utf8'));
    expect(week).to.equal('2026-11-23');
    expect(bills.map((bill) => bill.id).slice(0, 3)).to.deep.equal(['hr1234', 'hr5678', 's789']);
    expect(bills.map((bill) => bill.id)).to.include.members(['hres56', 'hr2468']);
    expect(bills.map((bill) => bill.id)).not.to.include('hr4410');
    const unnumbered = bills.find((bill) => bill.number === '');
    expect(unnumbered?.title).to.equal('Motion to go to conference (item with no number)');
    expect(unnumbered?.id).to.match(/^item-[0-9a-f]{12}$/);
    expect(parseBillsFeed(readFileSync(sample, 'utf8')).bills.find((bill) => bill.number === '')?.id).to.equal(unnumbered?.id);
    expect(bills.find((bill) => bill.id === 'hr5678')?.title).to.equal("To amend title 38, United States Code, to improve veterans' access to rural clinics");
  });

  it('normalizes printed numbers', () => {
    expect(billIdFromNumber('H.R. 1234')).to.equal('hr1234');
    expect(billIdFromNumber('H. Res. 56')).to.equal('hres56');
    expect(billIdFromNumber('H.J.Res. 7')).to.equal('hjres7');
    expect(billIdFromNumber('H.Con.Res. 12')).to.equal('hconres12');
    expect(billIdFromNumber('S. 789')).to.equal('s789');
    expect(billIdFromNumber('Motion')).to.equal(null);
    expect(printedNumber('hres56')).to.equal('H.Res. 56');
    expect(printedNumber(generatedBillId('2026-11-23', 'x'))).to.equal(null);
  });

  it('gives a clear error for junk', () => {
    expect(() => parseBillsFeed('<feed xmlns="http://www.w3.org/2005/Atom"></feed>')).to.throw(BillFeedError, /no <entry>/);
    expect(() => parseBillsFeed('not xml <<<')).to.throw(BillFeedError);
  });
});
