-- One token bucket, taken from atomically (rate limiting shared by every jwtctl on this store).
-- ARGV: [3] bucket name, [4] burst (capacity, >= 1), [5] refill per second (> 0).
-- The clock is this server's (TIME), in milliseconds: every client sharing the bucket reads the
-- same one, whatever its own clock or a fixed --now says. The bucket is a hash `rl:NAME`
-- (tokens, at) that expires once it would be full again, so idle buckets vanish.
-- Returns {1, 0} when a token was taken, {0, MS} when refused: MS until one is back.
local key = P .. 'rl:' .. ARGV[3]
local burst, rate = tonumber(ARGV[4]), tonumber(ARGV[5])
if not burst or not rate or burst < 1 or rate <= 0 then
  error({err = 'JWTCTL_BUCKET bad burst or rate'})
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tokens, at = burst, now
local h = redis.call('HMGET', key, 'tokens', 'at')
if h[1] and h[2] then
  tokens = tonumber(h[1]) or burst
  at = tonumber(h[2]) or now
end
local elapsed = now - at
if elapsed < 0 then elapsed = 0 end
tokens = math.min(burst, tokens + elapsed * rate / 1000)
local allowed, wait = 1, 0
if tokens >= 1 then
  tokens = tokens - 1
else
  allowed = 0
  wait = math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', key, 'tokens', string.format('%.17g', tokens), 'at', string.format('%.0f', now))
redis.call('PEXPIRE', key, math.ceil((burst - tokens) * 1000 / rate) + 1000)
return {allowed, wait}
