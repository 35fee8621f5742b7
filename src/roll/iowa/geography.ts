// Iowa's geography, read from data/iowa at run time: counties with auditor phones (IVR
// "register"), the official city spellings (importer), and sample-roll places with weights.
import assert from 'node:assert/strict';
import { readDataCsv, readDataLines } from '../data-dir.js';
import { RollDataError } from '../errors.js';
import { createCityNormalizer, type CityNormalizer } from '../normalize.js';
import type { County, SamplePlace } from '../jurisdiction.js';

export const iowaCountyCount = 99;
export const iowaDistricts: readonly string[] = ['1', '2', '3', '4'];
export const iowaAreaCodes: readonly string[] = ['319', '515', '563', '641', '712'];

/** Towns not in places.csv are small: most of Iowa's ~940 cities have a few hundred people. */
const smallTownPopulation = 450;
const zipSuffixRange = 100;

export interface IowaGeography {
  counties: County[];
  normalizeCity: CityNormalizer;
  cities: string[];
  places: SamplePlace[];
}

function loadCounties(): County[] {
  const counties = readDataCsv('iowa', 'counties.csv').map((row): County => {
    const auditorPhone = (row.auditor_phone ?? '').replace(/\D/g, '');
    if (auditorPhone.length !== 10) throw new RollDataError(`bad auditor phone for ${row.county}`);
    return { id: Number(row.county_id), name: (row.county ?? '').trim(), auditorPhone };
  });
  assert.equal(counties.length, iowaCountyCount, 'Iowa has 99 counties');
  assert.ok(counties.every((county) => Number.isInteger(county.id) && county.name.length > 0));
  return counties;
}

/** FNV-1a: a stable hash, so a small town's invented county and ZIP never change. */
function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193) >>> 0;
  }
  return hash;
}

interface CountyRegion {
  zip3: string;
  district: string;
  areaCode: string;
}

function loadRegions(counties: readonly County[]): Map<string, CountyRegion> {
  const byCounty = new Map(counties.map((county) => [county.name, county]));
  const regions = new Map<string, CountyRegion>();
  for (const row of readDataCsv('iowa', 'county-regions.csv')) {
    const county = byCounty.get(row.county ?? '');
    if (county === undefined) throw new RollDataError(`county-regions.csv: unknown county ${row.county}`);
    const district = row.congressional ?? '';
    if (!iowaDistricts.includes(district)) throw new RollDataError(`bad district for ${county.name}`);
    regions.set(county.name, { zip3: row.zip3 ?? '', district, areaCode: county.auditorPhone.slice(0, 3) });
  }
  assert.equal(regions.size, counties.length, 'county-regions.csv covers every county');
  return regions;
}

function loadPlaces(cities: readonly string[], counties: readonly County[],
  normalizeCity: CityNormalizer): SamplePlace[] {
  const regions = loadRegions(counties);
  const known = new Map(readDataCsv('iowa', 'places.csv').map((row) => [normalizeCity(row.city ?? ''), row]));
  const places = cities.map((city): SamplePlace => {
    const row = known.get(city);
    const hash = stableHash(city);
    const county = row?.county ?? (counties[hash % counties.length] as County).name;
    const region = regions.get(county);
    if (region === undefined) throw new RollDataError(`places.csv: unknown county ${county} for ${city}`);
    const zips = row === undefined
      ? [region.zip3 + String((hash >>> 8) % zipSuffixRange).padStart(2, '0')]
      : (row.zips ?? '').split(' ');
    const weight = row === undefined ? smallTownPopulation : Number(row.population);
    return { city, county, weight, zips, areaCode: region.areaCode, district: region.district };
  });
  for (const city of known.keys()) {
    if (!cities.includes(city)) throw new RollDataError(`places.csv: ${city} is not in cities.txt`);
  }
  assert.ok(places.every((place) => place.zips.every((zip) => /^5[0-2]\d{3}$/.test(zip))), 'Iowa ZIPs');
  return places;
}

export function loadIowaGeography(): IowaGeography {
  const counties = loadCounties();
  const spellings = readDataLines('iowa', 'cities.txt');
  const normalizeCity = createCityNormalizer(spellings);
  const cities = [...new Set(spellings.map(normalizeCity))].sort();
  const places = loadPlaces(cities, counties, normalizeCity);
  return { counties, normalizeCity, cities, places };
}
