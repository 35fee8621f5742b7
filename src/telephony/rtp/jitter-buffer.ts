// Inbound audio jitter buffer: packets are put in as they arrive and taken out once per 20 ms tick in
// sequence order. It waits for `depthFrames` packets before the first playout, reorders, drops
// duplicates and packets that arrive after their turn, and never holds more than `capacityFrames`
// (beyond that it skips ahead to the oldest packet it holds, as after a long gap or a new stream).
import { assert } from '../errors.js';
import { sequenceDistance } from './packet.js';

export interface JitterBufferOptions {
  readonly depthFrames: number;
  readonly capacityFrames: number;
}

export const defaultJitterBufferOptions: JitterBufferOptions = { depthFrames: 3, capacityFrames: 50 };

export interface JitterBufferStats {
  received: number;
  duplicate: number;
  late: number;
  lost: number;
  overflow: number;
}

export class JitterBuffer<T> {
  private readonly slots = new Map<number, T>();
  private nextSequence: number | null = null;
  private primed = false;
  readonly stats: JitterBufferStats = { received: 0, duplicate: 0, late: 0, lost: 0, overflow: 0 };

  constructor(private readonly options: JitterBufferOptions = defaultJitterBufferOptions) {
    assert(options.depthFrames >= 1, 'jitter depth must be at least one frame');
    assert(options.capacityFrames > options.depthFrames, 'jitter capacity must exceed its depth');
  }

  get size(): number {
    return this.slots.size;
  }

  put(sequence: number, item: T): void {
    assert(Number.isInteger(sequence) && sequence >= 0 && sequence <= 0xffff, 'RTP sequence is 16 bits');
    if (this.nextSequence !== null && sequenceDistance(sequence, this.nextSequence) < 0) {
      // A jump far backwards is a restarted stream, not a late packet: start over from it.
      if (sequenceDistance(sequence, this.nextSequence) < -this.options.capacityFrames) this.reset();
      else {
        this.stats.late += 1;
        return;
      }
    }
    if (this.slots.has(sequence)) {
      this.stats.duplicate += 1;
      return;
    }
    this.nextSequence ??= sequence;
    if (sequenceDistance(sequence, this.nextSequence) >= this.options.capacityFrames) {
      // Far ahead of the playout point: the gap will never fill, so jump to the new packet.
      this.stats.overflow += this.slots.size;
      this.slots.clear();
      this.nextSequence = sequence;
      this.primed = false;
    }
    this.slots.set(sequence, item);
    this.stats.received += 1;
    if (this.slots.size >= this.options.depthFrames) this.primed = true;
  }

  /** The frame due at this tick; null while priming or when the due packet is missing (counted as lost). */
  take(): T | null {
    if (!this.primed || this.nextSequence === null) return null;
    if (this.slots.size === 0) {
      // Drained: wait for the depth again rather than counting silence (no packets) as loss.
      this.primed = false;
      return null;
    }
    const sequence = this.nextSequence;
    this.nextSequence = (sequence + 1) & 0xffff;
    const item = this.slots.get(sequence);
    if (item === undefined) {
      this.stats.lost += 1;
      return null;
    }
    this.slots.delete(sequence);
    return item;
  }

  reset(): void {
    this.slots.clear();
    this.nextSequence = null;
    this.primed = false;
  }
}
