// Runs test/sipp/stir-screen.xml: one sipp process places one INVITE per case, one after another,
// and logs the final response each got. Cases go in through an injection file (-inf), so a whole
// matrix costs one sipp start and one scenario file.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSipp, type SippResult } from '../telephony/support/sipp.js';

export interface ScreenCase {
  /** Letters, digits and dashes: it labels the call in sipp's log. */
  name: string;
  caller: string;
  /** 'Identity', its compact form 'y', or another name for a call that carries no Identity. */
  headerName?: string;
  token: string;
  info: string;
  alg?: string;
  ppt?: string;
}

export interface ScreenOutcome {
  name: string;
  callId: string;
  status: number;
  phrase: string;
  retryAfterSeconds: number | null;
}

const injectedFieldPattern = /^[^;\r\n]*$/;

function injectionLine(entry: ScreenCase): string {
  const fields = [entry.name, entry.caller, entry.headerName ?? 'Identity', entry.token, entry.info,
    entry.alg ?? 'ES256', entry.ppt ?? 'shaken'];
  for (const field of fields) {
    // sipp splits fields on ';' and has no escape; a case that needs one cannot be expressed here.
    if (!injectedFieldPattern.test(field)) throw new RangeError(`case ${entry.name}: a field holds ';' or a newline`);
  }
  return fields.join(';');
}

export async function screenCalls(options: { cases: readonly ScreenCase[]; target: string; cwd: string }):
  Promise<{ sipp: SippResult; outcomes: ScreenOutcome[] }> {
  const { cases, cwd } = options;
  if (new Set(cases.map((entry) => entry.name)).size !== cases.length) throw new RangeError('case names must differ');
  writeFileSync(join(cwd, 'cases.csv'), ['SEQUENTIAL', ...cases.map(injectionLine)].join('\n') + '\n');
  const sipp = await runSipp({
    scenario: 'stir-screen.xml', target: options.target, cwd, timeoutMs: 20_000 + cases.length * 2_000,
    // One call at a time, in file order: the replay case needs its first use to come first.
    extraArgs: ['-inf', join(cwd, 'cases.csv'), '-m', String(cases.length), '-l', '1', '-r', '50', '-trace_logs',
      '-s', '+13195550199'],
  });
  const logFile = readdirSync(cwd).find((name) => name.endsWith('_logs.log'));
  const text = logFile === undefined ? '' : readFileSync(join(cwd, logFile), 'latin1');
  const outcomes = text.split('\n').filter((line) => line.startsWith('outcome|')).map((line) => {
    const [, name = '', callId = '', status = '', phrase = '', retryAfter = ''] = line.split('|');
    return { name, callId, status: Number(status), phrase, retryAfterSeconds: retryAfter === '' ? null : Number(retryAfter) };
  });
  return { sipp, outcomes };
}
