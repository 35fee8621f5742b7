// The speech listener with the real pocketsphinx engine and real synthesized telephone speech: words
// answer a prompt, speech during the prompt stops it (barge-in), a key wins over the recognizer,
// silence is silence, and a recognizer that cannot start leaves the keypad working.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  CallChannel, CallEnd, CallFacts, CollectDigitsOptions, CollectedDigits, PlayOptions, PlayResult,
} from '../../src/ivr/call-channel.js';
import type { ListenRequest } from '../../src/ivr/listener.js';
import { SpeechListener } from '../../src/ivr/speech-listener.js';
import { billGrammarWords, buildBillGrammar } from '../../src/speech/grammar/bill-grammar.js';
import { titleLexicon } from '../../src/speech/grammar/title-lexicon.js';
import { pino } from 'pino';
import { startAsrWorker } from '../../src/speech/grpc/asr-worker.js';
import { RemoteRecognizer } from '../../src/speech/grpc/remote-recognizer.js';
import { parseYesNo } from '../../src/speech/parse/yes-no.js';
import { PocketsphinxRecognizer } from '../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import { silence, telephoneSpeech } from '../speech/support/telephone-tts.js';
import { ScriptedRecognizer } from '../speech/grpc/scripted-recognizer.js';

interface CallerScript {
  /** What the caller says (8 kHz PCM), or nothing. */
  readonly speech?: Int16Array;
  /** Start talking while the prompt still plays. */
  readonly duringPrompt?: boolean;
  /** A key pressed after the prompt instead of talking. */
  readonly key?: string;
}

/**
 * TEST DOUBLE (named as such): a call whose far end talks from a script. The real endpoint's media path
 * (RTP, jitter buffer, 20 ms frames) is tested in test/telephony; here frames are fed faster than real
 * time, which the VAD allows because it counts audio time, not wall time.
 */
class TalkingChannel implements CallChannel {
  readonly callId = 'speech-listener-test';
  readonly facts: CallFacts = { from: 'sip:caller@127.0.0.1', to: 'sip:5550001@127.0.0.1', identityHeaders: [], sourceAddress: '127.0.0.1:5060' };
  readonly ended = new Promise<CallEnd>(() => undefined);
  private readonly audioListeners = new Set<(frame: Int16Array) => void>();
  private readonly digitListeners = new Set<(digit: string) => void>();
  playResult: PlayResult | null = null;
  collectReason: CollectedDigits['reason'] | null = null;

  constructor(private readonly script: CallerScript) {}

