// The listening half of a prompt, as a port: the keypad listener today; a speech recognizer later
// implements the same interface (mapping "yes", "menu", "help" or a spoken number to keys or
// commands), so menus never change when speech arrives.
import type { CallChannel } from './call-channel.js';

export interface ListenRequest {
  /** The most keys an answer has (1 for a menu, 10 for a phone number). */
  readonly maxKeys: number;
  readonly firstTimeoutMs: number;
  readonly interKeyTimeoutMs: number;
  /** Keys that end a shorter answer early, e.g. '#'. */
  readonly terminators?: string;
}

export type Heard =
  | { readonly kind: 'keys'; readonly keys: string }
  | { readonly kind: 'command'; readonly command: 'menu' | 'help' }
  | { readonly kind: 'silence' }
  | { readonly kind: 'hangup' };

export interface Listener {
  listen(request: ListenRequest): Promise<Heard>;
}

/** Keys that mean a command on the keypad, wherever a prompt is. */
export const menuKey = '*';
export const helpKey = '0';

/** Keypad: * anywhere is "menu"; a lone 0 is "help" (no answer we ask for is the single key 0). */
export function heardFromKeys(keys: string, reason: 'max' | 'terminator' | 'timeout' | 'hangup'): Heard {
  if (reason === 'hangup') return { kind: 'hangup' };
  if (keys.includes(menuKey)) return { kind: 'command', command: 'menu' };
  if (keys === helpKey) return { kind: 'command', command: 'help' };
  if (keys.length === 0) return reason === 'terminator' ? { kind: 'keys', keys: '' } : { kind: 'silence' };
  return { kind: 'keys', keys };
}

export class KeypadListener implements Listener {
  constructor(private readonly channel: CallChannel) {}

  async listen(request: ListenRequest): Promise<Heard> {
    const collected = await this.channel.collectDigits({
      maxDigits: request.maxKeys, timeoutMs: request.firstTimeoutMs, interDigitTimeoutMs: request.interKeyTimeoutMs,
      ...(request.terminators === undefined ? {} : { terminators: request.terminators }),
    });
    return heardFromKeys(collected.digits, collected.reason);
  }
}
