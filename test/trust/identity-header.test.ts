import { expect } from 'chai';
import {
  identityHeadersPerCallMax, isIdentityHeaderName, parseIdentityHeader, selectShakenIdentity, splitIdentityHeaderValues,
} from '../../src/trust/identity-header.js';
import { StirVerificationError } from '../../src/trust/stir-failure.js';
import { telephoneNumberOf, telephoneNumberOfClaim } from '../../src/trust/sip-number.js';

const token = 'eyJhbGciOiJFUzI1NiJ9.eyJhIjoxfQ.c2ln';

function reasonOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).to.be.instanceOf(StirVerificationError);
    return (error as StirVerificationError).reason;
  }
  throw new Error('expected a StirVerificationError');
}

describe('trust: Identity header parsing', () => {
  it('reads info, alg and ppt, quoted or bracketed', () => {
    const header = parseIdentityHeader(`${token};info=<https://cr.example/a;b.pem>;alg=ES256;ppt="shaken"`);
    expect(header).to.deep.equal({ token, info: 'https://cr.example/a;b.pem', alg: 'ES256', ppt: 'shaken' });
  });

  it('knows the compact header name y', () => {
    expect(isIdentityHeaderName('Identity')).to.equal(true);
    expect(isIdentityHeaderName('y')).to.equal(true);
    expect(isIdentityHeaderName('Identity-Info')).to.equal(false);
  });

  it('splits comma-folded values but not commas inside <> or quotes', () => {
    const parts = splitIdentityHeaderValues([`${token};info=<https://a/x,y>, ${token};info="a,b";ppt=shaken`]);
    expect(parts).to.have.length(2);
    expect(parts[0]).to.contain('x,y');
  });

  it('refuses repeated parameters and parameters without values', () => {
    expect(reasonOf(() => parseIdentityHeader(`${token};ppt=shaken;ppt=div`))).to.equal('header-malformed');
    expect(reasonOf(() => parseIdentityHeader(`${token};info`))).to.equal('header-malformed');
  });

  it(`refuses more than ${identityHeadersPerCallMax} Identity headers on one call`, () => {
    const many = Array.from({ length: identityHeadersPerCallMax + 1 }, () => `${token};ppt=shaken`);
    expect(reasonOf(() => selectShakenIdentity(many))).to.equal('header-malformed');
  });

  it('reports ppt-unsupported when only other PASSporT types are present', () => {
    expect(reasonOf(() => selectShakenIdentity([`${token};ppt=div`]))).to.equal('ppt-unsupported');
    expect(selectShakenIdentity([])).to.equal(null);
  });
});

describe('trust: SIP telephone numbers', () => {
  it('takes the user part of SIP URIs, tel URIs and bare numbers', () => {
    expect(telephoneNumberOf('"Ann" <sip:+15155550100@10.1.2.3:5060;user=phone>;tag=9')).to.equal('5155550100');
    expect(telephoneNumberOf('<tel:+1-515-555-0100;phone-context=x>')).to.equal('5155550100');
    expect(telephoneNumberOf('sip:5155550100@carrier')).to.equal('5155550100');
    expect(telephoneNumberOf('(515) 555-0100')).to.equal('5155550100');
  });

  it('never mixes host digits into the number', () => {
    expect(telephoneNumberOf('<sip:anonymous@10.1.2.3>')).to.equal(null);
    expect(telephoneNumberOf('<sip:@5155550100>')).to.equal(null);
    expect(telephoneNumberOf(undefined)).to.equal(null);
  });

  it('reads PASSporT tn claims as digits only', () => {
    expect(telephoneNumberOfClaim('15155550100')).to.equal('5155550100');
    expect(telephoneNumberOfClaim('1515555010a')).to.equal(null);
  });
});
