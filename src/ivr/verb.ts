// The IVR's vocabulary (STYLE: one file per verb, a registry map, named timeouts): what a menu or
// task is, the timings every prompt uses, and the two ways a dialog step ends early.
import type { IvrSession } from './session.js';

/** 120 s without a key (or, later, speech) ends the call (SPEC §6). */
export const inactivityHangUpMs = 120_000;
/** Time for the first key after a prompt before it is repeated. */
export const silenceTimeoutMs = 7_000;
/** Time between keys of a multi-key answer (a phone number). */
export const interDigitTimeoutMs = 4_000;
/** After this many failed answers to one question, the prompt is repeated with simpler options. */
export const failuresBeforeSimplerCount = 2;
/** Call state in Redis outlives a call dying with its process by this much, then expires. */
export const callStateTtlSeconds = 3_600;
/** At most this many audit sentences are read on the phone; the rest is on the web and in the log. */
export const auditLinesSpokenMax = 12;

export interface DialogTimings {
  readonly silenceTimeoutMs: number;
  readonly interDigitTimeoutMs: number;
  readonly inactivityHangUpMs: number;
}

export const defaultDialogTimings: DialogTimings = { silenceTimeoutMs, interDigitTimeoutMs, inactivityHangUpMs };

export const verbNames = [
  'captcha', 'main-menu', 'politics', 'name-delegate', 'vote', 'audit', 'recall', 'register', 'tell-me-about',
  'web-sign-in',
  'money',
] as const;

export type VerbName = (typeof verbNames)[number];

/** One menu or task of the dialog. `exec` returns when the task is done (back to the menu that ran it). */
export interface Verb {
  readonly name: VerbName;
  exec(session: IvrSession): Promise<void>;
}

export type VerbRegistry = ReadonlyMap<VerbName, Verb>;

/** The caller pressed * (or, later, said "menu"): unwinds to the main menu. */
export class MenuRequested extends Error {
  override name = 'MenuRequested';
}

export type CallOverReason = 'hangup' | 'inactive' | 'captcha-failed' | 'goodbye';

/** The call is over (the caller hung up, went silent, or failed the captcha): unwinds the dialog. */
export class CallOver extends Error {
  override name = 'CallOver';
  constructor(readonly reason: CallOverReason) {
    super(`call over: ${reason}`);
  }
}
