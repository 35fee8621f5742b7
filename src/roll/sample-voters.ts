// Synthetic voters, household by household: members of a household share surname, address and
// (when they have one) phone, which is what makes "several voters on this phone" happen in the
// IVR. Everything is drawn from one seeded generator, so a seed fixes the whole roll.
import assert from 'node:assert/strict';
import type { Jurisdiction, SamplePlace, SampleVoter } from './jurisdiction.js';
import { Prng, WeightedTable } from './prng.js';
import type { SampleNames } from './sample-names.js';

const householdOfTwoShare = 0.055;
const householdOfThreeShare = 0.01;
const householdWithoutPhoneShare = 0.2;
/** Voters whose phone's area code is not their county's (cell phones, people who moved). */
const foreignAreaCodeShare = 0.07;
const ruralShare = 0.08;
const mailingAddressShare = 0.08;
const zipPlusShare = 0.7;
const unitShare = 0.05;
const preDirectionShare = 0.2;
const houseSuffixShare = 0.005;
const inactiveShare = 0.1;
const votersPerPrecinct = 2_500;
const birthYearMin = 1925;
const votingAge = 18;
const sampleYear = 2024;

const regnNumBase = 100_000_000;
const regnNumRange = 900_000_000;
/**
 * Coprime with the range (not divisible by 2, 3 or 5), so i ↦ (step·i + offset) mod range is a
 * bijection: ids are unique without remembering them. step · index stays below 2^53 for every
 * index below generatedVotersMax (10M).
 */
const regnNumStep = 617_283_947;
/** NANP exchanges 200–999 except the N11 service codes: 792 exchanges of 10,000 lines. */
const exchanges: readonly number[] = Array.from({ length: 800 }, (_, index) => 200 + index)
  .filter((exchange) => exchange % 100 !== 11);
const linesPerExchange = 10_000;
const phoneRange = exchanges.length * linesPerExchange;
/** Coprime with 7,920,000 = 2^7·3^2·5^4·11, for the same bijection over each area code's numbers. */
const phoneStep = 3_141_593;

const suffixes = new WeightedTable(['', 'JR', 'SR', 'II', 'III', 'IV'], [0.979, 0.012, 0.004, 0.002, 0.002, 0.001]);
const parties = new WeightedTable(['REP', 'DEM', 'NP', 'LIB', 'OTH'], [0.36, 0.3, 0.33, 0.005, 0.005]);
const streetTypes = new WeightedTable(['ST', 'AVE', 'DR', 'RD', 'LN', 'CT', 'PL', 'BLVD', 'CIR', 'WAY', 'TER', 'PKWY'],
  [30, 25, 15, 6, 6, 6, 3, 2, 3, 2, 1, 1]);
const preDirections: readonly string[] = ['N', 'S', 'E', 'W', 'NE', 'NW', 'SE', 'SW'];
const streetNames: readonly string[] = [
  'MAIN', 'OAK', 'MAPLE', 'ELM', 'PINE', 'CEDAR', 'WALNUT', 'ASH', 'BIRCH', 'CHERRY', 'HICKORY', 'WILLOW',
  'SPRUCE', 'WASHINGTON', 'LINCOLN', 'JEFFERSON', 'MADISON', 'JACKSON', 'GRANT', 'ADAMS', 'MONROE', 'PARK',
  'LAKE', 'HILL', 'RIVER', 'MILL', 'SCHOOL', 'CHURCH', 'CENTER', 'HIGH', 'BROADWAY', 'PROSPECT', 'GRAND',
  'UNIVERSITY', 'COLLEGE', 'RIDGE', 'MEADOW', 'SUNSET', 'PRAIRIE', 'COUNTRY CLUB', 'EUCLID', 'DOUGLAS',
  'INGERSOLL', 'FOREST', 'HIGHLAND', 'VALLEY', 'ORCHARD', 'LOCUST', 'CHESTNUT', 'SYCAMORE', 'COTTONWOOD',
  'DIVISION', 'RAILROAD', 'DEPOT', 'MARKET', 'FRONT', 'WATER', 'BLUFF', 'SUMMIT', 'FAIRVIEW', 'WOODLAND',
  ...Array.from({ length: 40 }, (_, index) => ordinal(index + 1)),
];
const townships: readonly string[] = [
  'WASHINGTON', 'UNION', 'JACKSON', 'JEFFERSON', 'LINCOLN', 'FRANKLIN', 'GRANT', 'LIBERTY', 'PLEASANT',
  'CENTER', 'PRAIRIE', 'HIGHLAND', 'GROVE', 'DOUGLAS', 'CLAY', 'EAGLE', 'LAKE', 'SHERMAN', 'MADISON', 'MONROE',
];

function ordinal(value: number): string {
  const lastTwo = value % 100;
  const suffix = lastTwo >= 11 && lastTwo <= 13 ? 'TH' : (['TH', 'ST', 'ND', 'RD'][value % 10] ?? 'TH');
  return `${value}${suffix}`;
}

function utcDate(year: number, dayOfYear: number): Date {
  return new Date(Date.UTC(year, 0, 1 + dayOfYear));
}

interface Household {
  place: SamplePlace;
  surname: string;
  zip: string;
  zipPlus: string;
  street: Pick<SampleVoter, 'houseNumber' | 'houseSuffix' | 'preDirection' | 'streetName' | 'streetType' | 'unitType' | 'unitNumber'>;
  precinct: string;
  township: string;
  phone: string;
  mailing: SampleVoter['mailing'];
}

