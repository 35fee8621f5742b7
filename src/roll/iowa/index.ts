// The Iowa jurisdiction module. Data files are read once, on first use.
import type { County, Jurisdiction } from '../jurisdiction.js';
import { cleanText } from '../normalize.js';
import { iowaAreaCodes, iowaDistricts, loadIowaGeography } from './geography.js';
import { createIowaRollFormat } from './roll-format.js';
import { iowaSampleFormat } from './sample-format.js';

/** "O'Brien County" → "obrien": spoken and written county names compare on letters only. */
function countyKey(text: string): string {
  return cleanText(text).replace(/\s+county$/, '').replace(/[^a-z]/g, '');
}

function normalizeDistrict(raw: string): string | null {
  const digits = raw.replace(/\D/g, '').replace(/^0+/, '');
  return iowaDistricts.includes(digits) ? digits : null;
}

function createIowa(): Jurisdiction {
  const geography = loadIowaGeography();
  const byKey = new Map<string, County>();
  const byId = new Map<string, County>();
  for (const county of geography.counties) {
    byKey.set(countyKey(county.name), county);
    byId.set(String(county.id), county);
  }
  const byName = new Map(geography.counties.map((county) => [county.name, county]));
  const findCounty = (nameOrId: string): County | undefined => {
    // Fast path for the importer, which passes cleaned lower-case names such as "black hawk".
    const exact = byName.get(nameOrId);
    if (exact !== undefined) return exact;
    const trimmed = nameOrId.trim().replace(/^0+(?=\d)/, '');
    return /^\d+$/.test(trimmed) ? byId.get(trimmed) : byKey.get(countyKey(trimmed));
  };
  const knownCities = new Set(geography.cities);
  return {
    code: 'ia',
    name: 'Iowa',
    stateOrProvince: 'iowa',
    counties: geography.counties,
    cities: geography.cities,
    districts: iowaDistricts,
    areaCodes: iowaAreaCodes,
    normalizeCity: geography.normalizeCity,
    normalizeDistrict,
    findCounty,
    roll: createIowaRollFormat({ normalizeCity: geography.normalizeCity, knownCities, findCounty, normalizeDistrict }),
    sample: { places: geography.places, format: iowaSampleFormat },
  };
}

let iowa: Jurisdiction | undefined;

export function loadIowa(): Jurisdiction {
  iowa ??= createIowa();
  return iowa;
}
