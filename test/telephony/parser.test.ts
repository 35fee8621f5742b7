import { expect } from 'chai';
import { parseNameAddr, parseSipUri, parseVia } from '../../src/telephony/sip/header-values.js';
import { headerValue, headerValues } from '../../src/telephony/sip/message.js';
import { frameLength, parseSipMessage } from '../../src/telephony/sip/parser.js';
import { serializeSipMessage } from '../../src/telephony/sip/serializer.js';

const invite = [
  'INVITE sip:5550001@127.0.0.1 SIP/2.0',
  'v: SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bK1;rport, SIP/2.0/TCP 10.0.0.2;branch=z9hG4bK2',
  'Max-Forwards: 70',
  'f: "A, B" <sip:+17125551234;verstat=TN-Validation-Passed@trunk.example;user=phone>;tag=1',
  't: <sip:5550001@127.0.0.1>',
  'i: abc@10.0.0.1',
  'CSeq: 7 INVITE',
  'Subject: a folded',
  '  header',
  'l: 4',
  '',
  'body',
].join('\r\n');

describe('SIP parser', () => {
  it('parses compact forms, folding, comma-joined Via and the body by Content-Length', () => {
    const result = parseSipMessage(Buffer.from(`${invite}EXTRA`), { contentLengthRequired: false });
    expect(result.ok).to.equal(true);
    if (!result.ok || result.message.kind !== 'request') return;
    const message = result.message;
    expect(message.method).to.equal('INVITE');
    expect(headerValue(message, 'Call-ID')).to.equal('abc@10.0.0.1');
    expect(headerValue(message, 'subject')).to.equal('a folded header');
    expect(headerValues(message, 'Via')).to.have.length(1);
    expect(message.body.toString()).to.equal('body');
  });

  it('round-trips through the serializer', () => {
    const first = parseSipMessage(Buffer.from(invite), { contentLengthRequired: true });
    if (!first.ok) throw first.error;
    const second = parseSipMessage(serializeSipMessage(first.message), { contentLengthRequired: true });
    expect(second.ok).to.equal(true);
    if (second.ok) expect(second.message).to.deep.equal(first.message);
  });

  it('frames TCP streams by Content-Length', () => {
    const data = Buffer.from(invite + invite);
    expect(frameLength(data)).to.equal(Buffer.byteLength(invite));
    expect(frameLength(data.subarray(0, 50))).to.equal(0);
    const missing = frameLength(Buffer.from(invite.replace('l: 4', 'X: y')));
    expect(missing).to.have.property('reason', 'missing Content-Length header');
  });

  it('reads header values: Via, name-addr with commas in quotes, user parameters', () => {
    expect(parseVia('SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bK1;rport')).to.deep.include({ transport: 'UDP', host: '10.0.0.1', port: 5062 });
    const from = parseNameAddr('"A, B" <sip:+17125551234;verstat=TN-Validation-Passed@trunk.example;user=phone>;tag=1');
    expect(from?.params.get('tag')).to.equal('1');
    expect(parseSipUri(from?.uri ?? '')).to.deep.include({ user: '+17125551234', host: 'trunk.example' });
    expect(parseVia('SIP/2.0/UDP')).to.equal(null);
    expect(parseNameAddr('<sip:unterminated')).to.equal(null);
  });

  it('returns salvage for answerable failures and none for responses', () => {
    const broken = parseSipMessage(Buffer.from(invite.replace('CSeq: 7 INVITE', 'CSeq: 7 BYE')), { contentLengthRequired: false });
    expect(broken.ok).to.equal(false);
    if (!broken.ok) expect(broken.salvage?.method).to.equal('BYE');
    const response = parseSipMessage(Buffer.from('SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a;branch=z9hG4bKx\r\n\r\n'), { contentLengthRequired: false });
    expect(response.ok).to.equal(false);
    if (!response.ok) expect(response.salvage).to.equal(null);
  });
});
