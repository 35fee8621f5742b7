// The TTS voices the corpus is spoken with (three engines, several voices, rates and pitches). The
// held-out voices are never used to tune anything: their results are the ones that count.
import { spawn } from 'node:child_process';

export interface TtsVoice {
  /** Stable id used in file names and the manifest, e.g. "flite-kal". */
  readonly id: string;
  readonly engine: 'flite' | 'espeak-ng' | 'festival';
  readonly heldOut: boolean;
  /** Command and arguments; `{text}` and `{out}` are replaced. */
  readonly command: readonly string[];
}

function flite(voice: string, heldOut: boolean): TtsVoice {
  return { id: `flite-${voice}`, engine: 'flite', heldOut, command: ['flite', '-voice', voice, '-t', '{text}', '-o', '{out}'] };
}

function espeak(voice: string, rate: number, pitch: number, heldOut: boolean): TtsVoice {
  return { id: `espeak-${voice.replace('+', '-')}-s${rate}-p${pitch}`, engine: 'espeak-ng', heldOut,
    command: ['espeak-ng', '-v', voice, '-s', String(rate), '-p', String(pitch), '-w', '{out}', '{text}'] };
}

function festival(voice: string, heldOut: boolean): TtsVoice {
  return { id: `festival-${voice.replace(/_/g, '-')}`, engine: 'festival', heldOut,
    command: ['text2wave', '-eval', `(voice_${voice})`, '-o', '{out}', '{textfile}'] };
}

export const ttsVoices: readonly TtsVoice[] = [
  flite('kal', false),
  flite('awb', false),
  flite('slt', false),
  espeak('en-us', 165, 50, false),
  espeak('en-us+m3', 150, 40, false),
  festival('kal_diphone', false),
  festival('cmu_us_slt_arctic_hts', false),
  // Held out: other speakers, another accent, other rates and pitches.
  flite('rms', true),
  espeak('en-us+f2', 180, 65, true),
  espeak('en+m7', 140, 45, true),
  festival('ked_diphone', true),
];

/** Debian packages that provide the voices above (the generator checks for them). */
export const ttsDebianPackages = ['flite', 'espeak-ng', 'festival', 'festvox-kallpc16k', 'festvox-kdlpc16k',
  'festvox-us-slt-hts', 'sox', 'lame'] as const;

/** Runs a command to completion; rejects with its stderr when it fails. */
export function runTool(command: readonly string[]): Promise<void> {
  const [program, ...args] = command;
  if (program === undefined) return Promise.reject(new Error('empty command'));
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${program} exited with ${code}: ${stderr.trim().slice(0, 400)}`));
    });
  });
}

/** Speaks `text` with `voice` into the WAV file `out` (any rate; the channel resamples). */
export function speak(voice: TtsVoice, text: string, out: string, textFile: string): Promise<void> {
  return runTool(voice.command.map((part) => part.replace('{text}', text).replace('{out}', out)
    .replace('{textfile}', textFile)));
}
