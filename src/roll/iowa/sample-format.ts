// Writes synthetic voters the way the Iowa export does: upper case, dates MM/DD/YYYY, phones in
// the assorted punctuations county systems produce, and now and then an abbreviated city
// ("W DES MOINES") so the importer's normalizer is exercised by every sample roll.
import type { Prng } from '../prng.js';
import type { SampleRollFormat, SampleVoter } from '../jurisdiction.js';
import { iowaExportColumns } from './roll-format.js';

const cityAbbreviationShare = 0.06;
const cityAbbreviations: Readonly<Record<string, string>> = {
  west: 'W', north: 'N', south: 'S', east: 'E', fort: 'FT', mount: 'MT',
};

function usDate(date: Date): string {
  const month = String(date.getUTCMonth() + 1).padStart(2, '0');
  const day = String(date.getUTCDate()).padStart(2, '0');
  return `${month}/${day}/${date.getUTCFullYear()}`;
}

function writtenPhone(phone: string, prng: Prng): string {
  if (phone.length === 0) return '';
  const [area, exchange, line] = [phone.slice(0, 3), phone.slice(3, 6), phone.slice(6)];
  const style = prng.float();
  if (style < 0.55) return phone;
  if (style < 0.8) return `${area}-${exchange}-${line}`;
  if (style < 0.95) return `(${area}) ${exchange}-${line}`;
  return `1-${area}-${exchange}-${line}`;
}

function writtenCity(city: string, prng: Prng): string {
  const [first, ...rest] = city.split(' ');
  const abbreviation = cityAbbreviations[first ?? ''];
  if (abbreviation !== undefined && rest.length > 0 && prng.chance(cityAbbreviationShare)) {
    return [abbreviation, ...rest].join(' ').toUpperCase();
  }
  return city.toUpperCase();
}

/** Sample voters carry upper-case names and street parts already; places are upper-cased here. */
function formatRow(voter: SampleVoter, prng: Prng): string[] {
  const mailing = voter.mailing;
  return [
    voter.regnNum, voter.first, voter.middle, voter.last, voter.suffix,
    String(voter.houseNumber), voter.houseSuffix, voter.preDirection, voter.streetName, voter.streetType,
    '', voter.unitType, voter.unitNumber,
    writtenCity(voter.place.city, prng), 'IA', voter.zip, voter.zipPlus,
    voter.place.county.toUpperCase(), voter.precinct, voter.township, voter.place.district,
    writtenPhone(voter.phone, prng), voter.gender, usDate(voter.birthDate), voter.party, voter.status,
    usDate(voter.registeredOn), usDate(voter.updatedOn),
    mailing === null ? '' : mailing.city.toUpperCase(), mailing === null ? '' : 'IA',
    mailing === null ? '' : mailing.zip, mailing === null ? '' : mailing.zipPlus,
  ];
}

export const iowaSampleFormat: SampleRollFormat = {
  header: iowaExportColumns,
  fileName: (index) => `IA_VOTER_EXPORT_${String(index).padStart(2, '0')}.csv`,
  formatRow,
};
