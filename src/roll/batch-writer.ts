// Streams voters into a building generation in batches, a bounded number in flight: the parser
// waits whenever Redis is behind (backpressure), so memory stays flat whatever the roll's size.
import assert from 'node:assert/strict';
import type { EncodedVoterRow, RollStore } from '../store/roll-store.js';
import type { IssueLog } from './import-report.js';

export const batchSizeRows = 1_000;
export const batchesInFlightMax = 4;

interface RowLocation {
  file: string;
  line: number;
}

export class BatchWriter {
  written = 0;
  private rows: EncodedVoterRow[] = [];
  private locations: RowLocation[] = [];
  private readonly inFlight: Array<Promise<void>> = [];

  constructor(private readonly store: RollStore, private readonly generation: number,
    private readonly badRows: IssueLog) {}

  /** Queues a row; true when the batch is full and the caller must `await flush()`. */
  add(row: EncodedVoterRow, location: RowLocation): boolean {
    this.rows.push(row);
    this.locations.push(location);
    return this.rows.length >= batchSizeRows;
  }

  async flush(): Promise<void> {
    if (this.rows.length === 0) return;
    const rows = this.rows;
    const locations = this.locations;
    this.rows = [];
    this.locations = [];
    const pending = this.write(rows, locations);
    // Mark the rejection handled now; it is rethrown when this batch is awaited (or settled).
    void pending.catch(() => undefined);
    this.inFlight.push(pending);
    if (this.inFlight.length >= batchesInFlightMax) await this.inFlight.shift();
    assert.ok(this.inFlight.length < batchesInFlightMax, 'in-flight batches bounded');
  }

  private async write(rows: EncodedVoterRow[], locations: RowLocation[]): Promise<void> {
    const duplicates = await this.store.writeVoterBatch(this.generation, rows);
    for (const position of duplicates) {
      const row = rows[position];
      const location = locations[position];
      assert.ok(row !== undefined && location !== undefined, 'duplicate position inside the batch');
      this.badRows.add({ ...location, reason: `duplicate REGN_NUM ${row.id} (first occurrence kept)` });
    }
    this.written += rows.length - duplicates.length;
  }

  /** Flushes the last partial batch and waits for every write. */
  async finish(): Promise<void> {
    await this.flush();
    while (this.inFlight.length > 0) await this.inFlight.shift();
  }

  /** After a failure: waits for writes already sent, ignoring their errors, so none lands later. */
  async settle(): Promise<void> {
    await Promise.allSettled(this.inFlight.splice(0));
  }
}
