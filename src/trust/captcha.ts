// The keypad captcha every call passes first (SPEC §2): two random digits, keyed back. A pure state
// machine: the dialog plays the prompt, collects digits and feeds them in; randomness is injected.

export const captchaDigitCount = 2;
/** The second wrong answer ends the call politely; robo-dialers rarely get even one right. */
export const captchaAttemptsMax = 2;
export const captchaHangUpPrompt = "Sorry, we couldn't confirm that you're a person. Please call again later. Goodbye.";

export interface CaptchaState {
  readonly digits: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
}

export type CaptchaStep =
  | { kind: 'passed' }
  | { kind: 'retry'; state: CaptchaState; prompt: string }
  | { kind: 'hang-up'; prompt: string };

/** Returns an integer 0-9; the dialog passes crypto.randomInt-based digits, tests a script. */
export type DigitSource = () => number;

function drawDigits(random: DigitSource): string {
  let digits = '';
  for (let i = 0; i < captchaDigitCount; i++) {
    const digit = random();
    if (!Number.isInteger(digit) || digit < 0 || digit > 9) throw new RangeError(`random digit ${digit} is not 0-9`);
    digits += String(digit);
  }
  return digits;
}

function spoken(digits: string): string {
  return digits.split('').join(' ');
}

export function startCaptcha(random: DigitSource): { state: CaptchaState; prompt: string } {
  const state = { digits: drawDigits(random), attempt: 1 };
  return { state, prompt: `To prove you're a person, enter these two numbers: ${spoken(state.digits)}` };
}

/** `keyed` is what the caller typed ('' on timeout). A retry gets fresh digits. */
export function answerCaptcha(state: CaptchaState, keyed: string, random: DigitSource): CaptchaStep {
  if (state.attempt < 1 || state.attempt > captchaAttemptsMax) throw new RangeError(`bad attempt ${state.attempt}`);
  if (keyed === state.digits) return { kind: 'passed' };
  if (state.attempt >= captchaAttemptsMax) return { kind: 'hang-up', prompt: captchaHangUpPrompt };
  const next = { digits: drawDigits(random), attempt: state.attempt + 1 };
  return { kind: 'retry', state: next, prompt: `That wasn't right. Please enter these two numbers: ${spoken(next.digits)}` };
}
