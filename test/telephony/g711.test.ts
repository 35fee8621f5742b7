import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { decodeG711, encodeG711, silenceByte } from '../../src/telephony/rtp/g711.js';

describe('G.711', () => {
  it('μ-law matches reference code points', () => {
    expect([...encodeG711(Int16Array.from([0, -1, 1, 32767, -32768, 100, -100]), 'PCMU')])
      .to.deep.equal([0xff, 0x7f, 0xff, 0x80, 0x00, 0xf2, 0x72]);
    expect([...decodeG711(Uint8Array.from([0xff, 0x7f, 0x80, 0x00]), 'PCMU')]).to.deep.equal([0, 0, 32124, -32124]);
  });

  it('A-law matches reference code points', () => {
    expect([...encodeG711(Int16Array.from([0, -1, 32767, -32768, 1000]), 'PCMA')]).to.deep.equal([0xd5, 0x55, 0xaa, 0x2a, 0xfa]);
    expect([...decodeG711(Uint8Array.from([0xd5, 0x55, 0xaa, 0x2a]), 'PCMA')]).to.deep.equal([8, -8, 32256, -32256]);
  });

  for (const law of ['PCMU', 'PCMA'] as const) {
    it(`${law} decoding equals sox's for all 256 code words, and encoding inverts it`, () => {
      const codes = Uint8Array.from({ length: 256 }, (_, index) => index);
      const soxDecoded = execFileSync('sox', ['-D', '-t', 'raw', '-r', '8000', '-e', law === 'PCMU' ? 'u-law' : 'a-law', '-b', '8',
        '-c', '1', '-', '-t', 'raw', '-e', 'signed', '-b', '16', '-L', '-'], { input: codes });
      const ours = decodeG711(codes, law);
      for (let code = 0; code < 256; code += 1) expect(ours[code], `code ${code}`).to.equal(soxDecoded.readInt16LE(code * 2));
      const reencoded = encodeG711(ours, law);
      // μ-law has two zeros (0x7f, 0xff); both decode to 0, which encodes as 0xff.
      for (let code = 0; code < 256; code += 1) if (code !== 0x7f) expect(reencoded[code], `code ${code}`).to.equal(code);
    });

    it(`${law} round trip stays within the quantization step`, () => {
      const samples = new Int16Array(65536);
      for (let index = 0; index < samples.length; index += 1) samples[index] = index - 32768;
      const decoded = decodeG711(encodeG711(samples, law), law);
      for (let index = 0; index < samples.length; index += 1) {
        const sample = samples[index] ?? 0;
        const error = Math.abs((decoded[index] ?? 0) - sample);
        // Logarithmic companding: the error grows with magnitude, about 1/16 of it at most.
        expect(error, `sample ${sample}`).to.be.at.most(Math.max(16, Math.abs(sample) / 15));
      }
      expect(decodeG711(Uint8Array.from([silenceByte(law)]), law)[0]).to.be.within(-8, 8);
    });
  }
});
