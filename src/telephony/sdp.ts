// SDP offer/answer (RFC 3264, RFC 4566) for the one thing we do: a single audio stream of G.711
// (PCMU or PCMA) with RFC 4733 telephone-events. Other media lines are declined with port 0.
import { SdpParseError } from './errors.js';

export type AudioCodec = 'PCMU' | 'PCMA';
export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export const staticPayloadTypes: Readonly<Record<AudioCodec, number>> = { PCMU: 0, PCMA: 8 };
export const ourCodecPreference: readonly AudioCodec[] = ['PCMU', 'PCMA'];
export const defaultTelephoneEventPayloadType = 101;
const sdpBytesMax = 16 * 1024;
const sdpLinesMax = 200;
const mediaLinesMax = 8;

export interface SdpMedia {
  readonly type: string;
  readonly port: number;
  readonly protocol: string;
  readonly formats: readonly string[];
  readonly rtpmap: ReadonlyMap<number, string>;
  readonly connection: string | null;
  readonly direction: Direction | null;
  readonly lines: readonly string[];
}

export interface SessionDescription {
  readonly origin: string;
  readonly connection: string | null;
  readonly direction: Direction | null;
  readonly media: readonly SdpMedia[];
}

export function parseSdp(text: string): SessionDescription {
  if (text.length > sdpBytesMax) throw new SdpParseError('SDP too large');
  const lines = text.split(/\r?\n/).filter((line) => line.length > 0);
  if (lines.length > sdpLinesMax) throw new SdpParseError('too many SDP lines');
  if (lines[0] !== 'v=0') throw new SdpParseError('SDP must start with v=0');
  let origin: string | null = null;
  let connection: string | null = null;
  let direction: Direction | null = null;
  const media: Array<{ header: string; lines: string[] }> = [];
  for (const line of lines) {
    if (!/^[a-z]=/.test(line)) throw new SdpParseError(`malformed SDP line "${line.slice(0, 40)}"`);
    const current = media[media.length - 1];
    if (line.startsWith('m=')) {
      if (media.length >= mediaLinesMax) throw new SdpParseError('too many media lines');
      media.push({ header: line.slice(2), lines: [] });
    } else if (current !== undefined) current.lines.push(line);
    else if (line.startsWith('o=')) origin = line.slice(2);
    else if (line.startsWith('c=')) connection = parseConnection(line.slice(2));
    else if (line.startsWith('a=')) direction = parseDirection(line.slice(2)) ?? direction;
  }
  if (origin === null) throw new SdpParseError('SDP has no o= line');
  return { origin, connection, direction, media: media.map((item) => parseMedia(item.header, item.lines)) };
}

function parseConnection(value: string): string {
  const match = /^IN IP[46] ([0-9A-Fa-f:.]+)(\/\d+)*$/.exec(value.trim());
  if (match === null) throw new SdpParseError('malformed c= line');
  return match[1] ?? '';
}

function parseDirection(attribute: string): Direction | null {
  return attribute === 'sendrecv' || attribute === 'sendonly' || attribute === 'recvonly' || attribute === 'inactive'
    ? attribute : null;
}

