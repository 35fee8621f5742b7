// Records a REAL drachtio-server's wire exchange with the real drachtio-srf, for the fake's fixture
// (test/fixtures/drachtio-wire-transcript.json). Not a test and not run in CI: there is no
// drachtio-server here. An operator or developer runs it by hand against a server they built or run:
//
//   node dist/test/fakes/record-drachtio-wire.js --drachtio 127.0.0.1:9022 --secret cymru \
//     --sip 127.0.0.1:5060 --out test/fixtures/drachtio-wire-transcript.json
//
// A logging TCP proxy sits between drachtio-srf and the server and keeps every `<length>#<message>`
// frame in both directions. The scenario is the one the fake's format test runs: a sipp caller the app
// answers and hangs up on, one it refuses with 486, an outbound call to a sipp UAS, then raw commands
// (a wrong secret; authenticate and ping).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createSrf } from '../../src/telephony/drachtio/drachtio-modules.js';
import { splitHostPort } from '../../src/telephony/endpoint-config.js';
import { freeUdpPort, runSipp } from '../telephony/support/sipp.js';
import { answerThenRefuse, scenarioSdp } from './drachtio-scenario.js';

export interface RecordedFrame {
  readonly direction: 'to-app' | 'to-server';
  readonly text: string;
}

/** Splits a byte stream into drachtio frames (`<byte length>#<message>`). */
class FrameReader {
  private buffer = Buffer.alloc(0);

  constructor(private readonly onFrame: (text: string) => void) {}

  push(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const hash = this.buffer.indexOf(0x23);
      if (hash <= 0) return;
      const length = Number(this.buffer.subarray(0, hash).toString('ascii'));
      if (!Number.isInteger(length)) throw new Error(`not a drachtio frame: ${this.buffer.subarray(0, 40).toString()}`);
      if (this.buffer.length < hash + 1 + length) return;
      this.onFrame(this.buffer.subarray(hash + 1, hash + 1 + length).toString('utf8'));
      this.buffer = this.buffer.subarray(hash + 1 + length);
    }
  }
}

/** A TCP proxy to the server that records every frame, in order, in both directions. */
async function recordingProxy(upstream: { host: string; port: number }, frames: RecordedFrame[]): Promise<Server> {
  const server = createServer((app: Socket) => {
    const drachtio = createConnection(upstream);
    const toServer = new FrameReader((text) => frames.push({ direction: 'to-server', text }));
    const toApp = new FrameReader((text) => frames.push({ direction: 'to-app', text }));
    app.on('data', (chunk: Buffer) => { toServer.push(chunk); drachtio.write(chunk); });
    drachtio.on('data', (chunk: Buffer) => { toApp.push(chunk); app.write(chunk); });
    app.on('close', () => drachtio.destroy());
    drachtio.on('close', () => app.destroy());
    app.on('error', () => drachtio.destroy());
    drachtio.on('error', () => app.destroy());
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return server;
}

/** Sends raw commands on a new connection through the proxy and waits a moment for the replies. */
async function rawCommands(port: number, commands: readonly string[]): Promise<void> {
  const socket = createConnection({ host: '127.0.0.1', port });
  await new Promise<void>((ready) => socket.once('connect', () => ready()));
  for (const command of commands) socket.write(`${Buffer.byteLength(command)}#${command}`);
  await new Promise((wait) => setTimeout(wait, 500));
  socket.destroy();
}

async function record(options: { drachtio: string; secret: string; sip: string; out: string }): Promise<void> {
  const frames: RecordedFrame[] = [];
  const proxy = await recordingProxy(splitHostPort(options.drachtio), frames);
  const proxyPort = (proxy.address() as { port: number }).port;
  const cwd = mkdtempSync(join(tmpdir(), 'dn-drachtio-record-'));
  const srf = createSrf();
  const hungUp = answerThenRefuse(srf);
  try {
    await new Promise<void>((ready, fail) => {
      srf.on('connect', (error: Error | null) => (error === null ? ready() : fail(error)));
      srf.connect({ host: '127.0.0.1', port: proxyPort, secret: options.secret, reconnect: { retryMaxDelay: 500 } });
    });
    const answered = await runSipp({ scenario: 'uac-app-hangs-up.xml', target: options.sip, cwd,
      extraArgs: ['-s', '5155550000'] });
    if (answered.code !== 0) throw new Error(`the answered call failed (sipp ${answered.code}): ${answered.stderr}`);
    await Promise.all(hungUp);
    const refused = await runSipp({ scenario: 'uac-refused.xml', target: options.sip, cwd,
      extraArgs: ['-s', '5155550000'] });
    if (refused.code !== 0) throw new Error(`the refused call failed (sipp ${refused.code}): ${refused.stderr}`);
    const calleePort = await freeUdpPort();
    const callee = runSipp({ scenario: 'uas-answer.xml', target: '', cwd, port: calleePort, extraArgs: ['-rtp_echo'] });
    await new Promise((wait) => setTimeout(wait, 300));
    const outbound = await srf.createUAC(`sip:5155550199@127.0.0.1:${calleePort}`, { localSdp: scenarioSdp }, {});
    await new Promise((wait) => setTimeout(wait, 200));
    await outbound.destroy();
    const calleeResult = await callee;
    if (calleeResult.code !== 0) throw new Error(`the outbound call failed (sipp ${calleeResult.code})`);
    await rawCommands(proxyPort, ['r1|authenticate|wrong-secret']);
    await rawCommands(proxyPort, [`r2|authenticate|${options.secret}`, 'r3|ping']);
  } finally {
    srf.disconnect();
    proxy.close();
    rmSync(cwd, { recursive: true, force: true });
  }
  const transcript = {
    what: 'A recording of a real drachtio-server talking to the real drachtio-srf, made by '
      + 'test/fakes/record-drachtio-wire.ts through a logging proxy (frames in order, both directions).',
    recordedAt: new Date().toISOString(),
    scenario: ['a sipp caller the app answers, then hangs up on after 200 ms', 'a sipp caller the app refuses with 486',
      'an outbound call from the app to a sipp UAS, hung up by the app', 'a raw connection with a wrong secret',
      'a raw connection that authenticates and pings'],
    frames,
  };
  writeFileSync(options.out, `${JSON.stringify(transcript, null, 1)}\n`);
  process.stdout.write(`recorded ${frames.length} frames into ${options.out}\n`);
}

const { values } = parseArgs({ options: {
  drachtio: { type: 'string', default: '127.0.0.1:9022' }, secret: { type: 'string', default: 'cymru' },
  sip: { type: 'string', default: '127.0.0.1:5060' }, out: { type: 'string' },
} });
if (values.out === undefined) {
  process.stderr.write('usage: record-drachtio-wire --drachtio host:port --secret s --sip host:port --out file.json\n');
  process.exit(2);
}
await record({ drachtio: values.drachtio, secret: values.secret, sip: values.sip, out: values.out });
