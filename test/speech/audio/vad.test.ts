import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnergyVad, frameDb, vadOpeningMs, type VadEvent } from '../../../src/speech/audio/vad.js';
import { activeLevelDb, concat, mix, silence, telephoneSpeech, whiteNoise } from '../support/telephone-tts.js';

const options = { sampleRate: 8000, hangoverMs: 600, noSpeechTimeoutMs: 5000, maxSpeechMs: 10_000 };

/** Feeds 20 ms frames as the endpoint does and collects the events. */
function run(samples: Int16Array, overrides: Partial<typeof options> = {}): VadEvent[] {
  const vad = new EnergyVad({ ...options, ...overrides });
  const events: VadEvent[] = [];
  for (let offset = 0; offset < samples.length; offset += 160) {
    events.push(...vad.process(samples.subarray(offset, offset + 160)));
  }
  return events;
}

describe('energy VAD on telephone speech', function () {
  this.timeout(60_000);
  let dir = '';
  let speech: Int16Array = new Int16Array(0);
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vad-'));
    speech = await telephoneSpeech('delegate mary smith of ames', 'flite-kal', dir);
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('finds speech after silence and ends it one hangover after the last word', () => {
    const events = run(concat(silence(1000), speech, silence(2000)));
    const speechMs = speech.length / 8;
    expect(events.map((event) => event.kind)).to.deep.equal(['speech-start', 'speech-end']);
    const [start, end] = events as [VadEvent & { kind: 'speech-start' }, VadEvent & { kind: 'speech-end' }];
    expect(start.atMs).to.be.within(1000, 1300);
    expect(end.atMs).to.be.within(1000 + speechMs + 300, 1000 + speechMs + 900);
    expect(end.speechMs).to.be.within(speechMs - 600, speechMs + 100);
  });

  it('counts the quiet since the last loud frame while in speech, from 0 again when the caller speaks', () => {
    const vad = new EnergyVad(options);
    const quiet: number[] = [];
    // The recording's own quiet ends and starts (some 440 ms) make the pause between the two sayings.
    const said = concat(silence(1000), speech, speech, silence(2000));
    const line = mix(said, whiteNoise(said.length / 8, activeLevelDb(speech) - 20));
    for (let offset = 0; offset < line.length; offset += 160) {
      vad.process(line.subarray(offset, offset + 160));
      quiet.push(vad.silenceMs);
    }
    // Nothing before speech; then runs of quiet, each starting from 0, the last one reaching the hangover.
    expect(quiet.slice(0, 40).every((ms) => ms === 0)).to.equal(true);
    // The longest quiet that speech broke off: the pause between the two sayings (with the first's weak end).
    const longestPause = Math.max(...quiet.filter((ms, index) => quiet[index + 1] === 0));
    expect(longestPause).to.be.within(300, 580);
    expect(Math.max(...quiet)).to.equal(600);
    expect(quiet.at(-1)).to.equal(600);
  });

  it('hears speech in line noise 20 dB below it, and treats the steady noise alone as silence', () => {
    const level = activeLevelDb(speech);
    const noise = whiteNoise(1500 + speech.length / 8 + 2000, level - 20);
    const noisy = mix(concat(silence(1500), speech, silence(2000)), noise);
    const events = run(noisy);
    expect(events.map((event) => event.kind)).to.deep.equal(['speech-start', 'speech-end']);
    expect(events[0]?.atMs).to.be.within(1400, 1800);
    expect(run(whiteNoise(6000, level - 20, 7)).map((event) => event.kind)).to.deep.equal(['no-speech']);
  });

  it('a lost packet (digital silence) in line noise neither starts speech nor keeps an answer from ending', () => {
    const level = activeLevelDb(speech);
    const lineMs = 1500 + speech.length / 8 + 2000;
    const line = mix(concat(silence(1500), speech, silence(2000)), whiteNoise(lineMs, level - 20));
    // Two packets lost while the prompt plays, and two inside the answer, as a jitter buffer fills them.
    const lossy = line.slice();
    for (const atMs of [800, 1500 + speech.length / 16]) lossy.fill(0, atMs * 8, (atMs + 40) * 8);
    const events = run(lossy);
    expect(events.map((event) => event.kind)).to.deep.equal(['speech-start', 'speech-end']);
    expect(events[0]?.atMs).to.be.within(1400, 1800);
    expect(events[1]?.atMs).to.be.within(1500 + speech.length / 8 + 300, 1500 + speech.length / 8 + 900);
  });

  it('steady noise that starts as the answer ends (the line got noisier) ends the speech where it began', () => {
    const speechMs = speech.length / 8;
    const events = run(concat(silence(1000), speech, whiteNoise(3000, activeLevelDb(speech) - 15, 5)));
    expect(events.map((event) => event.kind)).to.deep.equal(['speech-start', 'speech-end']);
    // One second of it tells noise from speech; the speech itself ends where the noise began.
    expect(events[1]?.atMs).to.be.within(1000 + speechMs + 900, 1000 + speechMs + 1300);
    expect(events[1]).to.have.property('speechMs').that.is.within(speechMs - 600, speechMs + 100);
  });

  it('a held "ummm" at the voice\'s own level between two words is speech, not steady noise', () => {
    // A 150 Hz hum at the speech's active level for 1.5 s: steady, but nowhere near 10 dB under its loudest.
    const rms = 32_768 * 10 ** (activeLevelDb(speech) / 20);
    const hum = Int16Array.from({ length: 1500 * 8 },
      (_, n) => Math.round(rms * Math.SQRT2 * Math.sin((2 * Math.PI * 150 * n) / 8000)));
    const events = run(concat(silence(1000), speech, hum, speech, silence(2000)));
    expect(events.map((event) => event.kind)).to.deep.equal(['speech-start', 'speech-end']);
    const totalMs = 1000 + (2 * speech.length) / 8 + 1500;
    expect(events[1]?.atMs).to.be.within(totalMs + 300, totalMs + 900);
  });

  it('hears speech that opens the stream (no silence before it), from its first frame', async () => {
    // One word cut at its first loud frame: the floor's first estimate is the word itself, and "audit"
    // never falls 10 dB below its opening vowel until it ends.
    const word = await telephoneSpeech('audit', 'espeak-us', dir);
    let first = 0;
    while (first + 160 <= word.length && frameDb(word, first, first + 160) < -40) first += 160;
    const tight = word.subarray(first);
    const events = run(concat(tight, silence(2000)));
    expect(events.map((event) => event.kind)).to.deep.equal(['speech-start', 'speech-end']);
    expect(events[0]?.atMs).to.be.at.most(40);
    let last = tight.length - 160;
    while (last > 0 && frameDb(tight, last, last + 160) < -40) last -= 160;
    const lastLoudMs = (last + 160) / 8;
    // Ends one hangover (600 ms) after the word's last loud frame, having been speech from the start.
    expect(events[1]?.atMs).to.be.within(lastLoudMs + 500, lastLoudMs + 700);
    expect(events[1]).to.have.property('speechMs').that.is.within(lastLoudMs - 100, lastLoudMs + 20);
  });

  it('looks back only over the opening: line noise that drops later was line noise', () => {
    const level = -30;
    const late = run(concat(whiteNoise(vadOpeningMs + 500, level, 3), whiteNoise(3000, level - 25, 4)),
      { noSpeechTimeoutMs: vadOpeningMs + 3000 });
    expect(late.map((event) => event.kind)).to.deep.equal(['no-speech']);
    // Within the opening the same drop means the loud part was speech (as it would be after silence).
    const early = run(concat(whiteNoise(600, level, 3), whiteNoise(3000, level - 25, 4)));
    expect(early[0]).to.deep.equal({ kind: 'speech-start', atMs: 0 });
  });

  it('reports no speech at the timeout on digital silence', () => {
    expect(run(silence(4000), { noSpeechTimeoutMs: 3000 })).to.deep.equal([{ kind: 'no-speech', atMs: 3000 }]);
  });

  it('cuts speech at the maximum duration', () => {
    const events = run(concat(silence(500), speech, speech, speech), { maxSpeechMs: 1000 });
    expect(events.map((event) => event.kind)).to.deep.equal(['speech-start', 'max-duration']);
    expect((events[1]?.atMs ?? 0) - (events[0]?.atMs ?? 0)).to.be.within(1000, 1020);
  });
});