export class SampleVoterSource {
  private readonly places: WeightedTable<SamplePlace>;
  private readonly phoneCounters = new Map<string, number>();
  private readonly regnNumOffset: number;
  private readonly phoneOffset: number;
  private readonly queue: SampleVoter[] = [];
  private voterIndex = 0;

  constructor(private readonly jurisdiction: Jurisdiction, private readonly names: SampleNames,
    private readonly prng: Prng) {
    const places = jurisdiction.sample.places;
    this.places = new WeightedTable(places, places.map((place) => place.weight));
    this.regnNumOffset = prng.int(regnNumRange);
    this.phoneOffset = prng.int(phoneRange);
  }

  next(): SampleVoter {
    if (this.queue.length === 0) this.queue.push(...this.household());
    const voter = this.queue.shift();
    assert.ok(voter !== undefined, 'a household has at least one member');
    return voter;
  }

  private household(): SampleVoter[] {
    const prng = this.prng;
    const sizeDraw = prng.float();
    const size = sizeDraw < householdOfThreeShare ? 3 : sizeDraw < householdOfThreeShare + householdOfTwoShare ? 2 : 1;
    const home = this.home();
    return Array.from({ length: size }, () => this.member(home));
  }

  private home(): Household {
    const prng = this.prng;
    const place = this.places.pick(prng);
    const rural = prng.chance(ruralShare);
    const township = rural ? `${prng.pick(townships)} TWP` : '';
    const precinctCount = Math.max(1, Math.round(place.weight / votersPerPrecinct));
    const precinct = rural ? township : `${place.city.toUpperCase()} ${String(prng.between(1, precinctCount)).padStart(2, '0')}`;
    const mailingPlace = prng.chance(mailingAddressShare) ? this.places.pick(prng) : null;
    return {
      place, township, precinct,
      surname: this.names.surname(prng),
      zip: prng.pick(place.zips),
      zipPlus: prng.chance(zipPlusShare) ? String(prng.between(1, 9999)).padStart(4, '0') : '',
      street: this.street(place, rural),
      phone: prng.chance(householdWithoutPhoneShare) ? '' : this.phone(place),
      mailing: mailingPlace === null ? null
        : { city: mailingPlace.city, zip: prng.pick(mailingPlace.zips), zipPlus: '' },
    };
  }

  private street(place: SamplePlace, rural: boolean): Household['street'] {
    const prng = this.prng;
    const houseNumberMax = rural ? 29_999 : place.weight > 20_000 ? 9_999 : 1_999;
    const unit = !rural && prng.chance(unitShare);
    return {
      houseNumber: prng.between(1, houseNumberMax),
      houseSuffix: prng.chance(houseSuffixShare) ? '1/2' : '',
      preDirection: prng.chance(preDirectionShare) ? prng.pick(preDirections) : '',
      streetName: rural ? `${prng.between(100, 400)}TH` : prng.pick(streetNames),
      streetType: rural ? 'ST' : streetTypes.pick(prng),
      unitType: unit ? 'APT' : '',
      unitNumber: unit ? String(prng.between(1, 40)) : '',
    };
  }

  /** A phone no other household has: a bijective walk through each area code's numbers. */
  private phone(place: SamplePlace): string {
    const prng = this.prng;
    const areaCode = prng.chance(foreignAreaCodeShare) ? prng.pick(this.jurisdiction.areaCodes) : place.areaCode;
    const counter = this.phoneCounters.get(areaCode) ?? 0;
    assert.ok(counter < phoneRange, `area code ${areaCode} is out of numbers`);
    this.phoneCounters.set(areaCode, counter + 1);
    // Offsetting by the area code keeps the area codes' sequences from sharing their last 7 digits.
    const index = (counter * phoneStep + this.phoneOffset + Number(areaCode) * linesPerExchange) % phoneRange;
    const exchange = exchanges[Math.floor(index / linesPerExchange)] as number;
    return `${areaCode}${exchange}${String(index % linesPerExchange).padStart(4, '0')}`;
  }

  private member(home: Household): SampleVoter {
    const prng = this.prng;
    assert.ok(this.voterIndex < regnNumRange, 'registration numbers exhausted');
    const regnNum = regnNumBase + (this.voterIndex * regnNumStep + this.regnNumOffset) % regnNumRange;
    this.voterIndex += 1;
    const birthYear = prng.between(birthYearMin, sampleYear - votingAge);
    const registeredYear = prng.between(Math.max(birthYear + votingAge, 1970), sampleYear);
    return {
      regnNum: String(regnNum),
      first: this.names.firstName(prng),
      middle: this.names.middleName(prng),
      last: home.surname,
      suffix: suffixes.pick(prng),
      ...home.street,
      place: home.place,
      zip: home.zip,
      zipPlus: home.zipPlus,
      precinct: home.precinct,
      township: home.township,
      phone: home.phone,
      gender: prng.chance(0.5) ? 'F' : 'M',
      birthDate: utcDate(birthYear, prng.int(365)),
      party: parties.pick(prng),
      status: prng.chance(inactiveShare) ? 'INACTIVE' : 'ACTIVE',
      registeredOn: utcDate(registeredYear, prng.int(365)),
      updatedOn: utcDate(prng.between(registeredYear, sampleYear), prng.int(365)),
      mailing: home.mailing,
    };
  }
}
