// TNAuthList (RFC 8226 §9, ATIS-1000080): the certificate extension that says which telephone
// numbers, or which service provider (SPC), the certificate may sign for. Decoded with asn1js; the
// module uses EXPLICIT tags, but implicit encodings seen in the wild are accepted too.
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import * as asn1js from 'asn1js';
import type { X509Certificate } from 'node:crypto';
import { StirVerificationError } from './stir-failure.js';

export const tnAuthListOid = '1.3.6.1.5.5.7.1.26';
export const tnAuthListEntriesMax = 64;
const contextSpecificTagClass = 3;
const spcTag = 0;
const rangeTag = 1;
const oneTag = 2;

export interface TnRange {
  start: string;
  count: number;
}

export interface TnAuthList {
  spcs: string[];
  numbers: string[];
  ranges: TnRange[];
}

function malformed(detail: string): StirVerificationError {
  return new StirVerificationError('tn-auth-list-malformed', detail);
}

/** The IA5String inside a [n] entry, explicit ([n] { IA5String }) or implicit ([n] bytes). */
function taggedString(block: asn1js.AsnType): string {
  if (block instanceof asn1js.Constructed) {
    const inner = block.valueBlock.value[0];
    if (!(inner instanceof asn1js.IA5String) || block.valueBlock.value.length !== 1) throw malformed('expected IA5String');
    return inner.getValue();
  }
  if (block instanceof asn1js.Primitive) return Buffer.from(block.valueBlock.valueHexView).toString('latin1');
  throw malformed('unexpected entry encoding');
}

function taggedRange(block: asn1js.AsnType): TnRange {
  // Explicit: [1] { SEQUENCE { start, count } }; implicit: [1] { start, count }.
  const outer = block instanceof asn1js.Constructed ? block.valueBlock.value : [];
  const fields = outer.length === 1 && outer[0] instanceof asn1js.Sequence ? outer[0].valueBlock.value : outer;
  const [start, count] = fields;
  if (!(start instanceof asn1js.IA5String) || !(count instanceof asn1js.Integer)) throw malformed('bad TN range');
  return { start: start.getValue(), count: count.valueBlock.valueDec };
}

export function decodeTnAuthList(der: ArrayBuffer | Uint8Array): TnAuthList {
  const parsed = asn1js.fromBER(der instanceof Uint8Array ? der : new Uint8Array(der));
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) throw malformed('not a DER SEQUENCE');
  const entries = parsed.result.valueBlock.value;
  if (entries.length === 0 || entries.length > tnAuthListEntriesMax) throw malformed(`${entries.length} entries`);
  const list: TnAuthList = { spcs: [], numbers: [], ranges: [] };
  for (const entry of entries) {
    if (entry.idBlock.tagClass !== contextSpecificTagClass) throw malformed('entry is not context-tagged');
    if (entry.idBlock.tagNumber === spcTag) list.spcs.push(taggedString(entry));
    else if (entry.idBlock.tagNumber === oneTag) list.numbers.push(taggedString(entry));
    else if (entry.idBlock.tagNumber === rangeTag) list.ranges.push(taggedRange(entry));
    else throw malformed(`unknown entry tag ${entry.idBlock.tagNumber}`);
  }
  return list;
}

/** The TNAuthList of a certificate; missing is its own reason (SHAKEN certificates must carry one). */
export function tnAuthListOf(certificate: X509Certificate): TnAuthList {
  let parsed: Certificate;
  try {
    parsed = AsnConvert.parse(certificate.raw, Certificate);
  } catch {
    throw new StirVerificationError('certificate-unparsable', 'the signing certificate is not DER');
  }
  const extension = parsed.tbsCertificate.extensions?.find((candidate) => candidate.extnID === tnAuthListOid);
  if (extension === undefined) throw new StirVerificationError('tn-auth-list-missing', 'no TNAuthList extension');
  return decodeTnAuthList(extension.extnValue.buffer);
}

/** DER of a TNAuthList with EXPLICIT tags, for the test PKI. */
export function encodeTnAuthList(list: { spcs?: readonly string[]; numbers?: readonly string[] }): ArrayBuffer {
  const tagged = (tagNumber: number, value: string): asn1js.Constructed => new asn1js.Constructed({
    idBlock: { tagClass: contextSpecificTagClass, tagNumber },
    value: [new asn1js.IA5String({ value })],
  });
  const value = [...(list.spcs ?? []).map((spc) => tagged(spcTag, spc)),
    ...(list.numbers ?? []).map((tn) => tagged(oneTag, tn))];
  if (value.length === 0) throw new RangeError('a TNAuthList needs at least one entry');
  return new asn1js.Sequence({ value }).toBER(false);
}

/**
 * SHAKEN certificates name the service provider (SPC): they may sign for any number the provider
 * originates, so an SPC entry authorizes. A list of numbers or ranges must cover the caller.
 */
export function assertAuthorizes(list: TnAuthList, origTn: string): void {
  if (list.spcs.length > 0) return;
  const digits = origTn.replace(/^\+/, '');
  if (list.numbers.some((tn) => tn.replace(/^\+/, '') === digits)) return;
  for (const range of list.ranges) {
    const start = range.start.replace(/^\+/, '');
    if (start.length !== digits.length) continue;
    const offset = Number(digits) - Number(start);
    if (offset >= 0 && offset < range.count) return;
  }
  throw new StirVerificationError('tn-auth-list-mismatch', 'the certificate does not cover orig.tn');
}
