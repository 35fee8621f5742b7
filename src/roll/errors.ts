// Typed errors of the roll subsystem. An import either succeeds or fails with one of these and
// leaves the current generation untouched; `code` lets callers (CLI, web) choose their wording.

export type RollImportErrorCode =
  | 'bad-options'
  | 'malformed-zip'
  | 'no-data-files'
  | 'missing-columns'
  | 'bad-header'
  | 'empty-roll'
  | 'import-locked'
  | 'lock-lost'
  | 'activation-failed';

export class RollImportError extends Error {
  override name = 'RollImportError';

  constructor(readonly code: RollImportErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A data file the generator or a jurisdiction module needs is missing or malformed. */
export class RollDataError extends Error {
  override name = 'RollDataError';
}
