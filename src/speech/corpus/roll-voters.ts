// Reads every voter of a roll export ZIP straight from the file, with the importer's own planner and
// row parser (src/roll/), so the corpus runner needs no Redis: the same ZIP gives the same voters the
// importer would write, and bad rows are counted the same way.
import { basename } from 'node:path';
import { parse } from 'csv-parse';
import type { RegisteredVoter } from '../../core/voter.js';
import { RollImportError } from '../../roll/errors.js';
import type { Jurisdiction } from '../../roll/jurisdiction.js';
import { decodeLatin1Row } from '../../roll/text-encoding.js';
import { openRollSource, planRollSources } from '../../roll/zip-sources.js';

export interface RollVoters {
  voters: RegisteredVoter[];
  badRows: number;
  sha256: string;
}

/**
 * All voters of the export; throws RollImportError when the ZIP itself cannot be read, or holds no voter (as
 * the importer refuses it: a corpus judged against nobody would count every name as a miss).
 */
export async function readRollVoters(zipPath: string, jurisdiction: Jurisdiction): Promise<RollVoters> {
  const plan = await planRollSources({ zipPath, format: jurisdiction.roll });
  const voters: RegisteredVoter[] = [];
  let badRows = 0;
  try {
    for (const source of plan.sources) {
      const { stream, close } = await openRollSource(source);
      const parser = parse({ encoding: 'latin1', from_line: 2, relax_column_count: true, relax_quotes: true,
        skip_empty_lines: true, skip_records_with_error: true, on_skip: () => { badRows += 1; return undefined; } });
      stream.on('error', (error) => parser.destroy(error));
      stream.pipe(parser);
      try {
        for await (const raw of parser as AsyncIterable<string[]>) {
          const { fields } = decodeLatin1Row(raw);
          const outcome = fields.length < source.header.fieldsNeeded
            ? { kind: 'bad' as const } : source.header.parseRow(fields);
          if (outcome.kind === 'voter') voters.push(outcome.voter);
          else badRows += 1;
        }
      } finally {
        stream.destroy();
        close();
      }
    }
  } finally {
    await plan.dispose();
  }
  if (voters.length === 0) {
    throw new RollImportError('empty-roll', `${basename(zipPath)}: no voter could be read (${badRows} bad rows)`);
  }
  return { voters, badRows, sha256: plan.sha256 };
}
