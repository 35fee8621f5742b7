import { expect } from 'chai';
import { SdpParseError } from '../../src/telephony/errors.js';
import { buildAnswer, negotiateAudio, parseSdp } from '../../src/telephony/sdp.js';

const offer = (media: string[], extra: string[] = []): string =>
  ['v=0', 'o=x 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', ...extra, ...media, ''].join('\r\n');

describe('SDP offer/answer', () => {
  it('picks the offerer\'s first G.711 codec and its telephone-event payload type', () => {
    const parsed = parseSdp(offer(['m=audio 4000 RTP/AVP 18 8 0 96', 'a=rtpmap:96 telephone-event/8000']));
    expect(negotiateAudio(parsed)).to.include({ codec: 'PCMA', payloadType: 8, telephoneEventPayloadType: 96, remotePort: 4000, remoteAddress: '192.0.2.1' });
  });

  it('answers with one m= line per offered line, declining video with port 0', () => {
    const parsed = parseSdp(offer(['m=video 5000 RTP/AVP 96', 'm=audio 4000 RTP/AVP 0 101', 'a=rtpmap:101 telephone-event/8000', 'a=sendonly']));
    const audio = negotiateAudio(parsed);
    expect(audio).to.not.equal(null);
    if (audio === null) return;
    const answer = buildAnswer({ offer: parsed, audio, localAddress: '127.0.0.1', localPort: 20000, sessionId: '1', sessionVersion: 1 });
    expect(answer).to.match(/^m=video 0 RTP\/AVP 96\r$/m);
    expect(answer).to.match(/^m=audio 20000 RTP\/AVP 0 101\r$/m);
    expect(answer).to.include('a=recvonly');
  });

  it('returns null (488) when no codec is shared or the profile is SRTP', () => {
    expect(negotiateAudio(parseSdp(offer(['m=audio 4000 RTP/AVP 18 9'])))).to.equal(null);
    expect(negotiateAudio(parseSdp(offer(['m=audio 4000 RTP/SAVP 0'])))).to.equal(null);
    expect(negotiateAudio(parseSdp(offer(['m=audio 0 RTP/AVP 0'])))).to.equal(null);
  });

  it('recognizes G.711 on a dynamic payload type by rtpmap', () => {
    const parsed = parseSdp(offer(['m=audio 4000 RTP/AVP 110', 'a=rtpmap:110 PCMU/8000']));
    expect(negotiateAudio(parsed)).to.include({ codec: 'PCMU', payloadType: 110, telephoneEventPayloadType: null });
  });

  it('throws SdpParseError on broken SDP', () => {
    expect(() => parseSdp('hello')).to.throw(SdpParseError);
    expect(() => parseSdp(offer(['m=audio x RTP/AVP 0']))).to.throw(SdpParseError);
    expect(() => parseSdp(offer(['m=audio 4000 RTP/AVP 0'], ['c=IN IP4 not-an-ip!']))).to.throw(SdpParseError);
    expect(() => parseSdp('v=0\r\ns=-\r\n')).to.throw(SdpParseError, /o=/);
  });
});
