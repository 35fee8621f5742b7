// An answer decoded whole (PocketsphinxDecoding 'utterance') needs a decoder only once the caller has stopped:
// until then its audio is only kept. So this session keeps the audio itself and takes a decoder from the pool
// at finish(), which holds one for the decode (tens of milliseconds) instead of for the whole answer (seconds of
// speech and hangover). With many callers talking at once, turns used to queue for decoders that were holding
// nothing but kept audio.
//
// Nor need the decode wait for the whole hangover. Once the caller has been quiet for half of it, the answer is
// decoded early if a decoder is idle: what was said, then the line's own last 100 ms played on for the rest of
// the hangover (audio/line-noise.ts, lineHeardLast), so the decoder hears as long an answer as at the end. If
// the caller goes on, that decode is thrown away (nothing of it reaches the call's acoustics); if the answer
// ends with the caller still quiet, it is the answer. An answer not decoded early (no decoder was idle) is
// decoded the same way at its end, so the same audio always gives the same answer, however busy the machine.
import { lineHeardLast } from '../audio/line-noise.js';
import { concatSamples } from '../audio/samples.js';
import type { Hypothesis } from '../recognizer.js';
import type { UtteranceSession } from '../vad-stream.js';

/** A decoder's session for an early decode, and what to do when its answer is taken. */
export interface EarlySession {
  readonly session: UtteranceSession;
  /** The answer is the early decode's: what it measured (the line, the mean) is told to the call. */
  readonly taken: () => void;
}

export interface EarlyDecoding {
  /** The hangover that ends the answer (the VAD's), in ms. */
  readonly endSilenceMs: number;
  readonly nBest: number;
  /** A decoder's session for `heard` if one is idle now (null: none is, or the machine is busy). */
  readonly open: (heard: readonly Int16Array[]) => Promise<EarlySession | null>;
}

/** Of the hangover, the quiet after which the answer is decoded early. */
const earlyAfterHangoverShare = 0.5;
/**
 * Early decodes of one answer at most. A caller spelling a surname may pause after each letter (4 pauses of at
 * least half the hangover in 2 of 30 generated spelled surnames); a line whose noise comes and goes must not
 * cost a decode every second until the answer's maximum length.
 */
const earlyDecodesMax = 8;

type EarlyResult = { hypotheses: Hypothesis[]; taken: () => void } | null;

interface Early {
  /** The caller spoke again: the decode, if any, is thrown away. */
  stale: boolean;
  result: Promise<EarlyResult>;
}

export class WholeUtteranceSession implements UtteranceSession {
  private kept: Int16Array[] = [];
  private finishing = false;
  private aborted = false;
  private early: Early | null = null;
  private earlyDecodes = 0;
  /**
   * In the caller's last quiet: the answer as decoded once it ends, the audio to where half the hangover was
   * reached, then the line played on for the rest (null: the caller has not been quiet that long since speaking).
   */
  private heardAtCut: Int16Array | null = null;

  /**
   * `open`: a decoder's session for the whole utterance (taken from the pool, its grammar selected), given the
   * audio it will decode (the line it was said on picks the decoder's transform, context-mllr.ts).
   * `early`: how to decode before the hangover ends; null: only at the end.
   */
  constructor(private readonly open: (heard: readonly Int16Array[]) => Promise<UtteranceSession>,
    private readonly earlyDecoding: EarlyDecoding | null = null) {}

  write(samples: Int16Array): void {
    // The caller may reuse its frame buffer once write returns.
    if (!this.finishing && !this.aborted) this.kept.push(samples.slice());
  }

  quiet(silenceMs: number): void {
    if (silenceMs === 0) {
      this.heardAtCut = null;
      this.dropEarly();
      return;
    }
    const early = this.earlyDecoding;
    if (early === null || this.heardAtCut !== null || this.finishing || this.aborted) return;
    if (silenceMs < early.endSilenceMs * earlyAfterHangoverShare || silenceMs >= early.endSilenceMs) return;
    this.heardAtCut = this.playedOn((early.endSilenceMs - silenceMs) * 8);
    if (this.earlyDecodes >= earlyDecodesMax) return;
    this.earlyDecodes += 1;
    this.early = this.decodeEarly(early, this.heardAtCut);
  }

  async finish(nBest: number, trailingSilenceMs: number): Promise<Hypothesis[]> {
    this.finishing = true;
    // Quiet since the cut, the answer is the same whether the hangover ended it or the stream did (the caller
    // hung up, the dialog stopped listening); one that ends while the caller speaks is decoded as it came.
    const decoded = this.early === null ? null : await this.early.result;
    if (this.aborted) return [];
    if (decoded !== null) {
      this.kept = [];
      decoded.taken();
      return decoded.hypotheses.slice(0, nBest);
    }
    this.dropEarly();
    const kept = this.heardAtCut === null ? this.kept : [this.heardAtCut];
    const session = await this.open(kept);
    if (this.aborted) {
      session.abort();
      return [];
    }
    this.kept = [];
    for (const samples of kept) session.write(samples);
    return session.finish(nBest, trailingSilenceMs);
  }

  /** No reading before the end: the audio is decoded only then. */
  partial(): Promise<string | null> {
    return Promise.resolve(null);
  }

  abort(): void {
    // A finish() still waiting for its decoder gives it back once it has it (above).
    this.aborted = true;
    this.kept = [];
    this.dropEarly();
  }

  /** Whether an early decode is under way and not thrown away (tests). */
  get decodingEarly(): boolean {
    return this.early !== null && !this.early.stale;
  }

  /** The audio kept so far, then `paddingSamples` of its line played on (lineHeardLast). */
  private playedOn(paddingSamples: number): Int16Array {
    const said = concatSamples(this.kept);
    const heard = new Int16Array(said.length + paddingSamples);
    heard.set(said);
    heard.set(lineHeardLast(said, paddingSamples), said.length);
    return heard;
  }

  /** `heard` decoded now, as if the hangover had ended. */
  private decodeEarly(early: EarlyDecoding, heard: Int16Array): Early {
    const state: Early = { stale: false, result: Promise.resolve(null) };
    const decode = async (): Promise<EarlyResult> => {
      const opened = await early.open([heard]);
      if (opened === null) return null;
      if (state.stale) {
        opened.session.abort();
        return null;
      }
      opened.session.write(heard);
      const hypotheses = await opened.session.finish(early.nBest, early.endSilenceMs);
      return state.stale ? null : { hypotheses, taken: opened.taken };
    };
    // An early decode that fails is only not taken: the answer is decoded at its end as always.
    state.result = decode().catch(() => null);
    return state;
  }

  private dropEarly(): void {
    if (this.early !== null) this.early.stale = true;
    this.early = null;
  }
}
