import { expect } from 'chai';
import * as asn1js from 'asn1js';
import { StirVerificationError } from '../../src/trust/stir-failure.js';
import { assertAuthorizes, decodeTnAuthList, encodeTnAuthList } from '../../src/trust/tn-auth-list.js';

function implicit(tagNumber: number, value: asn1js.AsnType[] | string): asn1js.AsnType {
  if (typeof value === 'string') {
    return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber }, valueHex: new TextEncoder().encode(value) });
  }
  return new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber }, value });
}

describe('trust: TNAuthList', () => {
  it('round-trips SPC and TN entries with explicit tags', () => {
    const list = decodeTnAuthList(encodeTnAuthList({ spcs: ['1234'], numbers: ['15155550100'] }));
    expect(list).to.deep.equal({ spcs: ['1234'], numbers: ['15155550100'], ranges: [] });
  });

  it('accepts implicitly tagged entries and ranges', () => {
    const der = new asn1js.Sequence({
      value: [
        implicit(0, '5678'),
        implicit(1, [new asn1js.IA5String({ value: '15155550100' }), new asn1js.Integer({ value: 100 })]),
      ],
    }).toBER(false);
    const list = decodeTnAuthList(der);
    expect(list.spcs).to.deep.equal(['5678']);
    expect(list.ranges).to.deep.equal([{ start: '15155550100', count: 100 }]);
  });

  it('authorizes by SPC, by number and by range; refuses numbers outside them', () => {
    expect(() => assertAuthorizes({ spcs: ['1'], numbers: [], ranges: [] }, '15155550100')).to.not.throw();
    expect(() => assertAuthorizes({ spcs: [], numbers: ['+15155550100'], ranges: [] }, '15155550100')).to.not.throw();
    const ranged = { spcs: [], numbers: [], ranges: [{ start: '15155550100', count: 10 }] };
    expect(() => assertAuthorizes(ranged, '15155550109')).to.not.throw();
    expect(() => assertAuthorizes(ranged, '15155550110')).to.throw(StirVerificationError, /tn-auth-list-mismatch/);
  });

  it('refuses junk, empty lists and unknown tags as malformed', () => {
    expect(() => decodeTnAuthList(new Uint8Array([1, 2, 3]))).to.throw(/tn-auth-list-malformed/);
    expect(() => decodeTnAuthList(new asn1js.Sequence({ value: [] }).toBER(false))).to.throw(/tn-auth-list-malformed/);
    const unknown = new asn1js.Sequence({ value: [implicit(7, 'x')] }).toBER(false);
    expect(() => decodeTnAuthList(unknown)).to.throw(/unknown entry tag 7/);
    expect(() => encodeTnAuthList({})).to.throw(RangeError);
  });
});
