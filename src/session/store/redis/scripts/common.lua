-- Shared by every jwtctl script (prepended to each). ARGV[1] is the key prefix
-- (--store-prefix), ARGV[2] the event log's length cap; the rest is the script's own.
-- Keys are computed here from the prefix, so jwtctl runs on standalone Redis and Valkey,
-- not Redis Cluster (a subject's families live under many keys).
local P = ARGV[1]
local CAP = ARGV[2]
local SCHEMA = 1

local function fam_key(id) return P .. 'fam:' .. id end
local function tok_key(jti) return P .. 'tok:' .. jti end
local function chain_key(id) return P .. 'chain:' .. id end
local function subfam_key(sub) return P .. 'subfam:' .. sub end
local function disabled_key(sub) return P .. 'disabled:' .. sub end
local FAMILIES = P .. 'families'
local IDS = P .. 'ids'
local EXPIRY = P .. 'expiry'
local EVENTS = P .. 'events'
local SEQ = P .. 'event_seq'
local SUBJECTS = P .. 'subjects'
local KEYRING = P .. 'keyring'
local SCHEMA_KEY = P .. 'schema'

-- ARGV values that may be absent are sent as '!' (absent) or '=' .. value.
local function opt(v)
  if v == '!' then return false end
  return string.sub(v, 2)
end

-- A store written by a newer jwtctl is refused before anything is read or written.
local function check_schema()
  local v = redis.call('GET', SCHEMA_KEY)
  if v and v ~= tostring(SCHEMA) then
    error({err = 'JWTCTL_SCHEMA ' .. v})
  end
end

-- Appends one event; ids come from a counter, so they increase like SQLite's. Returns the
-- stream entry id and the event id.
local function log(at, kind, family, sub, jti, gen, detail)
  local id = redis.call('INCR', SEQ)
  local f = {'id', id, 'at', at, 'kind', kind}
  if family then f[#f + 1] = 'family_id'; f[#f + 1] = family end
  if sub then f[#f + 1] = 'sub'; f[#f + 1] = sub end
  if jti then f[#f + 1] = 'jti'; f[#f + 1] = jti end
  if gen then f[#f + 1] = 'generation'; f[#f + 1] = gen end
  if detail then f[#f + 1] = 'detail'; f[#f + 1] = detail end
  local sid = redis.call('XADD', EVENTS, 'MAXLEN', '~', CAP, '*', unpack(f))
  return {sid, id}
end

-- Revokes family `id` (which exists and is not revoked): every active token of its chain
-- becomes revoked, and a `revoked` event is logged. Appends what was done to `done` (stream
-- ids, event ids, revoked jtis) for an undo.
local function revoke(id, reason, now, done)
  local fk = fam_key(id)
  redis.call('HSET', fk, 'revoked_at', now, 'revoked_reason', reason)
  for _, jti in ipairs(redis.call('ZRANGE', chain_key(id), 0, -1)) do
    local tk = tok_key(jti)
    if redis.call('HGET', tk, 'state') == 'active' then
      redis.call('HSET', tk, 'state', 'revoked', 'revoked_at', now)
      done[3][#done[3] + 1] = jti
    end
  end
  local f = redis.call('HMGET', fk, 'sub', 'current_jti', 'generation')
  local e = log(now, 'revoked', id, f[1], f[2], f[3], reason)
  done[1][#done[1] + 1] = e[1]
  done[2][#done[2] + 1] = e[2]
end
