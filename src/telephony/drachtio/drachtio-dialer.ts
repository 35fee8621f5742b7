// The call-back's outbound call on the drachtio path (the OutboundDialer port the embedded endpoint
// also implements): FreeSWITCH makes an endpoint and its SDP offer first (3pcc), drachtio-srf sends
// the INVITE with that offer through the trunk (CANCEL after the ring timeout), and the answer's SDP
// goes back to FreeSWITCH (modify). The answered call is a CallChannel like an inbound one, so the
// same DialerOutboundCaller speaks the prompt and collects the code the person keys.
import type { Logger } from 'pino';
import type { CallChannel, DialFailure, DialOptions, OutboundDialer } from '../../ivr/call-channel.js';
import type { FsEndpoint, MediaServer, Srf, SrfDialog, SrfOutboundRequest, SrfSipError } from './drachtio-modules.js';

export interface AnsweredOutbound {
  readonly endpoint: FsEndpoint;
  readonly dialog: SrfDialog;
  readonly to: string;
  readonly from: string;
  readonly trunk: string;
}

export interface DrachtioDialerOptions {
  readonly srf: Srf;
  readonly mediaServer: () => MediaServer | null;
  /** `host:port` of the SIP trunk, as drachtio-server reaches it. */
  readonly trunk: string;
  readonly logger: Logger;
  /** Builds the call over the endpoint and dialog (the phone line's, shared with inbound calls). */
  readonly attach: (answered: AnsweredOutbound) => CallChannel;
  readonly canDial: () => boolean;
}

type DialResult = CallChannel | { failed: DialFailure; status?: number };

export function failureOfStatus(status: number): DialFailure {
  if (status === 486 || status === 600) return 'busy';
  if (status === 408 || status === 480 || status === 487) return 'no-answer';
  return 'rejected';
}

export class DrachtioDialer implements OutboundDialer {
  constructor(private readonly options: DrachtioDialerOptions) {}

  async call(to: string, dial: DialOptions): Promise<DialResult> {
    if (!/^\d{10}$/.test(to) || !/^\d{10}$/.test(dial.from)) throw new RangeError('to and from must be 10-digit numbers');
    const mediaServer = this.options.mediaServer();
    if (mediaServer === null || !this.options.canDial()) return { failed: 'rejected', status: 503 };
    const { logger, trunk } = this.options;
    let endpoint: FsEndpoint;
    try {
      endpoint = await mediaServer.createEndpoint();
    } catch (error) {
      logger.error({ err: error }, 'FreeSWITCH could not make an endpoint for the outbound call');
      return { failed: 'rejected', status: 503 };
    }
    const uri = `sip:+1${to}@${trunk}`;
    let ringTimedOut = false;
    let pending: SrfOutboundRequest | null = null;
    let provisional = false;
    const cancel = (): void => {
      try {
        pending?.cancel();
      } catch (error) {
        logger.debug({ err: error }, 'CANCEL of the outbound INVITE failed');
      }
    };
    // CANCEL only after a provisional response (RFC 3261 §9.1); without one, the INVITE times out.
    const ringTimer = setTimeout(() => { ringTimedOut = true; if (provisional) cancel(); }, dial.ringTimeoutMs);
    let dialog: SrfDialog;
    try {
      dialog = await this.options.srf.createUAC(uri, { localSdp: endpoint.local.sdp, callingNumber: `+1${dial.from}` }, {
        cbRequest: (_error, req) => { pending = req; },
        cbProvisional: (res) => {
          if (res.status < 200 && !provisional) {
            provisional = true;
            if (ringTimedOut) cancel();
          }
        },
      });
    } catch (error) {
      const status = (error as SrfSipError).status;
      await endpoint.destroy().catch(() => undefined);
      if (typeof status !== 'number') {
        logger.warn({ err: error, uri }, 'outbound INVITE failed');
        return { failed: ringTimedOut ? 'no-answer' : 'timeout' };
      }
      return { failed: ringTimedOut && status === 487 ? 'no-answer' : failureOfStatus(status), status };
    } finally {
      clearTimeout(ringTimer);
    }
    try {
      if (ringTimedOut) throw new Error('answered after the ring timeout');
      await endpoint.modify(dialog.remote.sdp);
    } catch (error) {
      logger.warn({ err: error, uri }, 'the outbound call was answered but its media could not be set up');
      await Promise.allSettled([dialog.destroy(), endpoint.destroy()]);
      return { failed: ringTimedOut ? 'no-answer' : 'rejected', status: 488 };
    }
    return this.options.attach({ endpoint, dialog, to, from: dial.from, trunk });
  }
}
