// One call's dialog state and the prompt/listen step every menu uses: long prompts for first-time
// callers, short for returning ones; "help" and "menu" at any prompt; silence re-prompts; two
// failures bring simpler options; 120 s of inactivity ends the call. Call state is mirrored to Redis
// (with an expiry) so any app process can see it; the dialog logic itself stays in this process.
import type { Redis } from 'ioredis';
import type { AppContext } from '../app/context.js';
import type { Caller } from '../core/caller.js';
import { invariant } from '../core/invariant.js';
import type { Jurisdiction } from '../roll/jurisdiction.js';
import type { DigitSource } from '../trust/captcha.js';
import type { CallChannel, PlayResult } from './call-channel.js';
import { spokenDigits } from './choices.js';
import type { Heard, Listener } from './listener.js';
import type { NameLookup } from './pick-voter.js';
import { parseYesNo } from '../speech/parse/index.js';
import { interpretSpeech, type SpokenAnswers } from './spoken-answer.js';
import {
  callStateTtlSeconds, CallOver, failuresBeforeSimplerCount, MenuRequested,
  type DialogTimings, type VerbName, type VerbRegistry,
} from './verb.js';

export interface Synthesizer {
  synthesize(text: string): Promise<Int16Array>;
}

/** What was said on the call, for tests and (without numbers) for debugging. */
export interface TranscriptLine {
  readonly who: 'system' | 'caller';
  readonly text: string;
}

export interface SessionServices {
  readonly context: Pick<AppContext, 'democracy' | 'callers' | 'store' | 'roll' | 'auditLog' | 'keys' | 'money'>;
  readonly redis: Redis;
  readonly jurisdiction: Jurisdiction;
  readonly synthesizer: Synthesizer;
  readonly timings: DialogTimings;
  readonly captchaDigits: DigitSource;
  readonly tellMeAboutText: string;
  readonly transcript?: (line: TranscriptLine) => void;
  /** The roll's names for naming a person by voice or by keypad letters; absent: by phone number only. */
  readonly names?: NameLookup;
  /** Where a question's trouble that the caller need not hear is told (e.g. a bill grammar that failed). */
  readonly logger?: { warn(object: object, message: string): void };
}

/** One question: a short prompt, the long one (first call, or "help"), and simpler options after failures. */
export interface Question<T> {
  readonly prompt: string;
  readonly long?: string;
  readonly simpler?: string;
  readonly maxKeys: number;
  readonly terminators?: string;
  /** The answer, or null when the keys are not one (the caller hears so and is asked again). */
  accept(keys: string): T | null;
  /** Spoken answers: the grammar and what the words mean. Without it the question is keypad-only. */
  readonly speech?: SpokenAnswers<T>;
}

export const helpHint = 'Press star at any time for the menu.';

export const notVerifiedSentence =
  'This call could not be verified, so you can listen to tallies and audits, but not vote, delegate or recall.';

export class IvrSession {
  caller: Caller | null = null;
  verified = false;
  /** A returning caller hears short prompts; first-time callers the long ones. */
  returning = false;
  /** Things that happen once per call, e.g. being asked to name a first delegate. */
  readonly done = new Set<string>();
  private lastActivityAt = Date.now();
  readonly stateKey: string;

  constructor(
    readonly channel: CallChannel,
    readonly services: SessionServices,
    private readonly listener: Listener,
    private readonly registry: VerbRegistry,
  ) {
    this.stateKey = services.context.keys.key('call', channel.callId);
  }

  /** Whether the caller can answer by voice on this call (prompts then say so). */
  get speaks(): boolean {
    return this.listener.speaks;
  }

  /** Whether a question's run-time grammar is heard (Listener.takesGrammars). */
  get takesGrammars(): boolean {
    return this.listener.takesGrammars;
  }

  get context(): SessionServices['context'] {
    return this.services.context;
  }

  async run(name: VerbName): Promise<void> {
    const verb = this.registry.get(name);
    invariant(verb !== undefined, `verb ${name} is registered`);
    await this.remember({ menu: name });
    await verb.exec(this);
  }

  /** Mirrors call state (menu position, caller id, counters) to Redis, refreshing its expiry. */
  async remember(fields: Record<string, string | number>): Promise<void> {
    await this.services.redis.multi()
      .hset(this.stateKey, { ...fields, updatedAt: Date.now() })
      .expire(this.stateKey, callStateTtlSeconds)
      .exec();
  }

  /** Says `text`; a key press interrupts it (the key stays for the next answer). */
  async say(text: string): Promise<PlayResult> {
    this.services.transcript?.({ who: 'system', text });
    const audio = await this.services.synthesizer.synthesize(text);
    const result = await this.channel.play(audio, { interruptible: true });
    if (result === 'hangup') throw new CallOver('hangup');
    return result;
  }

