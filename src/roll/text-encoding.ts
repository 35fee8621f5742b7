// Roll rows arrive as bytes in an unknown encoding: usually UTF-8 or plain ASCII, sometimes
// Windows-1252 from older county systems. We parse the CSV as latin1 (one char per byte, lossless
// and ASCII-compatible, so quotes and commas are found correctly in UTF-8 too) and then decode
// each row: valid UTF-8 as UTF-8, anything else as Windows-1252 with a warning.
import { isUtf8 } from 'node:buffer';

// Node's TextDecoder treats "windows-1252" as latin1, so the 0x80–0x9f range is mapped here.
const windows1252High: readonly number[] = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152,
  0x8d, 0x017d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122,
  0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];

const highBytePattern = /[\u0080-\u00ff]/;

function latin1ToWindows1252(field: string): string {
  return field.replace(/[\u0080-\u009f]/g, (char) =>
    String.fromCharCode(windows1252High[char.charCodeAt(0) - 0x80] as number));
}

export interface DecodedRow {
  fields: string[];
  /** True when the row was not valid UTF-8 and was decoded as Windows-1252. */
  fellBack: boolean;
}

/** Decodes one row parsed as latin1. ASCII rows (nearly all) are returned as they are. */
export function decodeLatin1Row(fields: string[]): DecodedRow {
  let highBytes = false;
  for (const field of fields) {
    if (highBytePattern.test(field)) {
      highBytes = true;
      break;
    }
  }
  if (!highBytes) return { fields, fellBack: false };
  const buffers = fields.map((field) => Buffer.from(field, 'latin1'));
  if (buffers.every((buffer) => isUtf8(buffer))) {
    return { fields: buffers.map((buffer) => buffer.toString('utf8')), fellBack: false };
  }
  return { fields: fields.map(latin1ToWindows1252), fellBack: true };
}
