// County assessors' data as declared property values (SPEC §4), through a CSV interface first:
//   parcel,owner,value,description
//   0912-345-001,123456789,"$125,000.00",House at 100 Main St
// `owner` is the owner's REGN_NUM. Each new parcel is registered for its owner exactly as a voter
// would register it (owner debited, sovereigns credited), with the parcel as idempotency key, so
// importing the same file again changes nothing. Bad rows are reported with their line number and
// skipped. A changed assessment of a registered parcel is applied to its current owner through
// PropertyService.reassess (a rise pays the difference to the sovereigns; a fall refunds nothing),
// guarded on the parcel's state, so importing the same values again changes nothing.
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { AmountError, parseAmountCents } from '../core/money/amount.js';
import type { CallerDirectory } from './caller-directory.js';
import type { PropertyService } from './property-service.js';

export const assessorRowsMax = 1_000_000;
export const assessorColumns = ['parcel', 'owner', 'value', 'description'] as const;

export class AssessorImportError extends Error {
  override name = 'AssessorImportError';
}

export interface AssessorReport {
  registered: number;
  alreadyRegistered: number;
  /** Parcels already registered whose assessed value differed from the registered one: now applied. */
  changed: Array<{ line: number; parcel: string; registeredCents: number; assessedCents: number }>;
  bad: Array<{ line: number; reason: string }>;
}

export async function importAssessorCsv(options: {
  path: string; county: string; properties: PropertyService; callers: CallerDirectory; amountMaxCents: number;
}): Promise<AssessorReport> {
  if (!/^[a-z][a-z -]{1,40}$/.test(options.county)) throw new AssessorImportError(`bad county name "${options.county}"`);
  const rows = parse(await readFile(options.path), { columns: true, skip_empty_lines: true, trim: true,
    info: true, relax_column_count: true }) as Array<{ record: Record<string, string>; info: { lines: number } }>;
  if (rows.length > assessorRowsMax) throw new AssessorImportError(`more than ${assessorRowsMax} rows`);
  const header = Object.keys(rows[0]?.record ?? {});
  const missing = assessorColumns.filter((column) => !header.includes(column));
  if (rows.length > 0 && missing.length > 0) throw new AssessorImportError(`missing column(s): ${missing.join(', ')}`);
  const report: AssessorReport = { registered: 0, alreadyRegistered: 0, changed: [], bad: [] };
  for (const { record, info } of rows) {
    const line = info.lines;
    const parcel = record.parcel ?? '';
    const owner = record.owner ?? '';
    // Ten digits in a row would read as a phone number, which the public log refuses.
    if (!/^[A-Za-z0-9.-]{1,40}$/.test(parcel) || /\d{10}/.test(parcel)) {
      report.bad.push({ line, reason: `bad parcel number "${parcel}"` });
      continue;
    }
    let cents: number;
    try {
      cents = parseAmountCents(record.value ?? '', options.amountMaxCents);
    } catch (error) {
      if (!(error instanceof AmountError)) throw error;
      report.bad.push({ line, reason: error.message });
      continue;
    }
    let caller;
    try {
      caller = await options.callers.byVoterId(owner, 'import');
    } catch {
      report.bad.push({ line, reason: `owner ${owner} is not in the current roll` });
      continue;
    }
    const description = (record.description ?? '').replace(/\d{10,}/g, '…').slice(0, 120);
    const result = await options.properties.register(caller, { kind: 'property', declaredCents: cents,
      what: `${options.county} county parcel ${parcel}${description.length > 0 ? `: ${description}` : ''}`,
      idempotencyKey: `assessor:${options.county}:${parcel}` });
    if (!result.duplicate) {
      report.registered += 1;
      continue;
    }
    report.alreadyRegistered += 1;
    const { property } = await options.properties.get(result.id);
    if (property === null || property.declaredCents === cents) continue;
    // The parcel may have changed hands on the network since: its current owner pays the difference.
    const currentOwner = property.owner === caller.voterId ? caller
      : await options.callers.byVoterId(property.owner, 'import');
    const applied = await options.properties.reassess(currentOwner, { property: property.id, declaredCents: cents,
      source: `${options.county} county assessor` });
    if (applied.applied) {
      report.changed.push({ line, parcel, registeredCents: applied.previousCents, assessedCents: cents });
    }
  }
  return report;
}
