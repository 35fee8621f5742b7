// baresip (Debian's softphone) as the phone that our call-back rings: it listens on a given UDP port
// as the "trunk", answers by itself (answermode=auto) or lets it ring, and keys digits on the
// answered call as RFC 4733 events when told to through its ctrl_tcp module (netstring JSON).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

export async function freeTcpPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export interface BaresipPhoneOptions {
  dir: string;
  sipPort: number;
  /** The 10-digit number this phone has: baresip takes only calls to its own account's user part. */
  number: string;
  /** 'auto' answers every call; 'manual' lets it ring until the caller gives up. */
  answer: 'auto' | 'manual';
  rtpPortMin: number;
}

export class BaresipPhone {
  private output = '';
  private readonly watchers = new Set<() => void>();

  private constructor(private readonly child: ChildProcess, private readonly controlPort: number) {
    const collect = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString()).slice(-50_000);
      for (const watcher of this.watchers) watcher();
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
  }

  static async start(options: BaresipPhoneOptions): Promise<BaresipPhone> {
    const { dir } = options;
    execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', join(dir, 'phone.wav'), 'synth', '30', 'sine', '300', 'vol', '0.3']);
    const controlPort = await freeTcpPort();
    writeFileSync(join(dir, 'config'), [
      'poll_method epoll', `sip_listen 127.0.0.1:${options.sipPort}`, 'sip_trans_def udp', 'call_max_calls 1',
      'audio_player aubridge,nil', `audio_source aufile,${join(dir, 'phone.wav')}`, 'audio_alert aubridge,nil',
      'audio_srate 8000', 'audio_channels 1', `rtp_ports ${options.rtpPortMin}-${options.rtpPortMin + 20}`,
      `ctrl_tcp_listen 127.0.0.1:${controlPort}`,
      'module_path /usr/lib/baresip/modules', 'module g711.so', 'module aufile.so', 'module aubridge.so',
      'module_app account.so', 'module_app menu.so', 'module_app ctrl_tcp.so', '',
    ].join('\n'));
    writeFileSync(join(dir, 'accounts'),
      `<sip:+1${options.number}@127.0.0.1>;regint=0;answermode=${options.answer};audio_codecs=PCMU\n`);
    const child = spawn('baresip', ['-f', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const phone = new BaresipPhone(child, controlPort);
    await phone.waitFor(/baresip is ready|ready\./i, 10_000);
    return phone;
  }

  get log(): string {
    return this.output;
  }

  /** Resolves when baresip's output matches, or rejects after timeoutMs with what it printed. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!pattern.test(this.output)) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`baresip did not print ${pattern} within ${timeoutMs} ms:\n${this.output.slice(-3000)}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.watchers.delete(check);
      };
      this.watchers.add(check);
      check();
    });
  }

  /** Keys digits on the current call (menu command sndcode: RFC 4733 events when negotiated). */
  async sendDigits(digits: string): Promise<string> {
    return await this.command('sndcode', digits);
  }

  /** One ctrl_tcp command as a netstring of JSON; resolves with baresip's response text. */
  private command(command: string, params: string): Promise<string> {
    const json = JSON.stringify({ command, params, token: command });
    return new Promise((resolve, reject) => {
      const socket = connect(this.controlPort, '127.0.0.1', () => {
        socket.write(`${Buffer.byteLength(json)}:${json},`);
      });
      let reply = '';
      socket.on('data', (chunk: Buffer) => {
        reply += chunk.toString();
        if (reply.includes('"response"')) socket.end();
      });
      socket.once('error', reject);
      socket.once('close', () => resolve(reply));
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    await exited;
  }
}
