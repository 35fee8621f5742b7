// pki init | issue-sp | sign: a test STIR/SHAKEN PKI so operators can try their verifier setup
// (trust anchors, x5u hosting, policies) without a real STI-CA. Keys are unencrypted: test only.
import type { Command } from 'commander';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizePhone } from '../../config/phone.js';
import {
  createIntermediateCa, createRootCa, identityHeaderValue, issueServiceProvider, signPassport, type PkiMember,
} from '../../trust/test-pki.js';
import { print, UsageError } from '../run.js';

const privateKeyFileMode = 0o600;

function readMember(dir: string, name: string): PkiMember {
  const certificatePath = join(dir, `${name}.pem`);
  const keyPath = join(dir, `${name}.key`);
  if (!existsSync(certificatePath) || !existsSync(keyPath)) {
    throw new UsageError(`${certificatePath} or ${keyPath} is missing (run pki init / pki issue-sp first)`);
  }
  return { certificatePem: readFileSync(certificatePath, 'utf8'), privateKeyPem: readFileSync(keyPath, 'utf8') };
}

function writeMember(dir: string, name: string, member: PkiMember): void {
  writeFileSync(join(dir, `${name}.pem`), member.certificatePem);
  writeFileSync(join(dir, `${name}.key`), member.privateKeyPem, { mode: privateKeyFileMode });
}

/** PASSporT tn claims are E.164 digits without '+': "1" and the 10-digit number. */
function e164Digits(raw: string, what: string): string {
  const national = normalizePhone(raw);
  if (national === null) throw new UsageError(`${what} must be a 10-digit phone number, got "${raw}"`);
  return `1${national}`;
}

function parseSpc(raw: string): string {
  if (!/^[0-9A-Za-z]{1,16}$/.test(raw)) throw new UsageError(`--spc must be 1-16 letters or digits, got "${raw}"`);
  return raw;
}

/** The service provider to sign as: --spc, or the only one issued in the directory. */
function serviceProviderName(dir: string, spc: string | undefined): string {
  if (spc !== undefined) return `sp-${parseSpc(spc)}`;
  const issued = readdirSync(dir).filter((name) => /^sp-[0-9A-Za-z]+\.key$/.test(name)).map((name) => name.slice(0, -4));
  if (issued.length !== 1 || issued[0] === undefined) {
    throw new UsageError(`${dir} holds ${issued.length} service-provider keys; name one with --spc`);
  }
  return issued[0];
}

export function registerPkiCommands(program: Command): void {
  const pki = program.command('pki').description('test STIR/SHAKEN PKI: root and intermediate STI-CA, SP certificates, PASSporTs');

  pki.command('init')
    .description('create a root STI-CA and an intermediate in a directory (test only: keys are unencrypted)')
    .requiredOption('--dir <dir>', 'where to write root.pem/.key and intermediate.pem/.key')
    .option('--force', 'overwrite an existing PKI')
    .action(async (options: { dir: string; force?: boolean }) => {
      if (existsSync(join(options.dir, 'root.key')) && options.force !== true) {
        throw new UsageError(`${options.dir} already holds a PKI (use --force to replace it)`);
      }
      mkdirSync(options.dir, { recursive: true });
      const root = await createRootCa();
      writeMember(options.dir, 'root', root);
      writeMember(options.dir, 'intermediate', await createIntermediateCa({ issuer: root }));
      print(`trust anchor: ${join(options.dir, 'root.pem')} (set STIR_SHAKEN_TRUST_ANCHORS to it)`);
      print(`intermediate: ${join(options.dir, 'intermediate.pem')}`);
    });

  pki.command('issue-sp')
    .description('issue a SHAKEN service-provider certificate with a TNAuthList')
    .requiredOption('--dir <dir>', 'the PKI directory from pki init')
    .requiredOption('--spc <code>', 'service provider code for the TNAuthList, e.g. 1234')
    .option('--tn <numbers...>', 'also list these telephone numbers in the TNAuthList')
    .action(async (options: { dir: string; spc: string; tn?: string[] }) => {
      const spc = parseSpc(options.spc);
      const tns = (options.tn ?? []).map((tn) => e164Digits(tn, '--tn'));
      const provider = await issueServiceProvider({ issuer: readMember(options.dir, 'intermediate'), spc, tns });
      writeMember(options.dir, `sp-${spc}`, provider);
      writeFileSync(join(options.dir, `sp-${spc}-chain.pem`), provider.chainPem);
      print(`certificate: ${join(options.dir, `sp-${spc}.pem`)}`);
      print(`serve at your x5u URL (HTTPS): ${join(options.dir, `sp-${spc}-chain.pem`)}`);
    });

  pki.command('sign')
    .description('sign a SHAKEN PASSporT and print the Identity header value')
    .requiredOption('--dir <dir>', 'the PKI directory')
    .requiredOption('--orig <number>', 'calling number')
    .requiredOption('--dest <number>', 'called number')
    .requiredOption('--attest <level>', 'attestation: A, B or C')
    .requiredOption('--x5u <url>', 'HTTPS URL where the sp-<spc>-chain.pem is served')
    .option('--spc <code>', 'which service provider signs (default: the only one issued)')
    .action(async (options: { dir: string; orig: string; dest: string; attest: string; x5u: string; spc?: string }) => {
      const attest = options.attest.toUpperCase();
      if (attest !== 'A' && attest !== 'B' && attest !== 'C') throw new UsageError('--attest must be A, B or C');
      if (!options.x5u.startsWith('https://')) throw new UsageError('--x5u must be an https:// URL');
      const signer = readMember(options.dir, serviceProviderName(options.dir, options.spc));
      const token = await signPassport({
        orig: e164Digits(options.orig, '--orig'), dest: e164Digits(options.dest, '--dest'), attest, x5u: options.x5u,
      }, signer.privateKeyPem);
      print(identityHeaderValue(token, options.x5u));
    });
}
