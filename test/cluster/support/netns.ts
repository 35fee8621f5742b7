// Hosts for multi-host tests: Linux network namespaces joined by veth links to a bridge that lives in
// a namespace of its own. Addresses from a private test range exist only inside these namespaces, so
// no traffic leaves the machine and fixed ports (6379, 26379, cluster bus) cannot collide with
// anything else running here. Everything is removed on destroy(), and on process exit after a crash.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

const liveNamespaces = new Set<string>();
process.once('exit', () => {
  for (const ns of liveNamespaces) spawnSync('ip', ['netns', 'del', ns]);
});

function ip(args: readonly string[]): void {
  const result = spawnSync('ip', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ip ${args.join(' ')}: ${result.stderr.trim() || result.error?.message}`);
}

/** A before() hook body: skips the suite, saying why, where namespaces cannot be made. */
export function skipWithoutNetns(suite: Mocha.Context): void {
  const reason = netnsUnavailableReason();
  if (reason === null) return;
  console.log(`      skipped: ${reason}`);
  suite.skip();
}

/** Why namespaces cannot be used here, or null when they can (root, iproute2, a kernel that allows them). */
export function netnsUnavailableReason(): string | null {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (process.getuid?.() !== 0) return 'creating network namespaces needs root';
  const probe = `dn-probe-${randomBytes(4).toString('hex')}`;
  const added = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (added.error !== undefined) return `iproute2 is missing (${added.error.message})`;
  if (added.status !== 0) return `ip netns add fails here: ${added.stderr.trim()}`;
  spawnSync('ip', ['netns', 'del', probe]);
  return null;
}

export class TestNetwork {
  private readonly prefix = `dn-${randomBytes(3).toString('hex')}`;
  private readonly subnet: string;
  private readonly hosts = new Map<string, { ns: string; index: number }>();
  private readonly children = new Set<ChildProcess>();
  private readonly switchNs: string;

  constructor(hostNames: readonly string[]) {
    // 10.x.y.0/24 picked at random: only inside this test's namespaces.
    const random = randomBytes(2);
    this.subnet = `10.${200 + ((random[0] ?? 0) % 50)}.${random[1] ?? 0}`;
    this.switchNs = `${this.prefix}-sw`;
    try {
      this.addNamespace(this.switchNs);
      ip(['-n', this.switchNs, 'link', 'add', 'br0', 'type', 'bridge']);
      ip(['-n', this.switchNs, 'link', 'set', 'br0', 'up']);
      hostNames.forEach((name, index) => this.addHost(name, index));
    } catch (error) {
      this.destroyNamespaces();
      throw error;
    }
  }

  private addNamespace(ns: string): void {
    ip(['netns', 'add', ns]);
    liveNamespaces.add(ns);
    ip(['-n', ns, 'link', 'set', 'lo', 'up']);
  }

  private addHost(name: string, index: number): void {
    if (!/^[a-z][a-z0-9]{0,7}$/.test(name)) throw new RangeError(`bad host name ${name}`);
    const ns = `${this.prefix}-${name}`;
    this.addNamespace(ns);
    const port = `p${index}`;
    ip(['-n', this.switchNs, 'link', 'add', port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
    ip(['-n', this.switchNs, 'link', 'set', port, 'master', 'br0']);
    ip(['-n', this.switchNs, 'link', 'set', port, 'up']);
    ip(['-n', ns, 'addr', 'add', `${this.subnet}.${10 + index}/24`, 'dev', 'eth0']);
    ip(['-n', ns, 'link', 'set', 'eth0', 'up']);
    this.hosts.set(name, { ns, index });
  }

  private host(name: string): { ns: string; index: number } {
    const host = this.hosts.get(name);
    if (host === undefined) throw new RangeError(`no host ${name}`);
    return host;
  }

  address(name: string): string {
    return `${this.subnet}.${10 + this.host(name).index}`;
  }

  /** Starts a long-running process on a host; destroy() kills whatever is still running. */
  spawn(name: string, command: string, args: readonly string[], env: Record<string, string> = {}): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', this.host(name).ns, command, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', CI: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  /** Runs a command on a host to completion. */
  async run(
    name: string, command: string, args: readonly string[], env: Record<string, string> = {},
  ): Promise<ExecResult> {
    const child = this.spawn(name, command, args, env);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  }

  /** Cuts a host off the bridge (its own link stays up, as with a pulled cable at the switch). */
  cut(name: string): void {
    ip(['-n', this.switchNs, 'link', 'set', `p${this.host(name).index}`, 'down']);
  }

  heal(name: string): void {
    ip(['-n', this.switchNs, 'link', 'set', `p${this.host(name).index}`, 'up']);
  }

  private destroyNamespaces(): void {
    for (const ns of [...liveNamespaces].filter((candidate) => candidate.startsWith(`${this.prefix}-`))) {
      spawnSync('ip', ['netns', 'del', ns]);
      liveNamespaces.delete(ns);
    }
  }

  async destroy(): Promise<void> {
    const exits = [...this.children].map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) { resolve(); return; }
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    }));
    await Promise.all(exits);
    this.destroyNamespaces();
  }
}
