// Speech on the drachtio path, end to end: the app asks FreeSWITCH (FAKE, speaking real ESL) for
// `uuid_audio_fork <uuid> start ws://... mono 8k {...}`; the fake really opens the websocket to the app
// and streams the caller's audio in real time, 20 ms L16 frames; the app feeds them to the real
// pocketsphinx recognizer through the one dialog. The caller's words are a recording from the speech
// corpus (test-audio/), and saying them during a prompt stops it (uuid_break). Redis is real.
import { expect } from 'chai';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { decodeAudioFile } from '../../../src/speech/corpus/audio-file.js';
import { PocketsphinxRecognizer } from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import { ann, DrachtioRig, john, una, waitFor } from './drachtio-rig.js';

const repo = resolve(fileURLToPath(new URL('../../../..', import.meta.url)));
/** A corpus item whose expected answer is "yes" (flite kal voice, μ-law, 20 dB SNR). */
const saidYes = join(repo, 'test-audio/ci/audio/yesno-0101-flite-kal-snr20.wav');
const confirmLine = 'Please confirm that you want to delegate John Q Doe of Centerville. Say yes or no, or press 1 for yes, 2 for no.';

describe('telephony/drachtio: speech through mod_audio_fork (fake FreeSWITCH, real websocket, real pocketsphinx)', function () {
  this.timeout(90_000);
  let recognizer: PocketsphinxRecognizer;
  let rig: DrachtioRig;

  before(async () => {
    recognizer = await PocketsphinxRecognizer.create({ poolSize: 1 });
    // 4 s prompts played in real time: long enough to talk over.
    rig = await DrachtioRig.start({
      promptSamples: 32_000, dialog: { recognizer },
      settings: { audioForkListen: { host: '127.0.0.1', port: 0 } },
    });
  });

  after(async () => {
    await rig.stop();
    await recognizer.close();
  });

  it('forks the audio to the app, hears "yes" said over the confirmation prompt, stops the prompt, delegates', async () => {
    const yes = (await decodeAudioFile(saidYes)).pcm;
    const { caller, channel } = await rig.dial(ann.phone, 'TN-Validation-Passed');
    // FreeSWITCH was asked to fork the caller's audio, mono 8 kHz, to the app's websocket, and did.
    const command = await waitFor(() => channel.forkCommands[0], 'uuid_audio_fork');
    expect(command).to.match(new RegExp(`^uuid_audio_fork ${channel.uuid} start ws://127\\.0\\.0\\.1:${rig.line.audioForkPort}/fork/[A-Za-z0-9_-]{24} mono 8k \\{"uuid":"${channel.uuid}"\\}$`));
    await waitFor(() => channel.fork ?? undefined, 'the fork');
    await channel.fork?.opened;
    await waitFor(() => (channel.isPlaying ? true : undefined), 'the first prompt');
    await rig.freeswitch.pressKeys(channel, `47${john.phone}`, 60);
    await waitFor(() => (rig.transcript.some((l) => l.text === confirmLine) && channel.isPlaying ? true : undefined),
      'the confirmation prompt to play', 20_000);
    const playedBefore = channel.played.length;
    await channel.say(yes);
    // A recognizer that is unsure reads the answer back once; say it again then.
    const outcome = await waitFor(() => rig.transcript.find((l) => l.text.startsWith('Done.') || l.text.startsWith('I heard you say')),
      'the answer to be acted on', 20_000);
    if (outcome.text.startsWith('I heard you say')) await channel.say(yes);
    await waitFor(() => (rig.transcript.some((l) => l.text.startsWith('Done. Your delegate is now John Q Doe')) ? true : undefined),
      'the delegation', 20_000);
    // What was heard is logged as said (e.g. "yes", "yep"): it came from the recognizer, not the keypad.
    expect(rig.transcript.filter((l) => l.who === 'caller' && l.text.startsWith('(said) '))).to.have.length.greaterThan(0);
    expect((await rig.context.store.defaultsOf(ann.id)).delegates).to.deep.equal([john.id]);
    // Barge-in: the confirmation prompt was cut short by the speech (uuid_break), not played out.
    const confirmPlayback = channel.played[playedBefore];
    expect(confirmPlayback, 'the confirmation prompt').to.not.equal(undefined);
    expect(confirmPlayback?.broken).to.equal(true);
    expect(channel.fork?.framesSent ?? 0).to.be.greaterThan(yes.length / 160);
    caller.hangUp();
    const record = await rig.ended;
    expect(record.end).to.equal('hangup');
    // The fork ends with the call.
    await waitFor(() => (channel.fork === null ? true : undefined), 'the fork to close');
  });

  it('closes a websocket that is not a call\'s fork at once', async () => {
    const stranger = new WebSocket(`ws://127.0.0.1:${rig.line.audioForkPort}/fork/not-a-call-token-at-all`, 'audio.drachtio.org');
    const code = await new Promise<number>((resolveClose) => stranger.once('close', (closeCode) => resolveClose(closeCode)));
    expect(code).to.equal(1008);
  });

  it('without mod_audio_fork in FreeSWITCH the call works by keypad, and says so in its prompts', async () => {
    rig.freeswitch.audioForkLoaded = false;
    try {
      const { caller, channel } = await rig.dial(john.phone, 'TN-Validation-Passed');
      await waitFor(() => (channel.isPlaying ? true : undefined), 'the first prompt');
      await rig.freeswitch.pressKeys(channel, `47${una.phone}1`, 60);
      await waitFor(() => (rig.transcript.some((l) => l.text.startsWith('Done. Your delegate is now Una Verified')) ? true : undefined),
        'the delegation', 30_000);
      expect(rig.transcript.map((l) => l.text)).to.include(
        'Please confirm that you want to delegate Una Verified of Ames. Press 1 for yes, 2 for no.');
      expect((await rig.context.store.defaultsOf(john.id)).delegates).to.deep.equal([una.id]);
      expect(channel.forkCommands).to.deep.equal([]);
      expect(channel.fork).to.equal(null);
      caller.hangUp();
      expect((await rig.ended).end).to.equal('hangup');
    } finally {
      rig.freeswitch.audioForkLoaded = true;
    }
  });
});
