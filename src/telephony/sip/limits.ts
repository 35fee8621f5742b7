// Size limits and RFC 3261 timer defaults. Every limit is named here so the parser, the transports and
// the tests agree on them.

/** Whole message, start line to end of body (UDP datagram or one TCP frame). */
export const messageBytesMax = 64 * 1024;
export const headerCountMax = 100;
/** One header line after unfolding, name included. */
export const headerLineBytesMax = 8 * 1024;
export const startLineBytesMax = 8 * 1024;
/** Bytes a TCP connection may buffer before a complete message; more means garbage or an attack. */
export const tcpBufferBytesMax = messageBytesMax * 2;
export const tcpConnectionsMax = 1024;
export const tcpIdleTimeoutMs = 5 * 60_000;

/** RFC 3261 §17.1.1.1: RTT estimate, maximum retransmit interval, and how long the network holds a message. */
export interface SipTimers {
  t1Ms: number;
  t2Ms: number;
  t4Ms: number;
}

export const defaultSipTimers: SipTimers = { t1Ms: 500, t2Ms: 4000, t4Ms: 5000 };

/** Server transactions remembered for retransmission absorption; the oldest go first beyond this. */
export const serverTransactionsMax = 20_000;
