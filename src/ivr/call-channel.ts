// The call channel port: what the telephone dialog needs from a call, and nothing of SIP or RTP.
// The embedded endpoint (src/telephony/) implements it; a FreeSWITCH adapter can implement it too.

/** What the network told us about the caller, for the trust decision (SPEC §2). */
export interface CallFacts {
  /** From URI as received, e.g. `sip:+17125551234@trunk.example`. */
  readonly from: string;
  /** To URI (or Request-URI when To is not a number) as received. */
  readonly to: string;
  /** Ten-digit calling number from the From URI, when it holds one. */
  readonly fromNumber?: string;
  /** Ten-digit called number from the To URI, when it holds one. */
  readonly toNumber?: string;
  /** Every RFC 8224 Identity header value, untouched, for STIR/SHAKEN verification. */
  readonly identityHeaders: readonly string[];
  /** `address:port` the INVITE came from (the trunk, or the phone itself). */
  readonly sourceAddress: string;
  /** Ten-digit number of the P-Asserted-Identity header, when present. */
  readonly paiNumber?: string;
  /** `verstat` URI parameter of PAI or From (a terminating provider's verification result). */
  readonly verstat?: string;
}

export type PlayResult = 'completed' | 'interrupted' | 'hangup';

export interface PlayOptions {
  /** A key press (or one already typed ahead) stops the prompt; the key stays for collectDigits. */
  readonly interruptible?: boolean;
  /** Aborting stops the prompt: how speech barge-in (decided by the recognizer) interrupts it. */
  readonly signal?: AbortSignal;
}

export interface CollectDigitsOptions {
  readonly maxDigits: number;
  /** Time allowed for the first key. */
  readonly timeoutMs: number;
  /** Time allowed between keys once the first has come. */
  readonly interDigitTimeoutMs: number;
  /** Keys that end the input early (not included in `digits`), e.g. '#'. */
  readonly terminators?: string;
  /** Aborting ends the collection with reason 'aborted' (the caller answered by voice instead). */
  readonly signal?: AbortSignal;
}

export interface CollectedDigits {
  readonly digits: string;
  readonly reason: 'max' | 'terminator' | 'timeout' | 'hangup' | 'aborted';
}

export type CallEndReason =
  | 'remote-hangup' | 'local-hangup' | 'ack-timeout' | 'media-timeout' | 'shutdown' | 'error';

export interface CallEnd {
  readonly reason: CallEndReason;
}

export interface CallChannel {
  readonly callId: string;
  readonly facts: CallFacts;
  /** Plays 8 kHz mono 16-bit audio; a new play stops the one before it ('interrupted'). */
  play(audio: Int16Array, options?: PlayOptions): Promise<PlayResult>;
  /** Keys typed since the last collection count first (type-ahead). */
  collectDigits(options: CollectDigitsOptions): Promise<CollectedDigits>;
  /** Inbound audio, 20 ms frames of 8 kHz mono 16-bit, after the jitter buffer. Returns unsubscribe. */
  onAudio(listener: (frame: Int16Array) => void): () => void;
  /** Every key as it arrives (for speech-or-keypad listening). Returns unsubscribe. */
  onDigit(listener: (digit: string) => void): () => void;
  /** Sends keys to the far end (RFC 4733), e.g. to drive an IVR we called. */
  sendDigits(digits: string): Promise<void>;
  /** Ends the call; resolves once the far end has been told (or could not be reached). */
  hangup(): Promise<void>;
  readonly ended: Promise<CallEnd>;
}

export type DialFailure = 'no-answer' | 'busy' | 'rejected' | 'timeout';

export interface DialOptions {
  /** Calling number to present, 10 digits. */
  readonly from: string;
  readonly ringTimeoutMs: number;
}

export interface OutboundDialer {
  call(to: string, options: DialOptions): Promise<CallChannel | { failed: DialFailure; status?: number }>;
}
