-- Reads, never writes (flags=no-writes: they run while writes are paused, and on replicas).
-- ARGV[3] is what to read:
--   snapshot JTI                     -> {token, family, disabled} (flat field/value arrays)
--   families all|sub|one ARG START STOP -> {scanned, {{family, current_expires, disabled}...}}
--   chain ID START STOP              -> {scanned, {token...}}
--   prefix PREFIX LIMIT              -> {family...} (the exact id alone when it exists)
--   subjects                         -> {{sub, disabled}...} (the disabled subjects)
--   keyring CAP                      -> {} | {version, length, blob (when length <= CAP)}
check_schema()
local what = ARGV[3]

local function disabled(sub)
  if not sub then return {} end
  return redis.call('HGETALL', disabled_key(sub))
end

if what == 'snapshot' then
  local tok = redis.call('HGETALL', tok_key(ARGV[4]))
  local fam, dis = {}, {}
  if #tok > 0 then
    local fid = redis.call('HGET', tok_key(ARGV[4]), 'family_id')
    fam = redis.call('HGETALL', fam_key(fid))
    if #fam > 0 then
      dis = disabled(redis.call('HGET', fam_key(fid), 'sub'))
    end
  end
  return {tok, fam, dis}
end

if what == 'families' then
  local kind, arg, start, stop = ARGV[4], ARGV[5], ARGV[6], ARGV[7]
  local ids
  if kind == 'all' then
    ids = redis.call('ZRANGE', FAMILIES, start, stop)
  elseif kind == 'sub' then
    ids = redis.call('ZRANGE', subfam_key(arg), start, stop)
  else
    ids = {arg}
  end
  local out = {}
  for _, id in ipairs(ids) do
    local fk = fam_key(id)
    local fam = redis.call('HGETALL', fk)
    -- A family whose keys expired leaves its index entries behind until a login prunes
    -- them: it is skipped here.
    if #fam > 0 then
      local f = redis.call('HMGET', fk, 'current_jti', 'sub')
      local exp = redis.call('HGET', tok_key(f[1]), 'expires_at')
      out[#out + 1] = {fam, exp, disabled(f[2])}
    end
  end
  return {#ids, out}
end

if what == 'chain' then
  local jtis = redis.call('ZRANGE', chain_key(ARGV[4]), ARGV[5], ARGV[6])
  local out = {}
  for _, jti in ipairs(jtis) do
    local t = redis.call('HGETALL', tok_key(jti))
    if #t > 0 then out[#out + 1] = t end
  end
  return {#jtis, out}
end

if what == 'prefix' then
  local prefix, limit = ARGV[4], tonumber(ARGV[5])
  local exact = redis.call('HGETALL', fam_key(prefix))
  if #exact > 0 then return {exact} end
  local out = {}
  local offset = 0
  -- Ids are UTF-8, which never holds the byte 0xff: [prefix .. [prefix\xff spans them all.
  while #out < limit do
    local ids = redis.call('ZRANGEBYLEX', IDS, '[' .. prefix, '[' .. prefix .. '\255',
      'LIMIT', offset, 256)
    if #ids == 0 then break end
    offset = offset + #ids
    for _, id in ipairs(ids) do
      local fam = redis.call('HGETALL', fam_key(id))
      if #fam > 0 and #out < limit then out[#out + 1] = fam end
    end
  end
  return out
end

if what == 'subjects' then
  local out = {}
  for _, sub in ipairs(redis.call('SMEMBERS', SUBJECTS)) do
    local d = redis.call('HGETALL', disabled_key(sub))
    if #d > 0 then out[#out + 1] = {sub, d} end
  end
  return out
end

if what == 'keyring' then
  local version = redis.call('HGET', KEYRING, 'version')
  if not version then return {} end
  local length = redis.call('HSTRLEN', KEYRING, 'blob')
  -- A blob over the cap is never sent: the client would refuse to read it anyway.
  if length > tonumber(ARGV[4]) then return {version, length} end
  return {version, length, redis.call('HGET', KEYRING, 'blob')}
end

return redis.error_reply('ERR jwtctl read: unknown request ' .. tostring(what))
