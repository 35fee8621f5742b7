// Which MLLR transform the decoder applies to the model's Gaussians (pocketsphinx's -mllr): the generic
// telephone-channel transform committed in models/telephone-mllr/ (made by scripts/adapt-telephone-model
// from TTS voices that are not the corpus's held-out ones), none, or an operator's own file.
// POCKETSPHINX_MLLR in the configuration; see models/README.md for how the committed one was made.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageRoot } from '../../roll/data-dir.js';
import { RecognizerUnavailableError } from '../recognizer.js';

/**
 * `telephone`: the committed transform; `telephone-noisy`: the committed noisy-line one; `off`: the model as
 * Debian ships it; anything else: a file path.
 */
export type MllrSetting = string;

/**
 * Off unless configured: the committed transform gains on the held-out telephone corpus (47 against 33 of
 * 80 right, names 17 against 10 of 32) but makes more confident mistakes (19 against 18: phone numbers 5
 * against 1, names 2 against 1) and loses one of the recognizer test's ten clean, unfiltered 8 kHz
 * utterances (figures in models/README.md).
 */
export const mllrSettingDefault: MllrSetting = 'off';

/**
 * The number contexts (amounts, digit strings, phone numbers, spelled surnames, bills, menu commands, names)
 * decode with the telephone transform: there it turns rejections into right answers (context-mllr.ts has the
 * figures, numberContexts; models/README.md the transform's).
 */
export const numberMllrSettingDefault: MllrSetting = 'telephone';

/**
 * On a noisy line (POCKETSPHINX_NOISY_LINE_SNR_DB) every answer decodes with the transform made on such lines
 * (`scripts/adapt-telephone-model --condition snr10`; context-mllr.ts has why and when).
 */
export const noisyMllrSettingDefault: MllrSetting = 'telephone-noisy';

const relativePath = join('models', 'telephone-mllr', 'mllr_matrix');
const noisyRelativePath = join('models', 'telephone-mllr-noisy', 'mllr_matrix');

/** `<repo>/models/telephone-mllr/mllr_matrix`; `variable` names the setting that asked for it. */
export function telephoneMllrPath(variable = 'POCKETSPHINX_MLLR'): string {
  return committedPath(relativePath, '', variable);
}

/** `<repo>/models/telephone-mllr-noisy/mllr_matrix`. */
export function noisyTelephoneMllrPath(variable = 'POCKETSPHINX_NOISY_MLLR'): string {
  return committedPath(noisyRelativePath, ' --condition snr10', variable);
}

function committedPath(relative: string, scriptArguments: string, variable: string): string {
  const path = join(packageRoot(), relative);
  if (existsSync(path)) return path;
  throw new RecognizerUnavailableError(`the telephone MLLR transform ${relative} is missing (make it with `
    + `scripts/adapt-telephone-model${scriptArguments}, or set ${variable}=off)`);
}

/**
 * The file to pass as -mllr, or null for none; a clear error, naming the `variable` it came from, when a
 * configured file does not exist or is not a transform.
 */
export function resolveMllr(setting: MllrSetting = mllrSettingDefault, variable = 'POCKETSPHINX_MLLR'): string | null {
  const value = setting.trim();
  const named = value.toLowerCase();
  if (named === 'off') return null;
  const path = named === 'telephone' ? telephoneMllrPath(variable)
    : named === 'telephone-noisy' ? noisyTelephoneMllrPath(variable) : resolve(value);
  if (!existsSync(path)) {
    throw new RecognizerUnavailableError(`${variable}: ${path} does not exist `
      + '(give an mllr_matrix from sphinxtrain\'s mllr_solve, "telephone", "telephone-noisy" or "off")');
  }
  checkMllrFile(path, variable);
  return path;
}

/**
 * Checks a sphinxtrain mllr_matrix before a decoder reads it (pocketsphinx would only say it could not
 * create a decoder): class and stream counts, then per class and stream the vector length, its square
 * matrix A, bias b and variance scale, all finite numbers and nothing left over.
 */
export function checkMllrFile(path: string, variable = 'POCKETSPHINX_MLLR'): void {
  const fail = (reason: string): never => {
    throw new RecognizerUnavailableError(`${variable}: ${path} is not an MLLR transform: ${reason}`);
  };
  const tokens = readFileSync(path, 'utf8').split(/\s+/).filter((token) => token !== '');
  const numbers = tokens.map(Number);
  if (numbers.some((value) => !Number.isFinite(value))) fail('it holds something other than numbers');
  let at = 0;
  const next = (): number => {
    if (at >= numbers.length) fail('it ends early');
    return numbers[at++] ?? Number.NaN;
  };
  const classes = next();
  const streams = next();
  if (!Number.isInteger(classes) || classes < 1 || !Number.isInteger(streams) || streams < 1) {
    fail('bad class or stream count');
  }
  for (let block = 0; block < classes * streams; block++) {
    const length = next();
    if (!Number.isInteger(length) || length < 1 || length > 256) fail(`bad vector length ${length}`);
    for (let value = 0; value < length * length + 2 * length; value++) next();
  }
  if (at !== numbers.length) fail(`${numbers.length - at} numbers after the last block`);
}
