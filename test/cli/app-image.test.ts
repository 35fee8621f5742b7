// The app image (Dockerfile, .dockerignore) and the compose files that run it, checked without a Docker
// engine (none on these machines): every setting the compose files give the image is one the app reads, and
// the image's files (what its runtime stage copies, less what .dockerignore keeps out of the build context) are
// enough for the compose file's ASR worker to start with the engine .env.example names. Both once failed
// unseen: the worker was given VOSK_MODEL_DIR, which nothing reads, and the image had neither pocketsphinx
// nor the telephone transforms its defaults load.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { settingNames } from '../../src/config/config.js';

const repo = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const read = (path: string): string => readFileSync(join(repo, path), 'utf8');
/** Read by Node or libuv themselves, not by the configuration. */
const processSettings = ['NODE_ENV', 'UV_THREADPOOL_SIZE'];

interface ComposeService {
  build?: unknown;
  command?: string[];
  environment?: Record<string, unknown> | string[];
}

function servicesOf(file: string): Record<string, ComposeService> {
  const document = parseDocument(read(file), { merge: true });
  expect(document.errors, file).to.deep.equal([]);
  return (document.toJS() as { services: Record<string, ComposeService> }).services;
}

function environmentOf(service: ComposeService): Record<string, string> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(environment.map((entry) => [entry.split('=')[0] ?? '', entry.split('=').slice(1).join('=')]));
  }
  return Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, String(value)]));
}

/** The Dockerfile's last stage: the image that runs. */
function runtimeStage(): string {
  const dockerfile = read('Dockerfile');
  return dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
}

function imageEnvironment(): Record<string, string> {
  const line = /^ENV (.+)$/m.exec(runtimeStage())?.[1] ?? '';
  return Object.fromEntries([...line.matchAll(/(\w+)=(\S+)/g)].map((match) => [match[1] ?? '', match[2] ?? '']));
}

/** Whether .dockerignore keeps a repository path out of the build context (Docker's rules: the last match wins). */
function ignoredByDocker(path: string, patterns: readonly string[]): boolean {
  let ignored = false;
  for (const line of patterns) {
    const negated = line.startsWith('!');
    const glob = (negated ? line.slice(1) : line).replace(/\/$/, '');
    const pattern = new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000')
      .replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]').replace(/\u0000/g, '.*')}(/.*)?$`);
    if (pattern.test(path)) ignored = !negated;
  }
  return ignored;
}

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => filesUnder(join(path, name)));
}

/**
 * The runtime stage's files laid out in `root`: each COPY from the build context as Docker would send it,
 * and what the build stage makes (compiled code, production modules) from this checkout's own build.
 */
function layOutImage(root: string): void {
  const ignore = read('.dockerignore').split('\n').map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  for (const [, from, source = '', target = ''] of runtimeStage().matchAll(/^COPY (--from=\w+ )?(\S+) (\S+)$/gm)) {
    // A target ending in / is a folder the source goes into, as Docker reads it.
    const destination = join(root, target, target.endsWith('/') ? basename(source) : '');
    if (from !== undefined) {
      const built = relative('/app', source);
      if (built === 'node_modules') symlinkSync(join(repo, built), destination);
      else cpSync(join(repo, built), destination, { recursive: true });
      continue;
    }
    for (const file of filesUnder(join(repo, source))) {
      const inRepo = relative(repo, file);
      if (ignoredByDocker(inRepo, ignore)) continue;
      const to = join(destination, relative(join(repo, source), file));
      mkdirSync(dirname(to), { recursive: true });
      cpSync(file, to);
    }
  }
}

/** Runs the CLI from the laid-out image; resolves with its output once `until` appears or it exits. */
function runImage(root: string, args: string[], env: Record<string, string>, until: string):
  Promise<{ output: string; code: number | null }> {
  const child = spawn(process.execPath, ['dist/src/cli/main.js', ...args], {
    cwd: root, env: { PATH: process.env.PATH ?? '', CI: 'true', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stopping = false;
  return new Promise((resolvePromise) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (stopping || !output.includes(until)) return;
      stopping = true;
      child.kill('SIGTERM');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => resolvePromise({ output, code }));
  });
}

describe('the app image and the compose files that run it', function () {
  this.timeout(120_000);

  it('gives the image only settings the app reads', () => {
    const known = new Set([...settingNames, ...processSettings]);
    for (const name of Object.keys(imageEnvironment())) expect(known.has(name), `Dockerfile ENV ${name}`).to.equal(true);
    for (const file of ['docker-compose.yml', 'docker-compose.ha.yml', 'docker-compose.cluster.yml']) {
      for (const [service, definition] of Object.entries(servicesOf(file))) {
        if (definition.build === undefined) continue;
        for (const name of Object.keys(environmentOf(definition))) {
          expect(known.has(name), `${file} ${service}: ${name} is not a setting the app reads`).to.equal(true);
        }
      }
    }
  });

  it('installs the speech engine that needs no download in the image', () => {
    const packages = /apt-get install[^\n]*/.exec(runtimeStage().replace(/\\\n/g, ' '))?.[0] ?? '';
    for (const needed of ['libpocketsphinx3', 'pocketsphinx-en-us']) expect(packages).to.include(needed);
  });

  it('starts the compose file\'s ASR worker from the image\'s files, and names a missing Vosk model', async () => {
    const asr = servicesOf('docker-compose.yml').asr;
    expect(asr, 'docker-compose.yml has an asr service').to.not.equal(undefined);
    const command = (asr?.command ?? []).map((word) => word.replace(/\$\{ASR_ENGINE:-(\w+)\}/, '$1'));
    const engineAt = command.indexOf('--engine') + 1;
    const configured = /^ASR_ENGINE=(\w+)$/m.exec(read('.env.example'))?.[1];
    expect(configured, '.env.example names the workers\' engine').to.not.equal(undefined);
    expect(command[engineAt], 'the compose default is the engine .env.example names').to.equal(configured);
    const root = mkdtempSync(join(tmpdir(), 'dn-image-'));
    try {
      layOutImage(root);
      const env = { ...imageEnvironment(), ...environmentOf(asr ?? {}), DATA_DIR: join(root, 'data-dir'),
        LOG_LEVEL: 'warn' };
      const args = command.map((word) => (word === '0.0.0.0:50051' ? '127.0.0.1:0' : word));
      const started = await runImage(root, args, env, 'asr-worker listening on');
      expect(started.output).to.match(new RegExp(`asr-worker listening on 127\\.0\\.0\\.1:\\d+ \\(engine ${configured}\\)`));
      expect(started.output).to.include('asr-worker stopped');
      expect(started.code).to.equal(0);
      // Asked for Vosk before a model is unpacked where the compose file mounts it: refused, saying where.
      args[engineAt] = 'vosk';
      const refused = await runImage(root, args, env, 'asr-worker listening on');
      expect(refused.code).to.not.equal(0);
      expect(refused.output).to.include(`VOSK_MODEL ${environmentOf(asr ?? {}).VOSK_MODEL} does not exist`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
