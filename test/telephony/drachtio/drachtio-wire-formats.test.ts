// The FAKE drachtio-server against the real one. test/fixtures/drachtio-wire-formats.json holds the
// leader formats of drachtio-server's messages (transcribed from its C++ source, corrected by a
// recording); test/fixtures/drachtio-wire-transcript.json is that recording: a real drachtio-server
// (v0.9.10, built by hand outside this repository) and the real drachtio-srf, through the logging proxy
// of test/fakes/record-drachtio-wire.ts. Checked here: every recorded message has one of the formats;
// the fake, driven through the same scenario by the real drachtio-srf (answer and hang up, refuse with
// 486, an outbound call, a wrong secret, a ping), sends only those formats, and the same sequence of
// message kinds as the real server did.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSrf } from '../../../src/telephony/drachtio/drachtio-modules.js';
import { answerThenRefuse, scenarioSdp } from '../../fakes/drachtio-scenario.js';
import { FakeDrachtioServer, type WireRecord } from '../../fakes/fake-drachtio-server.js';
import { FakeSipCallee } from '../../fakes/fake-sip-callee.js';
import { FakeSipCaller } from '../../fakes/fake-sip-caller.js';

interface Formats {
  readonly formats: Record<string, { readonly fields: readonly string[] }>;
}

interface Transcript {
  readonly frames: ReadonlyArray<{ readonly direction: 'to-app' | 'to-server'; readonly text: string }>;
}

const repo = resolve(fileURLToPath(new URL('../../../..', import.meta.url)));
const { formats } = JSON.parse(readFileSync(join(repo, 'test/fixtures/drachtio-wire-formats.json'), 'utf8')) as Formats;
const recording = JSON.parse(readFileSync(join(repo, 'test/fixtures/drachtio-wire-transcript.json'), 'utf8')) as Transcript;
const recordedToApp = recording.frames.filter((frame) => frame.direction === 'to-app');

/** The names of the formats a message's leader (after `<msgid>|`) matches. */
function formatsOf(text: string): string[] {
  const crlf = text.indexOf('\r\n');
  const fields = (crlf < 0 ? text : text.slice(0, crlf)).split('|').slice(1);
  return Object.entries(formats).filter(([, format]) => format.fields.length === fields.length
    && format.fields.every((pattern, index) => new RegExp(pattern).test(fields[index] ?? ''))).map(([name]) => name);
}

/** A message's kind: its format, and for SIP the start line's method or status (values such as ids left out). */
function kindOf(text: string): string {
  const crlf = text.indexOf('\r\n');
  const startLine = crlf < 0 ? '' : text.slice(crlf + 2, text.indexOf('\r\n', crlf + 2));
  const sip = /^SIP\/2\.0 (\d{3})/.exec(startLine)?.[1] ?? /^([A-Z]+) /.exec(startLine)?.[1] ?? '';
  return [formatsOf(text).join('+') || 'unknown', sip].filter((part) => part.length > 0).join(' ');
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
  const fromApp: WireRecord[] = [];

  before(async () => {
    const drachtio = new FakeDrachtioServer('cymru');
    const port = await drachtio.listen();
    const srf = createSrf();
    const hungUp = answerThenRefuse(srf);
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
      const outbound = await srf.createUAC('sip:5155550199@127.0.0.1:5303', { localSdp: scenarioSdp }, {});
      await outbound.destroy();
      await callee.byeReceived;
      await Promise.all(hungUp);
      const raw = [
        ...await rawCommands(port, ['r1|authenticate|wrong']), ...await rawCommands(port, ['r2|authenticate|cymru', 'r3|ping']),
      ];
      // The fake's wire record holds the raw connections' replies too (in order); they were received.
      expect(raw.map((text) => text.split('|')[2])).to.deep.equal(['r1', 'r2', 'r3']);
      toApp.push(...drachtio.wire.filter((m) => m.direction === 'to-app'));
      fromApp.push(...drachtio.wire.filter((m) => m.direction === 'from-app'));
    } finally {
      srf.disconnect();
      await drachtio.close();
    }
  });

  it('the recording of the real server has only messages in those formats, and every format', () => {
    expect(recordedToApp.length).to.be.greaterThan(10);
    expect(recordedToApp.filter((m) => formatsOf(m.text).length === 0).map((m) => m.text.split('\r\n')[0])).to.deep.equal([]);
    const used = new Set(recordedToApp.flatMap((m) => formatsOf(m.text)));
    expect(Object.keys(formats).filter((name) => !used.has(name))).to.deep.equal([]);
  });

  it('sends the same sequence of message kinds as the real server did in the same scenario', () => {
    expect(toApp.map((m) => kindOf(m.text))).to.deep.equal(recordedToApp.map((m) => kindOf(m.text)));
  });

  it('hears from drachtio-srf the same sequence of commands as the real server did', () => {
    const command = (text: string): string => {
      const [, verb = '', ...rest] = (text.split('\r\n')[0] ?? '').split('|');
      const startLine = text.split('\r\n')[1] ?? '';
      return verb === 'sip' ? `sip ${rest[1] === '' || rest[1] === undefined ? 'outside-dialog' : 'in-dialog'} ${startLine.split(' ')[0] ?? ''}`
        : verb;
    };
    const recordedFromApp = recording.frames.filter((frame) => frame.direction === 'to-server');
    expect(fromApp.map((m) => command(m.text))).to.deep.equal(recordedFromApp.map((m) => command(m.text)));
  });

  it('sends only messages in one of the real formats', () => {
    const unmatched = toApp.filter((m) => formatsOf(m.text).length === 0).map((m) => m.text.split('\r\n')[0]);
    expect(unmatched).to.deep.equal([]);
  });

  it('uses every format in the scenario', () => {
    const used = new Set(toApp.flatMap((m) => formatsOf(m.text)));
    expect(Object.keys(formats).filter((name) => !used.has(name))).to.deep.equal([]);
  });

  it('would catch the old fake\'s formats (NOK refusals, echoes without "Msg sent:", epoch times)', () => {
    expect(formatsOf('m|response|r1|NOK|incorrect secret')).to.deep.equal([]);
    expect(formatsOf('m|sip|network|312|udp|127.0.0.1|5060|1700000000|abc|def|')).to.deep.equal([]);
    expect(formatsOf('m|response|r1|OK|application|312|udp|127.0.0.1|5060|1700000000|abc|def')).to.deep.equal([]);
    expect(formatsOf('m|sip|network|312|udp|127.0.0.1|5060|1700000000|abc|')).to.deep.equal([]);
  });
});
