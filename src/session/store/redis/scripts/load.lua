-- `jwtctl store copy` into this store: everything of a dump in one script, refused with
-- {'not_empty'} (nothing written) when the store holds any family, subject or event. ARGV:
-- [3] seconds every family keeps after its end, then sections:
--   families: N, then per family: id, sub, created_at, not_after, M, M field/value pairs
--   tokens:   N, then per token: jti, family_id, generation, M, M pairs
--   subjects: N, then per subject: sub, at, reason (opt)
--   events:   N, then per event: at, kind, family_id, sub, jti, generation, detail (all opt
--             but at and kind)
-- The events get this store's own ids, in the dump's order, and the log is not trimmed here
-- (later events trim it to its cap). A family's keys expire at its end plus the margin by the
-- server's clock, and not before the margin from now (so a copy can be read back and checked).
-- Returns {'loaded'}.
check_schema()
if redis.call('ZCARD', FAMILIES) > 0 or redis.call('SCARD', SUBJECTS) > 0
    or redis.call('XLEN', EVENTS) > 0 then
  return {'not_empty'}
end
local margin = tonumber(ARGV[3])
local i = 4
local function take()
  local v = ARGV[i]
  i = i + 1
  return v
end
local function pairs_of()
  local n = tonumber(take())
  local out = {}
  for j = 1, 2 * n do out[j] = take() end
  return out
end
local now = tonumber(redis.call('TIME')[1])
if not redis.call('GET', SCHEMA_KEY) then redis.call('SET', SCHEMA_KEY, SCHEMA) end
local ends = {}
for _ = 1, tonumber(take()) do
  local id, sub, created, not_after = take(), take(), take(), tonumber(take())
  local fields = pairs_of()
  local at = math.max(not_after + margin, now + margin)
  ends[id] = at
  local fk, ck = fam_key(id), chain_key(id)
  redis.call('HSET', fk, unpack(fields))
  redis.call('EXPIREAT', fk, at)
  redis.call('ZADD', FAMILIES, created, id)
  redis.call('ZADD', IDS, 0, id)
  redis.call('ZADD', subfam_key(sub), created, id)
  redis.call('ZADD', EXPIRY, at, cjson.encode({id, sub}))
end
for _ = 1, tonumber(take()) do
  local jti, fid, gen = take(), take(), take()
  local fields = pairs_of()
  local tk = tok_key(jti)
  redis.call('HSET', tk, unpack(fields))
  redis.call('ZADD', chain_key(fid), gen, jti)
  local at = ends[fid] or (now + margin)
  redis.call('EXPIREAT', tk, at)
  redis.call('EXPIREAT', chain_key(fid), at)
end
for _ = 1, tonumber(take()) do
  local sub, at, reason = take(), take(), opt(take())
  if reason then
    redis.call('HSET', disabled_key(sub), 'at', at, 'reason', reason)
  else
    redis.call('HSET', disabled_key(sub), 'at', at)
  end
  redis.call('SADD', SUBJECTS, sub)
end
for _ = 1, tonumber(take()) do
  local at, kind = take(), take()
  local family, sub, jti, gen, detail = opt(take()), opt(take()), opt(take()), opt(take()),
    opt(take())
  local id = redis.call('INCR', SEQ)
  local f = {'id', id, 'at', at, 'kind', kind}
  if family then f[#f + 1] = 'family_id'; f[#f + 1] = family end
  if sub then f[#f + 1] = 'sub'; f[#f + 1] = sub end
  if jti then f[#f + 1] = 'jti'; f[#f + 1] = jti end
  if gen then f[#f + 1] = 'generation'; f[#f + 1] = gen end
  if detail then f[#f + 1] = 'detail'; f[#f + 1] = detail end
  redis.call('XADD', EVENTS, '*', unpack(f))
end
return {'loaded'}
