// A corpus of malformed SIP sent to a live endpoint: each answerable one gets its 4xx with the
// reason, the unanswerable ones are dropped, nothing crashes, and the endpoint then serves a real call.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SipEndpoint } from '../../src/telephony/endpoint.js';
import { startEndpoint } from './support/endpoint.js';
import { offer, request, tcpExchange, UdpSipClient } from './support/raw-sip.js';
import { runSipp } from './support/sipp.js';

describe('SipEndpoint malformed corpus', function () {
  this.timeout(30_000);
  let endpoint: SipEndpoint;
  let client: UdpSipClient;

  before(async () => {
    endpoint = await startEndpoint();
    client = await UdpSipClient.open();
  });

  after(async () => {
    await client.close();
    await endpoint.close();
  });

  const answered: Array<{ name: string; status: number; reason: RegExp; build: (port: number) => string }> = [
    { name: 'missing Call-ID (a response needs it)', status: -1, reason: /./, build: (port) => request('OPTIONS', { clientPort: port, overrides: { 'Call-ID': null } }) },
    { name: 'missing Max-Forwards', status: 400, reason: /Max-Forwards/, build: (port) => request('OPTIONS', { clientPort: port, overrides: { 'Max-Forwards': null } }) },
    { name: 'From without tag', status: 400, reason: /tag/, build: (port) => request('OPTIONS', { clientPort: port, overrides: { From: '<sip:a@127.0.0.1>' } }) },
    { name: 'CSeq method differs', status: 400, reason: /CSeq method/, build: (port) => request('OPTIONS', { clientPort: port, overrides: { CSeq: '1 INVITE' } }) },
    { name: 'Content-Length larger than the body', status: 400, reason: /shorter than Content-Length/, build: (port) => request('OPTIONS', { clientPort: port, overrides: { 'Content-Length': '500' } }) },
    { name: 'Content-Length not a number', status: 400, reason: /Content-Length/, build: (port) => request('OPTIONS', { clientPort: port, overrides: { 'Content-Length': 'ten' } }) },
    { name: 'two different Content-Length', status: 400, reason: /more than one Content-Length/, build: (port) => request('OPTIONS', { clientPort: port, extra: ['Content-Length: 7'] }) },
    { name: 'bad request line (two spaces)', status: 400, reason: /start line/, build: (port) => request('OPTIONS', { clientPort: port, startLine: 'OPTIONS  sip:x@127.0.0.1 SIP/2.0' }) },
    { name: 'Request-URI not sip/tel', status: 400, reason: /Request-URI/, build: (port) => request('OPTIONS', { clientPort: port, startLine: 'OPTIONS http://x SIP/2.0' }) },
    { name: 'SIP/3.0', status: 505, reason: /SIP\/2\.0/, build: (port) => request('OPTIONS', { clientPort: port, startLine: 'OPTIONS sip:x@127.0.0.1 SIP/3.0' }) },
    { name: 'header line over 8 KiB', status: 400, reason: /too long/, build: (port) => request('OPTIONS', { clientPort: port, extra: [`X-Huge: ${'a'.repeat(9000)}`] }) },
    { name: 'more than 100 headers', status: 400, reason: /too many headers/, build: (port) => request('OPTIONS', { clientPort: port, extra: Array.from({ length: 120 }, (_, index) => `X-H${index}: v`) }) },
    { name: 'header without colon', status: 400, reason: /without a name and colon/, build: (port) => request('OPTIONS', { clientPort: port, extra: ['NoColonHere'] }) },
    { name: 'broken SDP', status: 400, reason: /malformed SDP/, build: (port) => request('INVITE', { clientPort: port, body: 'v=0\r\nthis is not sdp\r\n' }) },
    { name: 'non-SDP body', status: 415, reason: /Unsupported Media Type/, build: (port) => request('INVITE', { clientPort: port, body: 'hello', overrides: { 'Content-Type': 'text/plain' } }) },
    { name: 'unknown method', status: 501, reason: /Not Implemented/, build: (port) => request('FROBNICATE', { clientPort: port }) },
    { name: 'REGISTER (known, unsupported)', status: 405, reason: /Method Not Allowed/, build: (port) => request('REGISTER', { clientPort: port }) },
    { name: 'Require of an extension', status: 420, reason: /Bad Extension/, build: (port) => request('OPTIONS', { clientPort: port, overrides: { Require: '100rel' } }) },
    { name: 'BYE for no dialog', status: 481, reason: /Does Not Exist/, build: (port) => request('BYE', { clientPort: port, overrides: { To: '<sip:5550001@127.0.0.1>;tag=nope' } }) },
    { name: 'RFC 2543 branch', status: 400, reason: /z9hG4bK/, build: (port) => request('OPTIONS', { clientPort: port, overrides: { Via: `SIP/2.0/UDP 127.0.0.1:${port};branch=old;rport` } }) },
    { name: 'INVITE with G.729 only', status: 488, reason: /Not Acceptable/, build: (port) => request('INVITE', { clientPort: port, body: offer(40000, '18') }) },
  ];

  for (const item of answered) {
    it(`${item.name} → ${item.status === -1 ? 'dropped' : item.status}`, async () => {
      const replies = await client.exchange(endpoint.port, item.build(client.port));
      const finals = replies.filter((reply) => reply.status >= 200);
      if (item.status === -1) {
        expect(replies).to.deep.equal([]);
        return;
      }
      expect(finals.map((reply) => reply.status)).to.deep.equal([item.status]);
      expect(finals[0]?.text.split('\r\n')[0]).to.match(item.reason);
    });
  }

  const dropped: Array<{ name: string; data: string }> = [
    { name: 'garbage', data: 'hello world\r\n\r\n' },
    { name: 'no end of headers', data: 'OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5;branch=z9hG4bKx' },
    { name: 'a response (never answered)', data: 'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5;branch=z9hG4bKx\r\n\r\n' },
    { name: 'NUL bytes', data: 'OPTIONS sip:x SIP/2.0\r\nVia: \u0000\r\n\r\n' },
    { name: 'invalid UTF-8', data: 'OPTIONS sip:x SIP/2.0\r\nFrom: \u00ff\u00fe\r\n\r\n' },
    { name: 'empty datagram', data: '' },
    { name: 'bare LF line ends', data: 'OPTIONS sip:x SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:5;branch=z9hG4bKx\n\n' },
  ];

  for (const item of dropped) {
    it(`${item.name} → dropped, no reply`, async () => {
      const before = endpoint.stats.malformedDropped;
      expect(await client.exchange(endpoint.port, item.data, 150)).to.deep.equal([]);
      if (item.data.length > 0 && !item.data.startsWith('SIP/2.0')) expect(endpoint.stats.malformedDropped).to.be.greaterThan(before);
    });
  }

  it('a datagram over 64 KiB is dropped', async () => {
    const huge = request('OPTIONS', { clientPort: client.port, extra: Array.from({ length: 9 }, (_, index) => `X-Big${index}: ${'b'.repeat(8000)}`) });
    expect(huge.length).to.be.greaterThan(64 * 1024);
    expect(await client.exchange(endpoint.port, huge, 150)).to.deep.equal([]);
  });

  it('TCP: a message without Content-Length gets 400 and the connection is closed', async () => {
    const text = request('OPTIONS', { clientPort: client.port, overrides: { 'Content-Length': null } });
    const reply = await tcpExchange(endpoint.port, text);
    expect(reply.text).to.match(/^SIP\/2\.0 400 .*Content-Length/);
    expect(reply.closed).to.equal(true);
  });

  it('TCP: two pipelined messages in one segment are both answered', async () => {
    const text = request('OPTIONS', { clientPort: client.port }) + request('OPTIONS', { clientPort: client.port });
    const reply = await tcpExchange(endpoint.port, text);
    expect(reply.text.match(/^SIP\/2\.0 200 OK/gm)?.length).to.equal(2);
  });

  it('TCP: Content-Length beyond 64 KiB gets 413 and the connection is closed', async () => {
    const text = request('OPTIONS', { clientPort: client.port, overrides: { 'Content-Length': '100000' } });
    const reply = await tcpExchange(endpoint.port, text);
    expect(reply.text).to.match(/^SIP\/2\.0 413 /);
    expect(reply.closed).to.equal(true);
  });

  it('after the corpus, the endpoint still serves a real call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dn-malformed-'));
    try {
      const answeredCall = new Promise<void>((resolve) => endpoint.once('call', (call) => { void call.ended.then(() => resolve()); }));
      const sipp = await runSipp({ scenario: 'uac-bye-mid-prompt.xml', target: `127.0.0.1:${endpoint.port}`, cwd: dir });
      expect(sipp.code, sipp.stdout.slice(-1500)).to.equal(0);
      await answeredCall;
      expect(endpoint.stats.rtpPortsInUse).to.equal(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
