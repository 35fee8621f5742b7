// Registry: STATE_OR_PROVINCE (SPEC §10) → jurisdiction module. Adding a jurisdiction means one
// module under src/roll/<name>/ and one line here.
import type { Jurisdiction } from './jurisdiction.js';
import { loadIowa } from './iowa/index.js';

const loaders: ReadonlyMap<string, () => Jurisdiction> = new Map([
  ['iowa', loadIowa],
]);

export const supportedStatesOrProvinces: readonly string[] = [...loaders.keys()];

export class UnknownJurisdictionError extends Error {
  override name = 'UnknownJurisdictionError';
}

/** The module for a STATE_OR_PROVINCE value ("Iowa", "iowa", " IOWA "). */
export function jurisdictionFor(stateOrProvince: string): Jurisdiction {
  const key = stateOrProvince.trim().toLowerCase();
  const load = loaders.get(key);
  if (load === undefined) {
    throw new UnknownJurisdictionError(
      `STATE_OR_PROVINCE ${JSON.stringify(stateOrProvince)} is not supported (supported: ${supportedStatesOrProvinces.join(', ')})`);
  }
  return load();
}
