// The Lua side of the one commit path (commit.ts). A call carries a batch of commit requests that
// arrived together (commit-batcher.ts); they run one after another exactly as if each had its own
// call, so each sees the writes of those before it. Per request: every guard is checked, then (all
// holding) every write is applied, then its audit-log entries are appended. The batch shares one
// clock reading and one read of the log's tail, and its entries go out in a few RPUSHes.
//
// KEYS[1] the log list, then (when the batch has claims) KEYS[2] and KEYS[3] the current and the
// previous claim bucket (claim-buckets.ts), then every key named by the batch's guards and writes.
// ARGV[1] the number of requests; ARGV[2] '' or, when the batch has claims, "count bucket width":
// its claim ids follow (ARGV[3..2+count]), the bucket is the one KEYS[2] names and the width its
// length in ms; then per request: its header (guard count, write count, entry
// count and token count in one token, space-separated: one argument instead of four, and the
// requests of a batch mostly share a header, which is read once per call), the guard and write
// tokens (commit-encoding.ts; key tokens index KEYS), then its entry bodies without seq, ts and the
// opening brace (as they are: no escaping, no decoding).
// Reply: 'claims', ts when the batch named other buckets than the clock's (nothing was done: the
// batcher sends it again with the buckets of that ts); else the batch's ts, then per request: its
// first seq (an integer: committed) | 'conflict', key, field ('claim', id for a claim) | 'error',
// message. One element per committed request: its reply is what the caller waits on.
// Two guards take what they check in the same command (commit-encoding.ts fuses them from a guard and
// the one write of the same key or field): a claim (SET NX PX: the key was absent, now set) and a
// debit (HINCRBY of −amount: the field held at least amount; a move is a debit whose credit follows
// once every guard held). Each is one Redis command instead of two; until every guard of its request
// held it is listed in `takenAt`, and a later guard's refusal or error undoes it, so a refused
// request still leaves every key as it was. A claim in the buckets (C) is taken in a Lua table
// (`claimed`) that the call writes to the current bucket in one HSET once every request ran; a
// refused request's claim leaves the table, so it is never written.
// Timestamps never go backwards: a new entry's ts is at least the last entry's, read from the entry
// itself (every entry starts with {"seq":N,"ts":T,), so keeping the order costs a read, not a write.
/** Numbers up to this have a constant text in the script (key positions). */
const literalNumberMax = 300;
const numberTextsLiteral = Array.from({ length: literalNumberMax }, (_, i) => `'${i + 1}'`).join(',');

