// Seeded pseudo-random numbers for the sample-roll generator. Math.random cannot be seeded, and a
// sample roll must be reproducible byte for byte from its seed, so we carry our own generator:
// xoshiro128** (Blackman & Vigna), seeded through splitmix32 so that nearby seeds diverge at once.
import assert from 'node:assert/strict';

const uint32Range = 0x1_0000_0000;

function splitmix32(state: number): { state: number; value: number } {
  const next = (state + 0x9e3779b9) >>> 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return { state: next, value: (z ^ (z >>> 16)) >>> 0 };
}

function rotateLeft(value: number, bits: number): number {
  return ((value << bits) | (value >>> (32 - bits))) >>> 0;
}

export class Prng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    assert.ok(Number.isSafeInteger(seed) && seed >= 0, `seed must be a non-negative integer: ${seed}`);
    // Fold both 32-bit halves of the seed in, so seeds above 2^32 still differ.
    let state = (seed >>> 0) ^ Math.floor(seed / uint32Range);
    const words: number[] = [];
    for (let index = 0; index < 4; index += 1) {
      const step = splitmix32(state);
      state = step.state;
      words.push(step.value);
    }
    [this.s0, this.s1, this.s2, this.s3] = words as [number, number, number, number];
    assert.ok((this.s0 | this.s1 | this.s2 | this.s3) !== 0, 'xoshiro state must not be all zero');
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotateLeft(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const shifted = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ shifted) >>> 0;
    this.s3 = rotateLeft(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution: plenty for choosing among ≤ 2^24 items. */
  float(): number {
    return this.nextUint32() / uint32Range;
  }

  /** Uniform integer in [0, bound). */
  int(bound: number): number {
    assert.ok(Number.isSafeInteger(bound) && bound > 0 && bound <= uint32Range, `bad bound ${bound}`);
    return Math.floor(this.float() * bound);
  }

  /** Uniform integer in [low, high], both inclusive. */
  between(low: number, high: number): number {
    assert.ok(high >= low, `empty range ${low}..${high}`);
    return low + this.int(high - low + 1);
  }

  chance(probability: number): boolean {
    assert.ok(probability >= 0 && probability <= 1, `bad probability ${probability}`);
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    assert.ok(items.length > 0, 'cannot pick from an empty list');
    return items[this.int(items.length)] as T;
  }
}

/**
 * Picks items with given non-negative weights in O(log n) per pick (cumulative sums plus binary
 * search): the roll generator draws tens of millions of names from lists of up to ~160k entries.
 */
export class WeightedTable<T> {
  private readonly cumulative: Float64Array;
  readonly total: number;

  constructor(readonly items: readonly T[], weights: readonly number[]) {
    assert.equal(items.length, weights.length, 'one weight per item');
    assert.ok(items.length > 0, 'a weighted table needs items');
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((weight, index) => {
      assert.ok(Number.isFinite(weight) && weight >= 0, `bad weight ${weight} at ${index}`);
      sum += weight;
      this.cumulative[index] = sum;
    });
    assert.ok(sum > 0, 'weights must not all be zero');
    this.total = sum;
  }

  pick(prng: Prng): T {
    const target = prng.float() * this.total;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.cumulative[middle] as number) > target) high = middle;
      else low = middle + 1;
    }
    return this.items[low] as T;
  }
}

/**
 * Zipf–Mandelbrot weights 1 / (rank + offset)^exponent: a few very common items and a long tail
 * of rare ones. The offset flattens the very top, so rank 1 is not absurdly dominant.
 */
export function rankWeights(count: number, options: { offset: number; exponent: number }): number[] {
  assert.ok(Number.isSafeInteger(count) && count > 0, `bad count ${count}`);
  assert.ok(options.exponent > 0 && options.exponent < 4 && options.offset >= 0, 'bad rank weight shape');
  const weights = new Array<number>(count);
  for (let rank = 1; rank <= count; rank += 1) weights[rank - 1] = 1 / (rank + options.offset) ** options.exponent;
  return weights;
}

/** Fisher–Yates shuffle into a new array; deterministic for a given generator state. */
export function shuffled<T>(items: readonly T[], prng: Prng): T[] {
  const copy = items.slice();
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = prng.int(index + 1);
    const held = copy[index] as T;
    copy[index] = copy[other] as T;
    copy[other] = held;
  }
  return copy;
}
