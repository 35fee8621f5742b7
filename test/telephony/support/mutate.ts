// Deterministic mutations of SIP messages for the fuzz tests (seeded, so a failure can be replayed).

export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const nasty = ['\r', '\n', '\0', ':', ';', '<', '>', '"', ' ', '\t', ',', '=', '\u00ff', '%', '[', ']', '@'];

export function mutate(message: string, random: () => number): Buffer {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  let text = message;
  const rounds = 1 + Math.floor(random() * 3);
  for (let round = 0; round < rounds; round += 1) {
    const lines = text.split('\r\n');
    const at = Math.floor(random() * text.length);
    const line = Math.floor(random() * lines.length);
    switch (Math.floor(random() * 11)) {
      case 0: text = text.slice(0, at) + pick(nasty) + text.slice(at + 1); break;
      case 1: text = text.slice(0, at); break;
      case 2: lines.splice(line, 0, lines[line] ?? ''); text = lines.join('\r\n'); break;
      case 3: lines.splice(line, 1); text = lines.join('\r\n'); break;
      case 4: lines.splice(1 + Math.floor(random() * 3), 0, `X-Huge: ${'x'.repeat(Math.floor(random() * 20_000))}`); text = lines.join('\r\n'); break;
      case 5: text = text.replace(/Content-Length: \d+/, `Content-Length: ${pick(['0', '-1', '99999999999', '1', '70000', 'x'])}`); break;
      case 6: text = text.slice(0, at) + pick(nasty).repeat(1 + Math.floor(random() * 50)) + text.slice(at); break;
      case 7: lines.splice(1, 0, ...Array.from({ length: Math.floor(random() * 150) }, (_, index) => `X-${index}: y`)); text = lines.join('\r\n'); break;
      case 8: text = text.replace(/^[A-Z]+/, pick(['INVITE', 'BYE', 'ACK', 'CANCEL', 'OPTIONS', 'FOO', 'SIP/2.0', '', 'invite'])); break;
      case 9: text = text.replace(/(m=audio \d+ RTP\/AVP)[^\r]*/, `$1 ${pick(['', '0', '96', '8 101', '300', 'x'])}`); break;
      default: {
        const other = Math.floor(random() * lines.length);
        [lines[line], lines[other]] = [lines[other] ?? '', lines[line] ?? ''];
        text = lines.join('\r\n');
      }
    }
  }
  return Buffer.from(text, 'latin1');
}
