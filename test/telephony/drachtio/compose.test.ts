// docker-compose.yml is validated by Debian's docker-compose (no engine needed), and everything the
// services mount or build from exists in the repository and agrees with what the code expects:
// FreeSWITCH's profile name (drachtio-fsmrf looks for drachtio_mrf), its modules, the dialplan's
// X-esl-outbound socket, the RTP range published versus configured, the event-socket password.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
const repo = resolve(fileURLToPath(new URL('../../../..', import.meta.url)));
const compose = readFileSync(join(repo, 'docker-compose.yml'), 'utf8');
const fsConf = (path: string): string => readFileSync(join(repo, 'freeswitch-conf', path), 'utf8');

describe('docker-compose.yml and freeswitch-conf/', function () {
  this.timeout(60_000);

  it('passes `docker-compose config -q` with .env.example as the .env', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dn-compose-'));
    try {
      copyFileSync(join(repo, 'docker-compose.yml'), join(dir, 'docker-compose.yml'));
      copyFileSync(join(repo, '.env.example'), join(dir, '.env'));
      copyFileSync(join(repo, 'Dockerfile'), join(dir, 'Dockerfile'));
      for (const folder of ['freeswitch-conf', 'models']) symlinkSync(join(repo, folder), join(dir, folder));
      await run('docker-compose', ['config', '-q'], { cwd: dir });
      const { stdout } = await run('docker-compose', ['config', '--services'], { cwd: dir });
      expect(stdout.trim().split('\n').sort()).to.deep.equal(['app', 'asr', 'drachtio', 'freeswitch', 'redis', 'redis-replica']);
      // Without .env (the secrets) the file refuses to start rather than run with defaults.
      rmSync(join(dir, '.env'));
      const refused = await run('docker-compose', ['config', '-q'], { cwd: dir }).then(() => null, (error: { stderr: string }) => error);
      expect(refused?.stderr).to.match(/set (EXTERNAL_IP|DRACHTIO_SECRET|FREESWITCH_ESL_PASSWORD) in \.env|\.env/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('mounts and builds only from paths that exist in the repository', () => {
    const bindMounts = [...compose.matchAll(/^\s*- (\.\/[^:\s]+):/gm)].map((m) => m[1] ?? '');
    expect(bindMounts).to.include.members(['./freeswitch-conf', './models']);
    for (const path of bindMounts) expect(existsSync(join(repo, path)), path).to.equal(true);
    expect(compose.match(/^\s*build: \.$/gm)).to.have.length(2);
    expect(existsSync(join(repo, 'Dockerfile'))).to.equal(true);
    const dockerfile = readFileSync(join(repo, 'Dockerfile'), 'utf8');
    for (const [, source] of dockerfile.matchAll(/^COPY (?!--from)(\S+)/gm)) {
      expect(existsSync(join(repo, source ?? '')), `Dockerfile COPY ${source}`).to.equal(true);
    }
    expect(dockerfile).to.match(/^USER delegate$/m);
  });

  it('configures FreeSWITCH the way drachtio-fsmrf and the app expect', () => {
    const root = fsConf('freeswitch.xml');
    for (const [, include] of root.matchAll(/cmd="include" data="([^"]+)"/g)) {
      const [folder, pattern] = (include ?? '').includes('/') ? (include ?? '').split('/') : ['.', include ?? ''];
      const files = readdirSync(join(repo, 'freeswitch-conf', folder ?? '.'))
        .filter((name) => (pattern === '*.xml' ? name.endsWith('.xml') : name === pattern));
      expect(files.length, include).to.be.greaterThan(0);
    }
    expect(fsConf('sip_profiles/drachtio_mrf.xml')).to.match(/<profile name="drachtio_mrf">/);
    expect(fsConf('sip_profiles/drachtio_mrf.xml')).to.match(/name="context" value="mrf"/);
    expect(fsConf('dialplan/mrf.xml')).to.match(/<context name="mrf">/);
    expect(fsConf('dialplan/mrf.xml')).to.match(/sip_h_X-esl-outbound.*[\s\S]*application="socket" data="\$1 async full"/);
    const modules = [...fsConf('autoload_configs/modules.conf.xml').matchAll(/module="(\w+)"/g)].map((m) => m[1]);
    expect(modules).to.include.members(['mod_event_socket', 'mod_sofia', 'mod_dptools', 'mod_commands', 'mod_sndfile', 'mod_audio_fork']);
    expect(fsConf('autoload_configs/event_socket.conf.xml')).to.match(/name="password" value="\$\$\{esl_password\}"/);
    expect(fsConf('vars.xml')).to.match(/esl_password=printenv FREESWITCH_ESL_PASSWORD/);
    // The RTP range FreeSWITCH uses is the one docker-compose publishes.
    const start = /rtp-start-port" value="(\d+)"/.exec(fsConf('autoload_configs/switch.conf.xml'))?.[1];
    const end = /rtp-end-port" value="(\d+)"/.exec(fsConf('autoload_configs/switch.conf.xml'))?.[1];
    expect(compose).to.include(`"${start}-${end}:${start}-${end}/udp"`);
    // FreeSWITCH reaches the app's audio fork websocket by the advertised name, on the port the app listens on.
    expect(compose).to.match(/ESL_ADVERTISED_ADDRESS: app\n/);
    expect(/AUDIO_FORK_LISTEN: 0\.0\.0\.0:(\d+)/.exec(compose)?.[1]).to.equal('8086');
  });
});