  /** Asks until an acceptable answer comes; throws MenuRequested on "menu", CallOver when the call ends. */
  async ask<T>(question: Question<T>): Promise<T> {
    invariant(question.maxKeys >= 1 && question.maxKeys <= 20, 'a question takes 1-20 keys');
    invariant(question.prompt.length > 0, 'a question has a prompt');
    let failures = 0;
    let preface = '';
    let help = false;
    for (;;) {
      const useSimpler = failures >= failuresBeforeSimplerCount && question.simpler !== undefined;
      const full = useSimpler ? question.simpler : this.returning ? question.prompt : question.long ?? question.prompt;
      const heard = await this.listen(question, help ? `${question.long ?? question.prompt} ${helpHint}` : `${preface}${full}`);
      help = false;
      if (heard.kind === 'command' && heard.command === 'menu') throw new MenuRequested();
      if (heard.kind === 'command') {
        help = true;
        continue;
      }
      if (heard.kind === 'keys') {
        const answer = question.accept(heard.keys);
        if (answer !== null) return answer;
        preface = `You pressed ${spokenDigits(heard.keys)}. That is not one of the choices. `;
      } else if (heard.kind === 'speech' && question.speech !== undefined) {
        const readings = { hypotheses: heard.hypotheses, alongside: heard.alongside ?? [] };
        const narrowed = question.speech.narrow === undefined ? readings : await question.speech.narrow(readings);
        const spoken = interpretSpeech(question.speech, narrowed.hypotheses, narrowed.alongside);
        if (spoken.kind === 'sure') return spoken.answer;
        if (spoken.kind === 'unsure') {
          // The first meaning, then the runner-up if the question offers one, each readied while read back.
          for (const offer of spoken.runnerUp === undefined ? [spoken] : [spoken, spoken.runnerUp]) {
            const next = question.speech.nextSpeech?.(offer.answer) ?? null;
            if (next !== null) this.listener.prepare?.(next);
            if (await this.confirmHeard(offer.said)) return offer.answer;
          }
        }
        preface = spoken.kind === 'unsure' ? 'All right. '
          : spoken.said.length > 0 ? `I heard you say ${spoken.said}. That is not one of the choices. `
            : "Sorry, I didn't understand that. ";
      } else {
        preface = "Sorry, I didn't hear anything. ";
      }
      failures += 1;
      await this.services.redis.hincrby(this.stateKey, 'failures', 1);
    }
  }

  /** "I heard you say …": a spoken answer the recognizer was unsure of is read back before it counts. */
  private async confirmHeard(said: string): Promise<boolean> {
    return this.ask({
      prompt: `I heard you say ${said}. Is that right? Say yes or no, or press 1 for yes, 2 for no.`,
      simpler: 'Press 1 for yes. Press 2 for no.', maxKeys: 1,
      accept: (keys) => (keys === '1' ? true : keys === '2' ? false : null),
      // Read back once: a yes or no heard here counts as it is, so confirming never loops.
      speech: { context: 'yesno', interpret: yesOrNo, sureConfidence: 0 },
    });
  }

  /** Says `prompt` and listens (a key or speech interrupts it); silence past the inactivity limit ends the call. */
  private async listen(question: Question<unknown>, prompt: string): Promise<Heard> {
    const { timings } = this.services;
    this.services.transcript?.({ who: 'system', text: prompt });
    const audio = await this.services.synthesizer.synthesize(prompt);
    const remainingMs = timings.inactivityHangUpMs - (Date.now() - this.lastActivityAt);
    const heard = await this.listener.listen({
      maxKeys: question.maxKeys, interKeyTimeoutMs: timings.interDigitTimeoutMs,
      firstTimeoutMs: Math.max(1, Math.min(timings.silenceTimeoutMs, remainingMs)),
      prompt: audio,
      ...(question.terminators === undefined ? {} : { terminators: question.terminators }),
      ...(question.speech === undefined ? {} : { speech: question.speech }),
    });
    if (heard.kind === 'hangup') throw new CallOver('hangup');
    if (heard.kind === 'silence') {
      if (Date.now() - this.lastActivityAt >= timings.inactivityHangUpMs) throw new CallOver('inactive');
      return heard;
    }
    this.lastActivityAt = Date.now();
    this.services.transcript?.({ who: 'caller', text: heardTranscript(heard) });
    return heard;
  }

  /** Plain keys for the captcha: no menu or help, and silence is just an empty answer. */
  async keys(maxKeys: number): Promise<string> {
    const { timings } = this.services;
    const heard = await this.listener.listen({
      maxKeys, firstTimeoutMs: timings.silenceTimeoutMs, interKeyTimeoutMs: timings.interDigitTimeoutMs,
    });
    if (heard.kind === 'hangup') throw new CallOver('hangup');
    this.lastActivityAt = Date.now();
    const keys = heard.kind === 'keys' ? heard.keys : heard.kind === 'command' ? (heard.command === 'help' ? '0' : '*') : '';
    this.services.transcript?.({ who: 'caller', text: keys });
    return keys;
  }

  /** Yes (1) or no (2), by key or by voice. */
  async confirm(prompt: string): Promise<boolean> {
    const choices = this.listener.speaks ? 'Say yes or no, or press 1 for yes, 2 for no.' : 'Press 1 for yes, 2 for no.';
    return this.ask({
      prompt: `${prompt} ${choices}`, simpler: 'Press 1 for yes. Press 2 for no.',
      maxKeys: 1,
      accept: (keys) => (keys === '1' ? true : keys === '2' ? false : null),
      speech: { context: 'yesno', interpret: yesOrNo },
    });
  }
}

function yesOrNo(text: string): boolean | null {
  const said = parseYesNo(text);
  return said === null ? null : said === 'yes';
}

function heardTranscript(heard: Exclude<Heard, { kind: 'hangup' | 'silence' }>): string {
  if (heard.kind === 'keys') return heard.keys;
  if (heard.kind === 'command') return heard.command;
  return `(said) ${heard.hypotheses[0]?.text ?? heard.alongside?.[0]?.text ?? ''}`;
}