function parseMedia(header: string, lines: readonly string[]): SdpMedia {
  const parts = header.trim().split(/ +/);
  const [type, portText, protocol, ...formats] = parts;
  if (type === undefined || portText === undefined || protocol === undefined || formats.length === 0) {
    throw new SdpParseError('malformed m= line');
  }
  const port = Number(portText.split('/')[0]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new SdpParseError('invalid media port');
  const rtpmap = new Map<number, string>();
  let connection: string | null = null;
  let direction: Direction | null = null;
  for (const line of lines) {
    if (line.startsWith('c=')) connection = parseConnection(line.slice(2));
    const map = /^a=rtpmap:(\d{1,3}) ([^/\s]+\/\d+)/.exec(line);
    if (map !== null) rtpmap.set(Number(map[1]), (map[2] ?? '').toLowerCase());
    if (line.startsWith('a=')) direction = parseDirection(line.slice(2)) ?? direction;
  }
  return { type, port, protocol, formats, rtpmap, connection, direction, lines };
}

export interface NegotiatedAudio {
  readonly codec: AudioCodec;
  readonly payloadType: number;
  /** null when the offer has no telephone-event: keys then cannot be received. */
  readonly telephoneEventPayloadType: number | null;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** What we answer: the mirror of the offer's direction. */
  readonly direction: Direction;
  readonly mediaIndex: number;
}

/** The first offered audio stream we can serve, in the offerer's order of preference; null: 488. */
export function negotiateAudio(offer: SessionDescription): NegotiatedAudio | null {
  for (const [mediaIndex, media] of offer.media.entries()) {
    if (media.type !== 'audio' || media.port === 0 || media.protocol !== 'RTP/AVP') continue;
    const address = media.connection ?? offer.connection;
    if (address === null) continue;
    let chosen: { codec: AudioCodec; payloadType: number } | null = null;
    let telephoneEvent: number | null = null;
    for (const format of media.formats) {
      const payloadType = Number(format);
      if (!Number.isInteger(payloadType) || payloadType < 0 || payloadType > 127) continue;
      const name = media.rtpmap.get(payloadType) ?? staticName(payloadType);
      if (name === 'telephone-event/8000') telephoneEvent ??= payloadType;
      const codec = name === 'pcmu/8000' ? 'PCMU' : name === 'pcma/8000' ? 'PCMA' : null;
      if (codec !== null && chosen === null) chosen = { codec, payloadType };
    }
    if (chosen === null) continue;
    const offered = media.direction ?? offer.direction ?? 'sendrecv';
    const direction: Direction = offered === 'sendonly' ? 'recvonly' : offered === 'recvonly' ? 'sendonly' : offered;
    return {
      ...chosen, telephoneEventPayloadType: telephoneEvent, remoteAddress: address, remotePort: media.port, direction,
      mediaIndex,
    };
  }
  return null;
}

function staticName(payloadType: number): string | null {
  if (payloadType === 0) return 'pcmu/8000';
  if (payloadType === 8) return 'pcma/8000';
  return null;
}

export interface AnswerOptions {
  readonly offer: SessionDescription;
  readonly audio: NegotiatedAudio;
  readonly localAddress: string;
  readonly localPort: number;
  readonly sessionId: string;
  readonly sessionVersion: number;
}

/** An answer with as many m= lines as the offer (RFC 3264 §6); the ones we do not serve get port 0. */
export function buildAnswer(options: AnswerOptions): string {
  const family = options.localAddress.includes(':') ? 'IP6' : 'IP4';
  const lines = [
    'v=0',
    `o=delegate-network ${options.sessionId} ${options.sessionVersion} IN ${family} ${options.localAddress}`,
    's=-',
    `c=IN ${family} ${options.localAddress}`,
    't=0 0',
  ];
  for (const [index, media] of options.offer.media.entries()) {
    if (index !== options.audio.mediaIndex) {
      lines.push(`m=${media.type} 0 ${media.protocol} ${media.formats[0] ?? '0'}`);
      continue;
    }
    const { audio } = options;
    const event = audio.telephoneEventPayloadType;
    const formats = [audio.payloadType, ...(event === null ? [] : [event])];
    lines.push(`m=audio ${options.localPort} RTP/AVP ${formats.join(' ')}`);
    lines.push(`a=rtpmap:${audio.payloadType} ${audio.codec}/8000`);
    if (audio.telephoneEventPayloadType !== null) {
      lines.push(`a=rtpmap:${audio.telephoneEventPayloadType} telephone-event/8000`);
      lines.push(`a=fmtp:${audio.telephoneEventPayloadType} 0-15`);
    }
    lines.push('a=ptime:20');
    lines.push(`a=${audio.direction}`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Our own offer, for calls we place: both codecs and telephone-event 101. */
export function buildOffer(options: Omit<AnswerOptions, 'offer' | 'audio'>): string {
  const family = options.localAddress.includes(':') ? 'IP6' : 'IP4';
  const event = defaultTelephoneEventPayloadType;
  return [
    'v=0',
    `o=delegate-network ${options.sessionId} ${options.sessionVersion} IN ${family} ${options.localAddress}`,
    's=-', `c=IN ${family} ${options.localAddress}`, 't=0 0',
    `m=audio ${options.localPort} RTP/AVP 0 8 ${event}`,
    'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', `a=rtpmap:${event} telephone-event/8000`, `a=fmtp:${event} 0-15`,
    'a=ptime:20', 'a=sendrecv', '',
  ].join('\r\n');
}
