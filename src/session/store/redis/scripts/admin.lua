-- Logout and subject administration. ARGV: [3] what, [4] now, then:
--   family ID JTI(opt) SHA256(opt, hex) REASON -> {'unknown'} | {'already'|'now', family}
--   subject SUB REASON                         -> {revoked family ids}
--   disable SUB REASON(opt)                    -> 1 when disabled now, 0 when it already was
--   enable SUB                                 -> 1 when enabled now, 0 when it was not disabled
--   migrate                                    -> 1 when the schema was set now, 0 when it was
--   keyring EXPECTED BLOB                      -> 1 when BLOB is now version EXPECTED + 1, 0 when
--                                                 the stored version was not EXPECTED (0: none)
check_schema()
local what, now = ARGV[3], ARGV[4]

if what == 'family' then
  local id, jti, sha, reason = ARGV[5], opt(ARGV[6]), opt(ARGV[7]), ARGV[8]
  local fk = fam_key(id)
  if redis.call('EXISTS', fk) == 0 then return {'unknown'} end
  if jti then
    local t = redis.call('HMGET', tok_key(jti), 'sha256', 'family_id')
    if t[1] ~= sha or t[2] ~= id then return {'unknown'} end
  end
  if redis.call('HEXISTS', fk, 'revoked_at') == 1 then
    return {'already', redis.call('HGETALL', fk)}
  end
  revoke(id, reason, now, {{}, {}, {}})
  return {'now', redis.call('HGETALL', fk)}
end

if what == 'subject' then
  local sub, reason = ARGV[5], ARGV[6]
  local sk = subfam_key(sub)
  local revoked = {}
  -- By created_at, then id: the order SQLite revokes them in.
  for _, id in ipairs(redis.call('ZRANGE', sk, 0, -1)) do
    local fk = fam_key(id)
    if redis.call('EXISTS', fk) == 0 then
      redis.call('ZREM', sk, id)
    elseif redis.call('HEXISTS', fk, 'revoked_at') == 0 then
      revoke(id, reason, now, {{}, {}, {}})
      revoked[#revoked + 1] = id
    end
  end
  return revoked
end

if what == 'disable' then
  local sub, reason = ARGV[5], opt(ARGV[6])
  local dk = disabled_key(sub)
  if redis.call('EXISTS', dk) == 1 then return 0 end
  if not redis.call('GET', SCHEMA_KEY) then redis.call('SET', SCHEMA_KEY, SCHEMA) end
  if reason then
    redis.call('HSET', dk, 'at', now, 'reason', reason)
  else
    redis.call('HSET', dk, 'at', now)
  end
  redis.call('SADD', SUBJECTS, sub)
  log(now, 'subject_disabled', false, sub, false, false, reason)
  return 1
end

if what == 'enable' then
  local sub = ARGV[5]
  if redis.call('DEL', disabled_key(sub)) == 0 then return 0 end
  redis.call('SREM', SUBJECTS, sub)
  log(now, 'subject_enabled', false, sub, false, false, false)
  return 1
end

if what == 'keyring' then
  local expected, blob = tonumber(ARGV[5]), ARGV[6]
  local current = tonumber(redis.call('HGET', KEYRING, 'version') or '0')
  if current ~= expected then return 0 end
  if not redis.call('GET', SCHEMA_KEY) then redis.call('SET', SCHEMA_KEY, SCHEMA) end
  redis.call('HSET', KEYRING, 'version', expected + 1, 'blob', blob)
  return 1
end

if what == 'migrate' then
  if redis.call('GET', SCHEMA_KEY) then return 0 end
  redis.call('SET', SCHEMA_KEY, SCHEMA)
  return 1
end

return redis.error_reply('ERR jwtctl admin: unknown request ' .. tostring(what))
