-- A login: records a new family and its first token, unless the subject is disabled (then
-- only a `refused` event). ARGV: [3] now, [4] seconds the family's keys live, [5] family id,
-- [6] sub, [7] first jti, [8] created_at, [9] generation, [10] the `issued` event's detail,
-- [11] N, then N field/value pairs of the family, then M and M pairs of the token.
-- Returns {'disabled', at, reason} or {'opened', {stream id}, {event id}, expiry member}.
check_schema()
local now, ttl, id, sub, jti = ARGV[3], tonumber(ARGV[4]), ARGV[5], ARGV[6], ARGV[7]
local d = redis.call('HMGET', disabled_key(sub), 'at', 'reason')
if d[1] then
  log(now, 'refused', false, sub, false, false, 'login: the subject is disabled')
  return {'disabled', d[1], d[2]}
end
local fk, tk, ck = fam_key(id), tok_key(jti), chain_key(id)
if redis.call('EXISTS', fk, tk, ck) ~= 0 then
  return redis.error_reply('ERR jwtctl: family ' .. id .. ' or token ' .. jti .. ' exists already')
end
local i = 11
local fam = {}
for j = 1, 2 * tonumber(ARGV[i]) do fam[j] = ARGV[i + j] end
i = i + 2 * tonumber(ARGV[i]) + 1
local tok = {}
for j = 1, 2 * tonumber(ARGV[i]) do tok[j] = ARGV[i + j] end

-- Every check passed: now the writes.
if not redis.call('GET', SCHEMA_KEY) then redis.call('SET', SCHEMA_KEY, SCHEMA) end
redis.call('HSET', fk, unpack(fam))
redis.call('HSET', tk, unpack(tok))
redis.call('ZADD', ck, ARGV[9], jti)
for _, k in ipairs({fk, tk, ck}) do redis.call('EXPIRE', k, ttl) end
redis.call('ZADD', FAMILIES, ARGV[8], id)
redis.call('ZADD', IDS, 0, id)
redis.call('ZADD', subfam_key(sub), ARGV[8], id)
-- The index entries go when the keys have expired: the next login prunes them.
local server_now = tonumber(redis.call('TIME')[1])
local member = cjson.encode({id, sub})
redis.call('ZADD', EXPIRY, server_now + ttl, member)
local e = log(now, 'issued', id, sub, jti, ARGV[9], ARGV[10])
local dead = redis.call('ZRANGEBYSCORE', EXPIRY, '-inf', server_now, 'LIMIT', 0, 64)
for _, m in ipairs(dead) do
  local ok, gone = pcall(cjson.decode, m)
  if ok and type(gone) == 'table' and redis.call('EXISTS', fam_key(gone[1])) == 0 then
    redis.call('ZREM', FAMILIES, gone[1])
    redis.call('ZREM', IDS, gone[1])
    redis.call('ZREM', subfam_key(gone[2]), gone[1])
  end
  redis.call('ZREM', EXPIRY, m)
end
return {'opened', {e[1]}, {e[2]}, member}
