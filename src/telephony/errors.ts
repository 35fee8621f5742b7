// Typed errors of the telephony edge. Operating errors (a bad message from the network, a port range
// that is full) are handled where they occur; they never end the process.

/** A SIP message that breaks the grammar or our limits; `status` is what we answer when we can. */
export class SipParseError extends Error {
  override name = 'SipParseError';
  constructor(readonly reason: string, readonly status: 400 | 413 | 414 | 505 = 400) {
    super(reason);
  }
}

/** An SDP body we cannot read at all (as opposed to one we read but share no codec with). */
export class SdpParseError extends Error {
  override name = 'SdpParseError';
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Every even RTP port of the configured range is in use (or held by another process). */
export class RtpPortsExhaustedError extends Error {
  override name = 'RtpPortsExhaustedError';
  constructor(readonly portMin: number, readonly portMax: number) {
    super(`no free RTP port in ${portMin}-${portMax}`);
  }
}

/** The call is over; an operation that needs a live call was attempted. */
export class CallEndedError extends Error {
  override name = 'CallEndedError';
  constructor(readonly callId: string) {
    super(`call ${callId} has ended`);
  }
}

/** A second collectDigits while one is running: the dialog must await the first. */
export class ChannelBusyError extends Error {
  override name = 'ChannelBusyError';
  constructor(readonly operation: string) {
    super(`${operation} is already in progress on this call`);
  }
}

/** An outbound call was asked for, but no SIP trunk is configured. */
export class NoTrunkError extends Error {
  override name = 'NoTrunkError';
  constructor() {
    super('no SIP trunk configured for outbound calls');
  }
}

/** A broken internal invariant; the call that hit it is ended safely. */
export class TelephonyAssertionError extends Error {
  override name = 'TelephonyAssertionError';
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new TelephonyAssertionError(message);
}
