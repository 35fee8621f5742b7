// The FAKE drachtio-server's messages to the app have the leader formats drachtio-server's own source
// writes (test/fixtures/drachtio-wire-formats.json, transcribed from its C++ source; not a recording of
// a running server, which could not be built here in time). A scenario with the real drachtio-srf
// (answer and hang up, refuse with 486, an outbound call) plus raw-socket commands (a wrong secret, a
// ping) must produce only messages that match one of those formats, and every format at least once.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSrf, type SrfDialog } from '../../../src/telephony/drachtio/drachtio-modules.js';
import { FakeDrachtioServer, type WireRecord } from '../../fakes/fake-drachtio-server.js';
import { FakeSipCallee } from '../../fakes/fake-sip-callee.js';
import { FakeSipCaller } from '../../fakes/fake-sip-caller.js';

interface Formats {
  readonly formats: Record<string, { readonly fields: readonly string[] }>;
}

const repo = resolve(fileURLToPath(new URL('../../../..', import.meta.url)));
const { formats } = JSON.parse(readFileSync(join(repo, 'test/fixtures/drachtio-wire-formats.json'), 'utf8')) as Formats;
const sdp = ['v=0', 'o=app 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 30000 RTP/AVP 0',
  'a=rtpmap:0 PCMU/8000', 'a=sendrecv', ''].join('\r\n');

/** The names of the formats a message's leader (after `<msgid>|`) matches. */
function formatsOf(text: string): string[] {
  const crlf = text.indexOf('\r\n');
  const fields = (crlf < 0 ? text : text.slice(0, crlf)).split('|').slice(1);
  return Object.entries(formats).filter(([, format]) => format.fields.length === fields.length
    && format.fields.every((pattern, index) => new RegExp(pattern).test(fields[index] ?? ''))).map(([name]) => name);
}

/** Sends raw wire commands on a new connection and resolves with the fake's replies. */
async function rawCommands(port: number, commands: string[]): Promise<string[]> {
  const socket = createConnection({ host: '127.0.0.1', port });
  const replies: string[] = [];
  await new Promise<void>((ready) => socket.once('connect', () => ready()));
  let buffer = '';
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (let hash = buffer.indexOf('#'); hash > 0; hash = buffer.indexOf('#')) {
      const length = Number(buffer.slice(0, hash));
      if (buffer.length < hash + 1 + length) return;
      replies.push(buffer.slice(hash + 1, hash + 1 + length));
      buffer = buffer.slice(hash + 1 + length);
    }
  });
  for (const command of commands) socket.write(`${Buffer.byteLength(command)}#${command}`);
  await new Promise((wait) => setTimeout(wait, 200));
  socket.destroy();
  return replies;
}

describe('test/fakes: the fake drachtio-server writes the message formats of drachtio-server\'s source', function () {
  this.timeout(30_000);
  const toApp: WireRecord[] = [];

  before(async () => {
    const drachtio = new FakeDrachtioServer('cymru');
    const port = await drachtio.listen();
    const srf = createSrf();
    let invites = 0;
    const hungUp: Array<Promise<void>> = [];
    srf.invite((req, res) => {
      invites += 1;
      if (invites === 2) { res.send(486); return; }
      hungUp.push(srf.createUAS(req, res, { localSdp: sdp })
        .then((dialog: SrfDialog) => new Promise((done) => {
          setTimeout(() => { void dialog.destroy().then(done); }, 200);
        })));
    });
    try {
      await new Promise<void>((ready, fail) => {
        srf.on('connect', (error: Error | null) => (error === null ? ready() : fail(error)));
        srf.connect({ host: '127.0.0.1', port, secret: 'cymru', reconnect: { retryMaxDelay: 500 } });
      });
      const accepted = new FakeSipCaller(drachtio, '127.0.0.1:5301');
      accepted.invite({ from: '+15155550101', to: '5155550000' });
      expect(await accepted.finalStatus).to.equal(200);
      expect(await accepted.ended).to.equal('app');
      const refused = new FakeSipCaller(drachtio, '127.0.0.1:5302');
      refused.invite({ from: '+15155550101', to: '5155550000' });
      expect(await refused.finalStatus).to.equal(486);
      const callee = new FakeSipCallee(drachtio, '127.0.0.1:5303', { status: 200, answerAfterMs: 20 });
      const outbound = await srf.createUAC('sip:5155550199@127.0.0.1:5303', { localSdp: sdp }, {});
      await outbound.destroy();
      await callee.byeReceived;
      await Promise.all(hungUp);
      const raw = [
        ...await rawCommands(port, ['r1|authenticate|wrong']), ...await rawCommands(port, ['r2|authenticate|cymru', 'r3|ping']),
      ];
      toApp.push(...drachtio.wire.filter((m) => m.direction === 'to-app'),
        ...raw.map((text) => ({ direction: 'to-app' as const, text })));
    } finally {
      srf.disconnect();
      await drachtio.close();
    }
  });

  it('sends only messages in one of the real formats', () => {
    const unmatched = toApp.filter((m) => formatsOf(m.text).length === 0).map((m) => m.text.split('\r\n')[0]);
    expect(unmatched).to.deep.equal([]);
  });

  it('uses every format in the scenario', () => {
    const used = new Set(toApp.flatMap((m) => formatsOf(m.text)));
    expect(Object.keys(formats).filter((name) => !used.has(name))).to.deep.equal([]);
  });

  it('would catch the old fake\'s formats (NOK refusals, echoes without "Msg sent:")', () => {
    expect(formatsOf('m|response|r1|NOK|incorrect secret')).to.deep.equal([]);
    expect(formatsOf('m|response|r1|OK|application|312|udp|127.0.0.1|5060|1700000000|abc|def')).to.deep.equal([]);
    expect(formatsOf('m|sip|network|312|udp|127.0.0.1|5060|1700000000|abc|')).to.deep.equal([]);
  });
});
