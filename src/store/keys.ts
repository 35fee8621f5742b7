// Redis key names. Every key of one jurisdiction carries the same hash tag `{ia}` so that all
// multi-key atomic operations (Lua, MULTI) stay inside one Redis Cluster slot.

export interface JurisdictionKeys {
  readonly tag: string;
  key(...parts: Array<string | number>): string;
}

const jurisdictionCodePattern = /^[a-z]{2,8}$/;

export function jurisdictionKeys(code: string): JurisdictionKeys {
  if (!jurisdictionCodePattern.test(code)) throw new RangeError(`bad jurisdiction code ${JSON.stringify(code)}`);
  const tag = `{${code}}`;
  return {
    tag,
    // Concatenation, not [tag, ...parts].join: a key is built for every payment, and the arrays showed.
    key: (...parts) => {
      let key = tag;
      for (const part of parts) key += `:${part}`;
      return key;
    },
  };
}
