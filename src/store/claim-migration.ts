// Start-up, once per database: claims that earlier versions kept as one key each
// ({tag}:money:idem:<id>, a string with a 30-day expiry) move into the claim buckets
// (claim-buckets.ts), so a payment retried across the upgrade is still a duplicate. Each goes into
// the current bucket (the commit script's clock), where it lives at least another bucket width: no
// less than the key's remaining ttl. Moving is idempotent (HSETNX, then the key is deleted in the
// same script), so two processes starting at once, or a crash half way, leave nothing behind; a
// marker says it is done. Every process of a jurisdiction must run this version: one still writing
// claim keys after the move would not be seen by the rest.
import { Cluster, type Redis } from 'ioredis';
import type { ClaimBuckets } from './claim-buckets.js';
import type { JurisdictionKeys } from './keys.js';

export const legacyClaimScanCount = 1_000;
/** Sends of one batch, at most, while the script's clock is in another bucket than asked (as commit-batcher.ts). */
const bucketSendsMax = 3;

// KEYS[1] the log (its last entry's ts: the commit script's clock never goes below it), KEYS[2] the
// bucket ARGV[1] of width ARGV[2], KEYS[3..] legacy claim keys. Reply: moved count, or 'claims', ts
// when the clock is in another bucket (nothing done).
const moveScript = `
local now = redis.call('TIME')
local ts = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
if redis.call('LLEN', KEYS[1]) > 0 then
  local last = tonumber(string.match(redis.call('LINDEX', KEYS[1], -1), '^{"seq":%d+,"ts":(%d+),') or '0')
  if ts < last then ts = last end
end
local bucket, width = tonumber(ARGV[1]), tonumber(ARGV[2])
if math.floor(ts / width) ~= bucket then return { 'claims', string.format('%d', ts) } end
local moved = 0
for i = 3, #KEYS do
  -- nil once expired: nothing to keep.
  local value = redis.call('GET', KEYS[i])
  if value then
    redis.call('HSETNX', KEYS[2], string.match(KEYS[i], ':([^:]+)$'), value)
    moved = moved + 1
  end
  redis.call('DEL', KEYS[i])
end
if moved > 0 then redis.call('PEXPIREAT', KEYS[2], string.format('%d', (bucket + 2) * width), 'NX') end
return moved
`;

export function claimsMigratedKey(keys: JurisdictionKeys): string {
  return keys.key('schema', 'claims');
}

/** Moves every legacy claim key into the buckets unless done before; how many were moved. */
export async function migrateLegacyClaims(redis: Redis, keys: JurisdictionKeys, claims: ClaimBuckets): Promise<number> {
  const marker = claimsMigratedKey(keys);
  if (await redis.get(marker) !== null) return 0;
  const logKey = keys.key('log');
  let moved = 0;
  // A cluster client's SCAN asks one node at random: scan each master (the keys share one slot).
  const scanned = redis instanceof Cluster ? (redis as Cluster).nodes('master') : [redis];
  for (const node of scanned) {
    let cursor = '0';
    do {
      const [next, found] = await node.scan(cursor, 'MATCH', `${keys.key('money', 'idem')}:*`, 'COUNT', legacyClaimScanCount);
      cursor = next;
      if (found.length > 0) moved += await moveBatch(redis, logKey, claims, found);
    } while (cursor !== '0');
  }
  await redis.set(marker, 'buckets');
  return moved;
}

async function moveBatch(redis: Redis, logKey: string, claims: ClaimBuckets, legacyKeys: string[]): Promise<number> {
  let bucket = claims.bucketAt(Date.now());
  for (let sends = 1; sends <= bucketSendsMax; sends += 1) {
    const reply = await redis.eval(moveScript, 2 + legacyKeys.length, logKey, claims.key(bucket), ...legacyKeys,
      String(bucket), String(claims.widthMs)) as number | [string, string];
    if (typeof reply === 'number') return reply;
    bucket = claims.bucketAt(Number(reply[1]));
  }
  throw new Error('the claim buckets kept moving while legacy claims were moved');
}
