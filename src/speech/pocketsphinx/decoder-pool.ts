// Pocketsphinx decoders, one per concurrent utterance, created on demand up to a limit and reused.
// A decoder is not thread-safe, so an utterance owns its decoder from speech start to result; creating
// one costs ~0.3 s with our small dictionary, so they are kept. Grammars are compiled into a decoder the
// first time it listens with them (ps_set_jsgf_string / ps_set_fsg keep them as named searches). Per-city
// name grammars come and go with the callers' towns, so a decoder keeps at most `searchesMax` searches and
// frees the least recently used one (ps_unset_search) before compiling another: memory stays bounded
// however many cities are heard. (Words added for a grammar stay in the decoder's dictionary: 0.8 has no
// call to remove them; they are bounded by the roll's distinct name words.)
//
// Decoders beyond the first are created on a libuv pool thread (decoder-init.ts), never on the event
// loop: a burst of callers growing the pool would otherwise stall every call's audio for ~0.3 s per
// decoder. Grammars compile one at a time: with 4 libuv threads (UV_THREADPOOL_SIZE), a few decoders
// compiling name grammars at once (seconds each) left no thread to decode anyone's audio, and every
// caller's result waited behind them (bench/speech-concurrency.ts, results in README's speech section).
import { strict as assert } from 'node:assert';
import { grammarId, type GrammarDefinition } from '../grammar/grammar-definition.js';
import { initDecoderOffLoop } from './decoder-init.js';
import type { NativePointer, PocketsphinxLibrary } from './library.js';

export interface PooledDecoder {
  readonly native: NativePointer;
  /** Grammar ids compiled into this decoder, least recently used first. */
  readonly searches: Set<string>;
}

/** Words added on the event loop between two yields to it (a few ms of ps_add_word). */
const wordsPerLoopTurn = 256;

/** Searches kept per decoder by default: the fixed contexts (about ten), the city finder, and recent cities. */
export const searchesMaxDefault = 32;

interface Waiter {
  resolve(decoder: PooledDecoder): void;
  reject(error: unknown): void;
  readonly preference: ((decoder: PooledDecoder) => number) | undefined;
  /** performance.now() when it began to wait. */
  readonly since: number;
}

/**
 * How long the first waiter may be passed over for a later one that scores the decoder given back higher (it
 * holds that caller's grammar or transform). When every decoder is busy, handing one to whoever waited longest
 * made callers compile their grammar into a decoder that lacked it (about 0.2 s, up to 1.6 s, one compile at a
 * time): 77 compiles in one N = 100 level of the concurrency bench against 36 in another.
 */
const passedOverMsMax = 250;

/** Decoder settings a search is compiled with instead of the decoder's own (pocketsphinx reads them then). */
export type SearchSettings = Readonly<Partial<Record<'-wbeam' | '-fillprob' | '-wip', number>>>;

export class DecoderPool {
  private readonly idle: PooledDecoder[] = [];
  private readonly all: PooledDecoder[] = [];
  private readonly waiting: Waiter[] = [];
  /**
   * The grammar compilation running now: compilations wait for each other, so at most one libuv pool
   * thread is ever busy compiling (a name grammar takes seconds) and the others keep decoding calls' audio.
   */
  private compiling: Promise<unknown> = Promise.resolve();
  /** Decoders being created on a pool thread (they count toward sizeMax). */
  private readonly creating = new Set<Promise<PooledDecoder>>();
  private closed = false;
  private onAllIdle: (() => void) | null = null;
  private freed = 0;
  private compiled = 0;

  constructor(private readonly library: PocketsphinxLibrary, private readonly argv: readonly string[],
    private readonly sizeMax: number, private readonly searchesMax = searchesMaxDefault,
    /** ps_init off the event loop (decoder-init.ts). */
    private readonly initOffLoop: (config: NativePointer) => Promise<NativePointer | null> = initDecoderOffLoop) {
    assert(Number.isInteger(sizeMax) && sizeMax >= 1, 'pool size must be a positive whole number');
    assert(Number.isInteger(searchesMax) && searchesMax >= 1, 'searches per decoder must be a positive whole number');
    // ps_init with -logfn swaps sphinxbase's global log FILE under other threads' writes (library.ts
    // turns logging off once instead).
    assert(!argv.includes('-logfn'), 'decoders are created on several threads: -logfn would race on the global log file');
  }

  /** Searches freed so far to stay within searchesMax (for tests and the benchmark). */
  get searchesFreed(): number {
    return this.freed;
  }

  /** Grammars compiled into a decoder so far (each decoder compiles a grammar the first time it uses it). */
  get searchesCompiled(): number {
    return this.compiled;
  }

  get size(): number {
    return this.all.length;
  }