export const commitScript = `
local hsetChunk = 1000
local hmgetChunk = 500
local rpushChunk = 1000

-- tonumber() of a string runs strtod twice (it checks, then converts), and string.format goes
-- through sprintf: key index tokens are looked up by their text, from a table of texts that are
-- constants of the script (an array: built per call at a few instructions an entry), and counts
-- are converted once per distinct text in a call (a table of 300 literal numbers cost more to
-- build every call than the few counts a batch of payments has).
local numberTexts = { ${numberTextsLiteral} }
local keyOf = {}
for i = 1, #KEYS do keyOf[numberTexts[i] or string.format('%d', i)] = KEYS[i] end
local counted = {}
local function count(token)
  local n = counted[token]
  if n == nil then
    n = tonumber(token)
    counted[token] = n
  end
  return n
end

-- A request's header: its four counts, read once per distinct header in a call.
local headers = {}
local function header(token)
  local counts = headers[token]
  if counts == nil then
    local g, w, e, t = string.match(token, '^(%d+) (%d+) (%d+) (%d+)$')
    if g == nil then error('malformed commit request header', 0) end
    counts = { count(g), count(w), count(e), count(t) }
    headers[token] = counts
  end
  return counts[1], counts[2], counts[3], counts[4]
end

-- Where each claim and debit the current request took starts among the tokens, which say all there
-- is to undo: one list reused by every request instead of a table per guard (allocations were a
-- visible share of the script's work per payment). writing: every guard held, so nothing is undone.
local takenAt, takenCount, writing = {}, 0, false

-- Each claim id the batch lists → true when it was live in the buckets as the call began, false
-- when free, or (taken by a request of this call) where the value it records is among ARGV. One
-- table, filled once: a second table of the taken ones cost 1.7k instructions per payment more.
local claimed = {}

-- Undoes the claims and debits a refused (or failed) request took, last first.
local function undo()
  for i = takenCount, 1, -1 do
    local at = takenAt[i]
    local key = keyOf[ARGV[at + 1]]
    local kind = ARGV[at]
    if kind == 'C' then claimed[ARGV[at + 1]] = false
    elseif kind == 'c' then redis.call('DEL', key)
    else redis.call('HINCRBY', key, ARGV[at + 2], string.sub(ARGV[at + 3], 2)) end
  end
end

-- The conflict {key, field} of the first guard from ARGV[p] on that does not hold, or nil.
local function conflictOf(p, guardCount)
  for _ = 1, guardCount do
    local kind, key = ARGV[p], keyOf[ARGV[p + 1]]
    if kind == 'v' or kind == 'd' then
      -- debit: field (missing = 0) minus amount must stay >= 0; the token is the negative amount. A
      -- move's credit (its fifth token) waits until every guard held: apply makes it.
      local field, by = ARGV[p + 2], ARGV[p + 3]
      local left = redis.call('HINCRBY', key, field, by)
      if left < 0 then
        -- left + amount is what the field held: 0 means it held 0 or nothing, and nothing is kept.
        local amount = string.sub(by, 2)
        if left + tonumber(amount) == 0 then redis.call('HDEL', key, field)
        else redis.call('HINCRBY', key, field, amount) end
        return {key, field}
      end
      takenCount = takenCount + 1
      takenAt[takenCount] = p
      p = kind == 'v' and p + 5 or p + 4
    elseif kind == 'c' then
      -- claim: the key must not exist; SET NX checks that and sets it (with a ttl in ms) at once.
      if not redis.call('SET', key, ARGV[p + 2], 'PX', ARGV[p + 3], 'NX') then return {key, ''} end
      takenCount = takenCount + 1
      takenAt[takenCount] = p
      p = p + 4
    elseif kind == 'C' then
      -- claim in the buckets: live there when the call began, or taken by an earlier request of it.
      local id = ARGV[p + 1]
      local state = claimed[id]
      -- An id the batch did not list was never read from the buckets: refused, not taken unread.
      if state == nil then error('claim not listed in the batch', 0) end
      if state ~= false then return {'claim', id} end
      claimed[id] = p + 2
      takenCount = takenCount + 1
      takenAt[takenCount] = p
      p = p + 3
    elseif kind == 'H' then
      -- count, the token standing for "absent", count fields, then count expectations (a value, or
      -- the absent token: a token no expected value equals).
      local fieldCount, absent = count(ARGV[p + 2]), ARGV[p + 3]
      local fields, expectations = p + 4, p + 4 + fieldCount
      for i = 0, fieldCount - 1, hmgetChunk do
        local n = math.min(hmgetChunk, fieldCount - i)
        local values = redis.call('HMGET', key, unpack(ARGV, fields + i, fields + i + n - 1))
        for j = 1, n do
          local expected, current = ARGV[expectations + i + j - 1], values[j]
          if expected == absent then
            if current ~= false then return {key, ARGV[fields + i + j - 1]} end
          elseif current ~= expected then
            return {key, ARGV[fields + i + j - 1]}
          end
        end
      end
      p = p + 4 + 2 * fieldCount
    elseif kind == 'm' then
      local current = redis.call('HGET', key, ARGV[p + 2])
      if (tonumber(current or '0') or 0) < tonumber(ARGV[p + 3]) then return {key, ARGV[p + 2]} end
      p = p + 4
    elseif kind == 'h' then
      if redis.call('HGET', key, ARGV[p + 2]) ~= ARGV[p + 3] then return {key, ARGV[p + 2]} end
      p = p + 4
    elseif kind == 'h0' then
      if redis.call('HEXISTS', key, ARGV[p + 2]) == 1 then return {key, ARGV[p + 2]} end
      p = p + 3
    elseif kind == 's' then
      if redis.call('GET', key) ~= ARGV[p + 2] then return {key, ''} end
      p = p + 3
    elseif kind == 's0' then
      if redis.call('EXISTS', key) == 1 then return {key, ''} end
      p = p + 2
    else
      error('unknown guard ' .. tostring(kind), 0)
    end
  end
  return nil, p
end

-- HSET of the n fields named at ARGV[fieldsAt..] to the values at ARGV[valuesAt..], in chunks.
local function hsetPaired(key, fieldsAt, valuesAt, n)
  for i = 0, n - 1, hsetChunk / 2 do
    local args = {}
    for j = 0, math.min(hsetChunk / 2, n - i) - 1 do
      args[2 * j + 1] = ARGV[fieldsAt + i + j]
      args[2 * j + 2] = ARGV[valuesAt + i + j]
    end
    redis.call('HSET', key, unpack(args))
  end
end

-- Applies the writes from ARGV[p] on (only walks them when dry) and returns where they end.
-- Command names are case-insensitive, so an op's own name is its command where they agree.
-- first: the request's first token (a write may name fields by reference to its own guards).
local function write(p, writeCount, dry, first)
  for _ = 1, writeCount do
    local op, key = ARGV[p], keyOf[ARGV[p + 1]]
    local size = 4
    if op == 'hsetref' or op == 'saddref' then
      -- The fields (members) are those of a hash-many guard of this request, back tokens before
      -- this op: a demurrage batch names each account once, not once per guard and write.
      local fieldsAt, n = p - count(ARGV[p + 2]), count(ARGV[p + 3])
      if fieldsAt < first or fieldsAt + n > p then error('malformed commit request', 0) end
      if op == 'hsetref' then size = 4 + n end
      if dry then
        -- only the size
      elseif op == 'hsetref' then
        hsetPaired(key, fieldsAt, p + 4, n)
      else
        for i = 0, n - 1, hsetChunk do
          redis.call('SADD', key, unpack(ARGV, fieldsAt + i, fieldsAt + math.min(i + hsetChunk, n) - 1))
        end
      end
    elseif op == 'saddmany' then
      local n = count(ARGV[p + 2])
      size = 3 + n
      if not dry then
        for i = p + 3, p + 2 + n, hsetChunk do redis.call('SADD', key, unpack(ARGV, i, math.min(i + hsetChunk - 1, p + 2 + n))) end
      end
    elseif op == 'hsetmany' or op == 'hincrbymany' then
      -- count pairs in place; HSET takes them in chunks (unpack stays within Lua's stack limit).
      local first, last = p + 3, p + 2 + 2 * count(ARGV[p + 2])
      size = last + 1 - p
      if dry then
        -- only the size
      elseif op == 'hsetmany' then
        for i = first, last, hsetChunk do redis.call('HSET', key, unpack(ARGV, i, math.min(i + hsetChunk - 1, last))) end
      else
        for i = first, last, 2 do redis.call('HINCRBY', key, ARGV[i], ARGV[i + 1]) end
      end
    elseif op == 'del' then
      size = 2
      -- UNLINK: the key is gone at once, but a big one (a demurrage run's 2 M markers) is freed by
      -- a background thread instead of while Redis holds every other client.
      if not dry then redis.call('UNLINK', key) end
    elseif op == 'hdel' or op == 'set' or op == 'sadd' or op == 'srem' or op == 'rpush' then
      size = 3
      if not dry then redis.call(op, key, ARGV[p + 2]) end
    elseif op == 'hset' or op == 'hincrby' then
      if not dry then redis.call(op, key, ARGV[p + 2], ARGV[p + 3]) end
    elseif op == 'setpx' then
      if not dry then redis.call('SET', key, ARGV[p + 2], 'PX', ARGV[p + 3]) end
    else
      error('unknown write op ' .. tostring(op), 0)
    end
    p = p + size
  end
  return p
end

-- nil when the request's writes are applied, else the conflict that refused it (nothing written:
-- the caller undoes what takenAt lists).
local function apply(p, guardCount, writeCount, tokenCount)
  local conflict, writesAt = conflictOf(p, guardCount)
  if conflict then return conflict end
  -- A miscounted request would read its neighbour's tokens: refused before anything is written.
  -- (A payment has no writes left once its claim and move took theirs: no walk, no call.)
  local writesEnd = writeCount == 0 and writesAt or write(writesAt, writeCount, true, p)
  if writesEnd ~= p + tokenCount then error('malformed commit request', 0) end
  -- From here on claims and debits are writes like the rest: a failing write leaves them all.
  writing = true
  -- Moves credit what they debited before any other write, so a failing write leaves money balanced.
  for i = 1, takenCount do
    local at = takenAt[i]
    if ARGV[at] == 'v' then redis.call('HINCRBY', keyOf[ARGV[at + 1]], ARGV[at + 4], string.sub(ARGV[at + 3], 2)) end
  end
  if writeCount > 0 then write(writesAt, writeCount, false, p) end
  return nil
end

local now = redis.call('TIME')
local ts = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local seq = redis.call('LLEN', KEYS[1]) + 1
if seq > 1 then
  local last = tonumber(string.match(redis.call('LINDEX', KEYS[1], -1), '^{"seq":%d+,"ts":(%d+),') or '0')
  if ts < last then ts = last end
end
-- Numbers are formatted once a batch, and with %d: Lua's default number-to-string goes through
-- floating-point printing, which cost more than the commands themselves.
local tsText = string.format('%d', ts)
local tsField = ',"ts":' .. tsText .. ','
-- An entry's seq as text: the tens (formatted once every ten entries) and the last digit.
local digitTexts = { [0] = '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' }
local seqTens, seqUnit = math.floor(seq / 10), seq % 10
local seqTensText = seqTens == 0 and '' or string.format('%d', seqTens)
local replies, replyCount = { tsText }, 1
local bodies, bodyCount = {}, 0
local p = 3
-- Claims: the ids of the whole batch read from both live buckets at once, one HMGET each.
local claimCount, claimBucket, claimWidth = 0, 0, 0
if ARGV[2] ~= '' then
  local c, b, w = string.match(ARGV[2], '^(%d+) (%d+) (%d+)$')
  if c == nil then error('malformed claims header', 0) end
  claimCount, claimBucket, claimWidth = tonumber(c), tonumber(b), tonumber(w)
  if math.floor(ts / claimWidth) ~= claimBucket then return { 'claims', tsText } end
  for bucket = 2, 3 do
    for i = 3, 2 + claimCount, hmgetChunk do
      local last = math.min(i + hmgetChunk - 1, 2 + claimCount)
      local values = redis.call('HMGET', KEYS[bucket], unpack(ARGV, i, last))
      for j = 1, last - i + 1 do
        local id = ARGV[i + j - 1]
        if values[j] then claimed[id] = true elseif claimed[id] == nil then claimed[id] = false end
      end
    end
  end
  p = 3 + claimCount
end
for _ = 1, count(ARGV[1]) do
  local guardCount, writeCount, entryCount, tokenCount = header(ARGV[p])
  local tokensAt = p + 1
  local bodiesAt = tokensAt + tokenCount
  -- A failing command (say WRONGTYPE) fails its own request (its earlier writes stay, as they would
  -- in a call of its own; claims and debits count as writes once every guard held), never the
  -- requests batched with it.
  takenCount, writing = 0, false
  local ran, conflict = pcall(apply, tokensAt, guardCount, writeCount, tokenCount)
  -- A claim or debit stands only if its request's guards all hold.
  if (not ran or conflict) and takenCount > 0 and not writing then undo() end
  if not ran then
    local message = type(conflict) == 'table' and (conflict.err or conflict.message) or conflict
    replies[replyCount + 1] = 'error'
    replies[replyCount + 2] = tostring(message)
    replyCount = replyCount + 2
  elseif conflict then
    replies[replyCount + 1] = 'conflict'
    replies[replyCount + 2] = conflict[1]
    replies[replyCount + 3] = conflict[2]
    replyCount = replyCount + 3
  else
    replyCount = replyCount + 1
    replies[replyCount] = seq
    for i = bodiesAt, bodiesAt + entryCount - 1 do
      bodyCount = bodyCount + 1
      bodies[bodyCount] = '{"seq":' .. seqTensText .. digitTexts[seqUnit] .. tsField .. ARGV[i]
      seq = seq + 1
      seqUnit = seqUnit + 1
      if seqUnit == 10 then
        seqTens, seqUnit = seqTens + 1, 0
        seqTensText = string.format('%d', seqTens)
      end
    end
  end
  p = bodiesAt + entryCount
end
-- The claims taken, each once (a batch may list an id twice: the second request was refused).
if claimCount > 0 then
  local claimPairs, pairCount = {}, 0
  for i = 3, 2 + claimCount do
    local id = ARGV[i]
    local at = claimed[id]
    if at and at ~= true then
      claimed[id] = true
      claimPairs[pairCount + 1] = id
      claimPairs[pairCount + 2] = ARGV[at]
      pairCount = pairCount + 2
    end
  end
  for i = 1, pairCount, hsetChunk do
    redis.call('HSET', KEYS[2], unpack(claimPairs, i, math.min(i + hsetChunk - 1, pairCount)))
  end
  -- Read while the clock is in this bucket or the next: gone after that. NX: set once, so later
  -- calls leave nothing in the AOF for it.
  if pairCount > 0 then
    redis.call('PEXPIREAT', KEYS[2], string.format('%d', (claimBucket + 2) * claimWidth), 'NX')
  end
end
for i = 1, bodyCount, rpushChunk do
  redis.call('RPUSH', KEYS[1], unpack(bodies, i, math.min(i + rpushChunk - 1, bodyCount)))
end
return replies
`;
