// Builds small Iowa-format roll exports by hand for tests that need exact voters.
import { createWriteStream } from 'node:fs';
import yazl from 'yazl';
import { iowaExportColumns } from '../../src/roll/iowa/roll-format.js';

export interface HandVoter {
  id: string;
  first: string;
  middle?: string;
  last: string;
  city: string;
  county: string;
  phone: string;
  district?: string;
}

/**
 * `count` voters of Ames with ids from `firstId`, first names firsta, firstb, …, one surname, and phones
 * 515-555-BBNN where BB is the id's hundreds (so each suite's block of ids gets its own phones).
 */
export function amesVoters(count: number, firstId: number, last: string): HandVoter[] {
  const block = String(Math.floor(firstId / 100) % 100).padStart(2, '0');
  return Array.from({ length: count }, (_, i) => ({
    id: String(firstId + i), first: `first${String.fromCharCode(97 + i)}`, last, city: 'ames', county: 'story',
    phone: `515555${block}${String(i + 1).padStart(2, '0')}`,
  }));
}

function row(voter: HandVoter): string {
  const values: Record<string, string> = {
    REGN_NUM: voter.id, FIRST_NAME: voter.first.toUpperCase(), MIDDLE_NAME: (voter.middle ?? '').toUpperCase(),
    LAST_NAME: voter.last.toUpperCase(), NAME_SUFFIX: '', HOUSE_NUM: '100', STREET_NAME: 'MAIN', STREET_TYPE: 'ST',
    CITY: voter.city.toUpperCase(), STATE: 'IA', ZIP_CODE: '50010', COUNTY: voter.county.toUpperCase(), PRECINCT: 'P1',
    CONGRESSIONAL: voter.district ?? '4', PHONENO: voter.phone,
  };
  return iowaExportColumns.map((column, index) => (index < 28 ? values[column] ?? '' : '')).join(',');
}

export async function writeIowaZip(path: string, voters: readonly HandVoter[]): Promise<void> {
  const zip = new yazl.ZipFile();
  const csv = `${iowaExportColumns.join(',')}\n${voters.map(row).join('\n')}\n`;
  zip.addBuffer(Buffer.from(csv), 'voters.csv', { mtime: new Date('2026-01-01T00:00:00Z') });
  zip.end();
  await new Promise<void>((resolve, reject) => {
    zip.outputStream.pipe(createWriteStream(path)).once('close', resolve).once('error', reject);
  });
}
