-- Undoes what one write did, when the pair it issued could not be delivered: if every check
-- still holds (the family is where that write left it), the recorded previous values come
-- back. ARGV, from [3]: sections, each a count N then N entries:
--   checks  (key, field, expected opt)   all must hold, or nothing is done
--   hset    (key, field, value)
--   hdel    (key, field)
--   del     (key)
--   zrem    (key, member)
--   xdel    (stream id)
--   then the event ids the write took, so the counter goes back when nothing came after.
-- Returns {'undone'} or {'conflict', key, field}.
local i = 3
local function section(width)
  local n = tonumber(ARGV[i])
  local out = {}
  for j = 0, n - 1 do
    local e = {}
    for w = 1, width do e[w] = ARGV[i + 1 + j * width + w - 1] end
    out[#out + 1] = e
  end
  i = i + 1 + n * width
  return out
end
local checks, hsets, hdels, dels = section(3), section(3), section(2), section(1)
local zrems, xdels, ids = section(2), section(1), section(1)
check_schema()
for _, c in ipairs(checks) do
  if redis.call('HGET', c[1], c[2]) ~= opt(c[3]) then
    return {'conflict', c[1], c[2]}
  end
end
for _, e in ipairs(hsets) do redis.call('HSET', e[1], e[2], e[3]) end
for _, e in ipairs(hdels) do redis.call('HDEL', e[1], e[2]) end
for _, e in ipairs(dels) do redis.call('DEL', e[1]) end
for _, e in ipairs(zrems) do redis.call('ZREM', e[1], e[2]) end
for _, e in ipairs(xdels) do redis.call('XDEL', EVENTS, e[1]) end
if #ids > 0 then
  local top = 0
  for _, e in ipairs(ids) do top = math.max(top, tonumber(e[1])) end
  if tonumber(redis.call('GET', SEQ)) == top then redis.call('DECRBY', SEQ, #ids) end
end
return {'undone'}