  /**
   * Creates one decoder now, on the event loop (the start-up check: a model that cannot load fails
   * `create` at once, and the first caller does not wait for it).
   */
  warm(): void {
    if (this.all.length > 0) return;
    const config = this.parsedConfig();
    let native: NativePointer | null;
    try {
      native = this.library.init(config);
    } finally {
      this.library.cmdLnFree(config);
    }
    this.idle.push(this.adopt(native));
  }

  /**
   * An idle decoder, the one `preference` scores highest (ties: the most recently released), else the
   * most recently released; a new one while under the limit; or one released later (waiterFor). The recognizer
   * scores what each idle decoder already holds: the grammar compiled (an utterance of the name path
   * holds several decoders with different grammars, and without the preference every decoder would in
   * time compile every grammar, costing compile time and memory in each) and the context's MLLR
   * transform (a swap costs ~40 ms before decoding starts).
   */
  async acquire(preference?: (decoder: PooledDecoder) => number): Promise<PooledDecoder> {
    if (this.closed) throw new Error('the pocketsphinx recognizer is closed');
    const chosen = preference === undefined ? -1 : highestScoring(this.idle, preference, 'newest first');
    const idle = chosen >= 0 ? this.idle.splice(chosen, 1)[0] : this.idle.pop();
    if (idle !== undefined) return idle;
    if (this.mayGrow) return this.createOffLoop();
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject, preference, since: performance.now() });
    });
  }

  /**
   * As acquire, but null instead of waiting when no decoder is idle and the pool is full: for a decode that may
   * be thrown away (an answer decoded before its hangover ended), which must not queue for a decoder.
   */
  async acquireIdle(preference: (decoder: PooledDecoder) => number): Promise<PooledDecoder | null> {
    if (this.closed) throw new Error('the pocketsphinx recognizer is closed');
    if (this.idle.length === 0 && !this.mayGrow) return null;
    return this.acquire(preference);
  }

  /**
   * For work done ahead of an utterance, which must not hold up a call's: the idle decoder `preference` scores
   * above 0 (highest; ties: the most recently released), else a new one while under the limit, else the most
   * recently released idle one; null when none is idle and the pool is full (it never waits).
   */
  async acquireIfFree(preference: (decoder: PooledDecoder) => number): Promise<PooledDecoder | null> {
    if (this.closed) throw new Error('the pocketsphinx recognizer is closed');
    const chosen = highestScoring(this.idle, preference, 'newest first');
    if (chosen >= 0) return this.idle.splice(chosen, 1)[0] ?? null;
    if (this.mayGrow) return this.createOffLoop();
    return this.idle.pop() ?? null;
  }

  /** Whether another decoder may be created: those made and being made are under the limit. */
  private get mayGrow(): boolean {
    return this.all.length + this.creating.size < this.sizeMax;
  }

  release(decoder: PooledDecoder): void {
    assert(this.all.includes(decoder), 'released a decoder this pool does not own');
    const next = this.closed ? undefined : this.waiterFor(decoder);
    if (next !== undefined) next.resolve(decoder);
    else this.idle.push(decoder);
    if (this.closed && this.idle.length === this.all.length) this.onAllIdle?.();
  }

  /**
   * Makes `grammar` the decoder's active search, compiling it the first time (on a pool thread: the
   * decoder is this caller's alone until released, and the event loop keeps carrying calls' audio).
   * `settings` are the decoder settings the search is compiled with instead of the decoder's own.
   */
  async select(decoder: PooledDecoder, grammar: GrammarDefinition, languageWeight: number,
    settings: SearchSettings = {}): Promise<void> {
    const id = grammarId(grammar.context, grammar.grammarKey);
    if (decoder.searches.delete(id)) {
      decoder.searches.add(id);
    } else {
      const compiled = this.compiling.then(async () => this.compile(decoder, grammar, id, languageWeight, settings));
      this.compiling = compiled.catch(() => undefined);
      await compiled;
    }
    if (this.library.setSearch(decoder.native, id) < 0) throw new Error(`pocketsphinx has no search ${id}`);
  }

  /** Adds the grammar's words the decoder lacks and compiles the grammar into it (one compilation at a time). */
  private async compile(decoder: PooledDecoder, grammar: GrammarDefinition, id: string,
    languageWeight: number, settings: SearchSettings): Promise<void> {
    this.makeRoomForSearch(decoder);
    // Only words the decoder does not know; the search graph is rebuilt once, after the last one.
    const entries = [...grammar.pronunciations.entries()]
      .filter(([word]) => this.library.lookupWord(decoder.native, word) === null);
    const words = entries.flatMap(([word, variants]) => variants.map((phones, variant) =>
      [variant === 0 ? word : `${word}(${variant + 1})`, phones.join(' ')] as const));
    for (const [index, [spelled, phones]] of words.entries()) {
      if (index < words.length - 1) this.library.addWord(decoder.native, spelled, phones, false);
      else await this.library.addWordAsync(decoder.native, spelled, phones, true);
      // A roll's thousands of words would hold the event loop for tens of ms: let calls' audio through.
      if (index % wordsPerLoopTurn === wordsPerLoopTurn - 1) await new Promise((resolve) => setImmediate(resolve));
    }
    // A search reads its beams, penalties and filler probabilities from the decoder's configuration when it is
    // compiled: a setting of its own is made just around the compile and the decoder's restored.
    const usual = Object.keys(settings).map((name) => [name, this.library.configFloat(decoder.native, name)] as const);
    for (const [name, value] of Object.entries(settings)) this.library.setConfigFloat(decoder.native, name, value);
    let status: number;
    try {
      status = grammar.format === 'jsgf'
        ? await this.library.setJsgfStringAsync(decoder.native, id, grammar.source)
        : await this.library.setFsgFileAsync(decoder.native, id, grammar.source, languageWeight);
    } finally {
      for (const [name, value] of usual) this.library.setConfigFloat(decoder.native, name, value);
    }
    if (status < 0) throw new Error(`pocketsphinx could not compile the ${id} grammar`);
    decoder.searches.add(id);
    this.compiled += 1;
  }

  /** Frees least recently used searches until one more fits (the decoder is idle: no utterance runs on it). */
  private makeRoomForSearch(decoder: PooledDecoder): void {
    for (const oldest of decoder.searches) {
      if (decoder.searches.size < this.searchesMax) return;
      if (this.library.unsetSearch(decoder.native, oldest) < 0) throw new Error(`pocketsphinx has no search ${oldest} to free`);
      decoder.searches.delete(oldest);
      this.freed += 1;
    }
  }

  /** Frees every decoder once the utterances using them have given them back (a native call may be running). */
  async close(): Promise<void> {
    this.closed = true;
    // A decoder still being created goes to its caller, who gives it back like any other.
    await Promise.allSettled([...this.creating]);
    if (this.idle.length < this.all.length) {
      await new Promise<void>((resolve) => { this.onAllIdle = resolve; });
    }
    for (const decoder of this.all) this.library.free(decoder.native);
    this.all.length = 0;
    this.idle.length = 0;
  }

  /**
   * Who gets a decoder given back: the waiter that scores it highest (ties: the longest waiting), unless the
   * longest waiting has waited passedOverMsMax already, which then takes it whatever it scores.
   */
  private waiterFor(decoder: PooledDecoder): Waiter | undefined {
    const first = this.waiting[0];
    if (first === undefined || performance.now() - first.since >= passedOverMsMax) return this.waiting.shift();
    const chosen = highestScoring(this.waiting, (waiter) => waiter.preference?.(decoder) ?? 0, 'oldest first');
    return this.waiting.splice(Math.max(chosen, 0), 1)[0];
  }

  /** One more decoder, made on a pool thread; a failure goes to its caller and lets a waiter try again. */
  private createOffLoop(): Promise<PooledDecoder> {
    const config = this.parsedConfig();
    // ps_init keeps its own reference to the configuration.
    const created = this.initOffLoop(config).finally(() => { this.library.cmdLnFree(config); })
      .then((native) => this.adopt(native));
    this.creating.add(created);
    void created.then(() => { this.creating.delete(created); }, () => {
      this.creating.delete(created);
      const next = this.waiting.shift();
      if (next !== undefined && !this.closed) this.createOffLoop().then(next.resolve, next.reject);
      else next?.reject(new Error('the pocketsphinx recognizer is closed'));
    });
    return created;
  }

  /** cmd_ln_parse: the arguments only (the model is read by ps_init). */
  private parsedConfig(): NativePointer {
    const config = this.library.cmdLnParse(this.argv);
    if (config === null) throw new Error(`pocketsphinx refused its configuration: ${this.argv.join(' ')}`);
    return config;
  }

  private adopt(native: NativePointer | null): PooledDecoder {
    if (native === null) throw new Error('pocketsphinx could not create a decoder (model or dictionary unreadable)');
    const decoder = { native, searches: new Set<string>() };
    this.all.push(decoder);
    return decoder;
  }
}

/**
 * The index of the item `score` puts highest above 0, ties going to the first met in `order` (the idle list
 * ends with the most recently released decoder, the waiting list starts with the longest waiting); -1 if none.
 */
function highestScoring<T>(items: readonly T[], score: (item: T) => number,
  order: 'newest first' | 'oldest first'): number {
  let chosen = -1;
  let chosenScore = 0;
  for (let step = 0; step < items.length; step += 1) {
    const index = order === 'newest first' ? items.length - 1 - step : step;
    const value = score(items[index] as T);
    if (value > chosenScore) [chosen, chosenScore] = [index, value];
  }
  return chosen;
}