  async play(_audio: Int16Array, options: PlayOptions = {}): Promise<PlayResult> {
    if (this.script.duringPrompt !== true) return (this.playResult = 'completed');
    const talking = this.talk();
    const interrupted = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 5_000);
      options.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve(true);
      }, { once: true });
    });
    void talking;
    return (this.playResult = interrupted ? 'interrupted' : 'completed');
  }

  async collectDigits(options: CollectDigitsOptions): Promise<CollectedDigits> {
    if (this.script.key !== undefined) {
      for (const listener of this.digitListeners) listener(this.script.key);
      this.collectReason = 'max';
      return { digits: this.script.key, reason: 'max' };
    }
    if (this.script.duringPrompt !== true) void this.talk();
    const reason = await new Promise<CollectedDigits['reason']>((resolve) => {
      const timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
      options.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve('aborted');
      }, { once: true });
    });
    this.collectReason = reason;
    return { digits: '', reason };
  }

  onAudio(listener: (frame: Int16Array) => void): () => void {
    this.audioListeners.add(listener);
    return () => this.audioListeners.delete(listener);
  }

  onDigit(listener: (digit: string) => void): () => void {
    this.digitListeners.add(listener);
    return () => this.digitListeners.delete(listener);
  }

  async sendDigits(): Promise<void> {}
  async hangup(): Promise<void> {}

  /** The caller's audio in 20 ms frames: 300 ms of line silence, the words, then 1.5 s of silence. */
  private async talk(): Promise<void> {
    const parts = [silence(300), this.script.speech ?? new Int16Array(0), silence(1_500)];
    for (const part of parts) {
      for (let offset = 0; offset < part.length; offset += 160) {
        for (const listener of this.audioListeners) listener(part.subarray(offset, offset + 160));
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }
}

describe('ivr: the speech listener (real pocketsphinx, synthesized telephone speech)', function () {
  this.timeout(60_000);
  let dir: string;
  let recognizer: PocketsphinxRecognizer;
  const prompt = silence(2_000);
  const request = (context: 'yesno' | 'command'): ListenRequest => ({
    maxKeys: 1, firstTimeoutMs: 3_000, interKeyTimeoutMs: 1_000, prompt, speech: { context },
  });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dn-speech-listener-'));
    recognizer = await PocketsphinxRecognizer.create({ poolSize: 2 });
  });
  after(async () => {
    await recognizer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hears a spoken answer after the prompt and stops waiting for keys', async () => {
    const channel = new TalkingChannel({ speech: await telephoneSpeech('vote', 'flite-kal', dir) });
    const heard = await new SpeechListener(channel, recognizer).listen(request('command'));
    expect(heard.kind).to.equal('speech');
    if (heard.kind !== 'speech') return;
    expect(heard.hypotheses[0]?.text).to.equal('vote');
    expect(channel.collectReason, 'the keypad collection was ended by the spoken answer').to.equal('aborted');
  });

  it('speech during the prompt stops it (barge-in) and still answers', async () => {
    const channel = new TalkingChannel({ speech: await telephoneSpeech('yes', 'flite-kal', dir), duringPrompt: true });
    const heard = await new SpeechListener(channel, recognizer).listen(request('yesno'));
    expect(channel.playResult).to.equal('interrupted');
    expect(heard.kind).to.equal('speech');
    // As the dialog takes it: "yep" and "yeah" are the grammar's ways of saying yes.
    if (heard.kind === 'speech') expect(parseYesNo(heard.hypotheses[0]?.text ?? '')).to.equal('yes');
  });

  it('"menu" is a command at every prompt', async () => {
    const channel = new TalkingChannel({ speech: await telephoneSpeech('menu', 'flite-kal', dir) });
    expect(await new SpeechListener(channel, recognizer).listen(request('yesno'))).to.deep.equal({ kind: 'command', command: 'menu' });
  });

  it('a run-time grammar reaches the engine through the grammar sink; without one the committed grammar hears', async () => {
    const bills = [{ id: 's789', title: 'Water Infrastructure Resilience Act' }, { id: 'hr1234', title: 'Farm Credit Act' }];
    const { grammar } = buildBillGrammar(bills, await titleLexicon(billGrammarWords(bills)));
    const said = await telephoneSpeech('water infrastructure', 'flite-kal', dir);
    const ask: ListenRequest = { maxKeys: 1, firstTimeoutMs: 3_000, interKeyTimeoutMs: 1_000, prompt,
      speech: { context: 'bill', grammar } };
    const withSink = await new SpeechListener(new TalkingChannel({ speech: said }), recognizer,
      { grammars: recognizer }).listen(ask);
    expect(withSink.kind === 'speech' ? withSink.hypotheses[0]?.text : withSink.kind).to.equal('water infrastructure');
    const withoutSink = await new SpeechListener(new TalkingChannel({ speech: said }), recognizer).listen(ask);
    // Heard (not the keypad fallback of a recognizer that failed to start), but with numbers only.
    expect(withoutSink.kind).to.equal('speech');
    const heard = withoutSink.kind === 'speech' ? withoutSink.hypotheses.map((hypothesis) => hypothesis.text) : [];
    expect(heard.join(' | ')).to.not.include('water');
  });

  it('a second grammar hears the same audio: a spoken phone number comes back beside the main readings', async () => {
    const channel = new TalkingChannel({ speech: await telephoneSpeech('five one five, five five five, zero one two three',
      'flite-kal', dir) });
    const heard = await new SpeechListener(channel, recognizer).listen({ maxKeys: 10, firstTimeoutMs: 3_000,
      interKeyTimeoutMs: 1_000, prompt, speech: { context: 'command', alongside: { context: 'phone' } } });
    expect(heard.kind).to.equal('speech');
    if (heard.kind !== 'speech') return;
    expect(heard.alongside?.map((reading) => reading.text)).to.include('five one five five five five zero one two three');
  });

  it('a key wins over the recognizer', async () => {
    const channel = new TalkingChannel({ key: '2' });
    expect(await new SpeechListener(channel, recognizer).listen(request('yesno'))).to.deep.equal({ kind: 'keys', keys: '2' });
  });

  it('silence is silence once the keypad has waited its time', async () => {
    const channel = new TalkingChannel({});
    expect(await new SpeechListener(channel, recognizer).listen(request('yesno'))).to.deep.equal({ kind: 'silence' });
  });

  it('when every ASR worker is down the keypad still answers', async () => {
    // A real gRPC pool whose only worker address has nothing listening: start() throws AsrWorkersDownError.
    const pool = new RemoteRecognizer({
      workers: ['127.0.0.1:1'], logger: pino({ level: 'silent' }), pingDeadlineMs: 500,
    });
    try {
      await pool.checkHealth();
      const warnings: string[] = [];
      const channel = new TalkingChannel({ key: '1' });
      const logger = { warn: (_object: object, message: string): number => warnings.push(message) };
      const listener = new SpeechListener(channel, pool, { logger });
      expect(await listener.listen(request('yesno'))).to.deep.equal({ kind: 'keys', keys: '1' });
      expect(warnings).to.deep.equal(['the recognizer could not start; keypad only']);
    } finally {
      await pool.close();
    }
  });

  it('an engine that never answers keeps the caller waiting no longer than the longest answer and the wait', async () => {
    // A stuck engine (test double: ScriptedRecognizer hangs): the caller spoke, the keypad's 3 s ran out, and
    // the words are waited for until speech start + maxSpeechMs (3 s) + answerWaitMs (0.5 s), not for ever.
    const warnings: string[] = [];
    const channel = new TalkingChannel({ speech: await telephoneSpeech('yes', 'flite-kal', dir) });
    const logger = { warn: (_object: object, message: string): number => warnings.push(message) };
    const stuck = new ScriptedRecognizer({ hang: true });
    const started = performance.now();
    const heard = await new SpeechListener(channel, stuck, { logger, maxSpeechMs: 3_000, answerWaitMs: 500 })
      .listen(request('yesno'));
    const waited = performance.now() - started;
    // The caller spoke: not understood (asked again), not silence (which counts toward hanging up).
    expect(heard).to.deep.equal({ kind: 'speech', hypotheses: [] });
    expect(warnings).to.deep.equal(['the recognizer did not answer in time']);
    expect(channel.collectReason, 'the keypad waited its own time').to.equal('timeout');
    expect(waited, 'waited past the keypad for the words').to.be.at.least(3_400);
    expect(waited, 'but not much past the longest answer and the wait').to.be.below(6_000);
    expect(stuck.streams.length).to.equal(1);
    expect(await stuck.streams[0]?.result).to.include({ end: 'cancelled' });
  });

  it('when the only ASR worker dies mid-utterance the keypad still has its turn', async () => {
    // A real worker whose engine never answers (test double); it is shut down while the caller talks.
    const worker = await startAsrWorker({ listen: '127.0.0.1:0', recognizer: new ScriptedRecognizer({ hang: true }),
      logger: pino({ level: 'silent' }) });
    const pool = new RemoteRecognizer({ workers: [worker.address], logger: pino({ level: 'silent' }) });
    try {
      const warnings: string[] = [];
      const channel = new TalkingChannel({ speech: await telephoneSpeech('yes', 'flite-kal', dir) });
      const logger = { warn: (_object: object, message: string): number => warnings.push(message) };
      const listening = new SpeechListener(channel, pool, { logger }).listen(request('yesno'));
      await new Promise((resolve) => setTimeout(resolve, 300));
      await worker.close();
      expect(await listening).to.deep.equal({ kind: 'silence' });
      expect(warnings).to.deep.equal(['the recognizer failed; keypad only']);
      expect(channel.collectReason, 'the keypad waited its own time').to.equal('timeout');
    } finally {
      await pool.close();
    }
  });
});
