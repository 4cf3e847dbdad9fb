-- One refresh step, as a compare-and-set on what the decision saw. ARGV:
-- [3] mode: rotate | grace | revoke | refuse
-- [4] now, [5] family id, [6] presented jti, [7] sub
-- expected: [8] family generation, [9] current_jti, [10] revoked_at (opt), [11] token state,
--           [12] token replaced_by (opt), [13] token used_at (opt), [14] subject disabled 0|1
-- event: [15] kind, [16] jti (opt), [17] generation (opt), [18] detail (opt)
-- rotate/grace: [19] successor jti, [20] successor generation, [21] M, M token field pairs
-- revoke: [19] reason
-- Returns {'conflict', what} with nothing written, or {'ok', {stream ids}, {event ids},
-- {revoked jtis}}.
check_schema()
local mode, now, id, jti, sub = ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local fk, tk = fam_key(id), tok_key(jti)

local f = redis.call('HMGET', fk, 'generation', 'current_jti', 'revoked_at')
if not f[1] or f[1] ~= ARGV[8] or f[2] ~= ARGV[9] or f[3] ~= opt(ARGV[10]) then
  return {'conflict', 'the family'}
end
local t = redis.call('HMGET', tk, 'state', 'replaced_by', 'used_at')
if t[1] ~= ARGV[11] or t[2] ~= opt(ARGV[12]) or t[3] ~= opt(ARGV[13]) then
  return {'conflict', 'the refresh token'}
end
if tostring(redis.call('EXISTS', disabled_key(sub))) ~= ARGV[14] then
  return {'conflict', 'the subject'}
end

local done = {{}, {}, {}}
local function logged(e)
  done[1][#done[1] + 1] = e[1]
  done[2][#done[2] + 1] = e[2]
end
local function event()
  logged(log(now, ARGV[15], id, sub, opt(ARGV[16]), opt(ARGV[17]), opt(ARGV[18])))
end

if mode == 'rotate' or mode == 'grace' then
  local sj, sg = ARGV[19], ARGV[20]
  local sk = tok_key(sj)
  local cur = f[2]
  if mode == 'grace' and redis.call('HGET', tok_key(cur), 'state') ~= 'active' then
    return {'conflict', 'the current refresh token'}
  end
  if redis.call('EXISTS', sk) ~= 0 then
    return redis.error_reply('ERR jwtctl: token ' .. sj .. ' exists already')
  end
  local tok = {}
  for j = 1, 2 * tonumber(ARGV[21]) do tok[j] = ARGV[21 + j] end
  -- Every check passed: now the writes.
  if mode == 'rotate' then
    redis.call('HSET', tk, 'state', 'used', 'used_at', now, 'replaced_by', sj)
  else
    redis.call('HSET', tok_key(cur), 'state', 'superseded')
    redis.call('HSET', tk, 'replaced_by', sj)
  end
  redis.call('HSET', fk, 'generation', sg, 'current_jti', sj, 'last_refresh_at', now)
  redis.call('HSET', sk, unpack(tok))
  local at = redis.call('PEXPIRETIME', fk)
  if at > 0 then redis.call('PEXPIREAT', sk, at) end
  redis.call('ZADD', chain_key(id), sg, sj)
  event()
elseif mode == 'revoke' then
  event()
  revoke(id, ARGV[19], now, done)
elseif mode == 'refuse' then
  event()
else
  return redis.error_reply('ERR jwtctl apply: unknown mode ' .. tostring(mode))
end
return {'ok', done[1], done[2], done[3]}
