-- `serve`'s authorization codes and login-form claims. ARGV: [3] what, then:
--   put_code HASH RECORD UNTIL TTL     -> 1     (a new, unclaimed code)
--   code HASH NOW                      -> {} | {record, state}
--   claim_code HASH NOW                -> {'missing'} | {'fresh', record} | {'used'[, family]}
--   bind_code HASH FAMILY              -> 1 when the code was claimed again meanwhile, else 0
--   put_claims FAMILY CLAIMS TTL       -> 1
--   claims FAMILY                      -> the claims | nil
-- A code is the hash `code:HASH` (HASH: hex SHA-256 of the code; the code is never sent here)
-- with fields record, state (fresh, claimed, replayed), until (jwtctl's clock: past it the
-- code is unknown, so a fixed --now decides as on SQL) and family once bound. Its key expires
-- TTL seconds after the write, counted on the server's clock like the families' keys, so
-- nothing piles up. A session's claims are the string `claims:FAMILY`, expiring likewise.
-- No write here ever creates a key without an expiry.
check_schema()
local what = ARGV[3]
local function code_key(h) return P .. 'code:' .. h end

-- The code's key when it is known at `now`, else false.
local function live(h, now)
  local k = code_key(h)
  local until_ = redis.call('HGET', k, 'until')
  if not until_ or tonumber(until_) <= tonumber(now) then return false end
  return k
end

if what == 'put_code' then
  local k = code_key(ARGV[4])
  if not redis.call('GET', SCHEMA_KEY) then redis.call('SET', SCHEMA_KEY, SCHEMA) end
  redis.call('DEL', k)
  redis.call('HSET', k, 'record', ARGV[5], 'until', ARGV[6], 'state', 'fresh')
  redis.call('EXPIRE', k, ARGV[7])
  return 1
end

if what == 'code' then
  local k = live(ARGV[4], ARGV[5])
  if not k then return {} end
  return redis.call('HMGET', k, 'record', 'state')
end

if what == 'claim_code' then
  local k = live(ARGV[4], ARGV[5])
  if not k then return {'missing'} end
  local c = redis.call('HMGET', k, 'state', 'record', 'family')
  if c[1] == 'fresh' then
    redis.call('HSET', k, 'state', 'claimed')
    return {'fresh', c[2]}
  end
  redis.call('HSET', k, 'state', 'replayed')
  if c[3] then return {'used', c[3]} end
  return {'used'}
end

if what == 'bind_code' then
  local k = code_key(ARGV[4])
  if redis.call('EXISTS', k) == 0 then return 0 end
  redis.call('HSET', k, 'family', ARGV[5])
  if redis.call('HGET', k, 'state') == 'replayed' then return 1 end
  return 0
end

if what == 'put_claims' then
  if not redis.call('GET', SCHEMA_KEY) then redis.call('SET', SCHEMA_KEY, SCHEMA) end
  redis.call('SET', P .. 'claims:' .. ARGV[4], ARGV[5], 'EX', ARGV[6])
  return 1
end

if what == 'claims' then
  return redis.call('GET', P .. 'claims:' .. ARGV[4])
end

return redis.error_reply('ERR jwtctl serve: unknown request ' .. tostring(what))
