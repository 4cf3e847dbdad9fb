#!/usr/bin/env bash
# `jwtctl serve` under load with wrk (issue #14 "Performance"), npm's oauth2-mock-server side by
# side in the same run. 32 keep-alive connections (wrk -t32 -c32: one connection per wrk thread,
# so each carries its own refresh-token family), ES256 keys, the SQLite store in a temporary home
# on the disk under $TMPDIR, rate limits off. For each server, ROUNDS rounds of SECS seconds each:
#   jwks     GET /.well-known/jwks.json or /jwks: the server's trivial endpoint, the same-run baseline
#   refresh  POST /token grant_type=refresh_token, each connection rotating its own family
#   intro    POST /introspect of one access token (active)
# then start-up to the first 200 on discovery (median of 11), and jwtctl's peak RSS (VmHWM).
# Usage: bash bench/serve_wrk.sh [JWTCTL_BINARY ...]  (several binaries: compared in one run,
# rounds interleaved). SECS=5 ROUNDS=3 by default. Needs wrk (Debian `wrk`), node and npm.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${SECS:-5}
ROUNDS=${ROUNDS:-3}
TOOLS=bench/.tools
say() { printf '== %s\n' "$*" >&2; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

if [ $# -eq 0 ]; then
  set -- "$(cargo build --release --locked --quiet --bin jwtctl --message-format=json-render-diagnostics |
    python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "jwtctl" and m.get("executable"):
        print(m["executable"])')"
fi
MOCK_VERSION=8.2.3
if [ ! -x "$TOOLS/node_modules/.bin/oauth2-mock-server" ]; then
  say "installing oauth2-mock-server $MOCK_VERSION from npm into $TOOLS"
  mkdir -p "$TOOLS"
  npm install --no-audit --no-fund --prefix "$TOOLS" "oauth2-mock-server@$MOCK_VERSION" >&2
fi

WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

cat >"$WORK/refresh.lua" <<'LUA'
-- One connection per thread: each thread rotates its own family's refresh token.
local n = 0
local tokens = {}
function setup(thread)
  n = n + 1
  thread:set("id", n)
end
function init(args)
  local f = io.open(args[1])
  local i = 0
  for line in f:lines() do
    i = i + 1
    if i == id then rt = line end
  end
  f:close()
  client = args[2]
end
function request()
  return wrk.format("POST", nil, {["Content-Type"] = "application/x-www-form-urlencoded"},
    "grant_type=refresh_token&client_id=" .. client .. "&refresh_token=" .. rt)
end
function response(status, headers, body)
  if status ~= 200 then
    io.stderr:write("refresh: status " .. status .. " " .. body .. "\n")
    os.exit(1)
  end
  rt = body:match('"refresh_token":"([^"]+)"')
end
LUA
cat >"$WORK/intro.lua" <<'LUA'
function init(args)
  local f = io.open(args[1]); at = f:read("*l"); f:close()
  body = "client_id=jwtctl&token=" .. at
end
function request()
  return wrk.format("POST", nil, {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
function response(status, headers, b)
  if status ~= 200 or not b:find('"active":true', 1, true) then
    io.stderr:write("introspect: " .. status .. " " .. b .. "\n")
    os.exit(1)
  end
end
LUA
cat >"$WORK/mock.mjs" <<'JS'
import { OAuth2Server } from 'oauth2-mock-server';
const server = new OAuth2Server();
await server.issuer.keys.generate('ES256');
await server.start(0, '127.0.0.1');
console.log(server.issuer.url);
JS
ln -s "$PWD/$TOOLS/node_modules" "$WORK/node_modules"

# wrk's requests/s for one run: wrk URL [script args...]
rate() {
  local url=$1; shift
  local out
  if [ $# -gt 0 ]; then
    local script=$1; shift
    out=$(wrk -t32 -c32 -d"${SECS}s" -s "$script" "$url" -- "$@")
  else
    out=$(wrk -t32 -c32 -d"${SECS}s" "$url")
  fi
  if grep -q "Non-2xx" <<<"$out"; then echo "non-2xx answers from $url" >&2; echo "$out" >&2; exit 1; fi
  awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out"
}

median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Milliseconds from spawn to the first 200 on the discovery document, median of 11.
startup() {
  python3 - "$@" <<'PY'
import subprocess, sys, time, http.client, statistics
cmd, path = sys.argv[1:-1], sys.argv[-1]
times = []
for _ in range(11):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = p.stdout.readline().strip()
    host = url.split("//", 1)[1]
    while True:
        try:
            c = http.client.HTTPConnection(host, timeout=5)
            c.request("GET", path)
            if c.getresponse().status == 200:
                break
        except OSError:
            time.sleep(0.0005)
    times.append((time.perf_counter() - t0) * 1000)
    p.kill(); p.wait()
print(f"{statistics.median(times):.1f}")
PY
}

declare -A R
i=0
for BIN in "$@"; do
  i=$((i + 1))
  H="$WORK/home$i"
  JWTCTL_HOME=$H "$BIN" keygen --es256 -q >/dev/null
  printf '[[clients]]\nid = "jwtctl"\npublic = true\n[limits]\nper_client = { rate = 0 }\nper_address = { rate = 0 }\n' >"$WORK/serve.toml"
done

for round in $(seq "$ROUNDS"); do
  i=0
  for BIN in "$@"; do
    i=$((i + 1))
    H="$WORK/home$i"
    exec 3< <(JWTCTL_HOME=$H exec "$BIN" serve -q --config "$WORK/serve.toml" 2>/dev/null)
    PID=$!
    read -r URL <&3
    PIDS+=("$PID")
    : >"$WORK/rts$i"
    for c in $(seq 32); do
      JWTCTL_HOME=$H "$BIN" login --sub "user$c" | python3 -c 'import json,sys; print(json.load(sys.stdin)["refresh_token"])' >>"$WORK/rts$i"
    done
    JWTCTL_HOME=$H "$BIN" login --sub intro | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])' >"$WORK/at$i"
    R[jwks,$i]+=" $(rate "$URL/.well-known/jwks.json")"
    R[refresh,$i]+=" $(rate "$URL/token" "$WORK/refresh.lua" "$WORK/rts$i" jwtctl)"
    R[intro,$i]+=" $(rate "$URL/introspect" "$WORK/intro.lua" "$WORK/at$i")"
    R[rss,$i]+=" $(awk '/VmHWM/ {print $2}' /proc/"$PID"/status)"
    kill "$PID"; wait "$PID" 2>/dev/null || true
    exec 3<&-
  done
  # oauth2-mock-server: any refresh token is accepted, every introspection is "active".
  exec 4< <(cd "$WORK" && exec node mock.mjs)
  MPID=$!
  read -r MURL <&4
  PIDS+=("$MPID")
  printf 'rt\n' >"$WORK/mock_rts"; for c in $(seq 31); do printf 'rt\n' >>"$WORK/mock_rts"; done
  printf 'any\n' >"$WORK/mock_at"
  R[jwks,mock]+=" $(rate "$MURL/jwks")"
  R[refresh,mock]+=" $(rate "$MURL/token" "$WORK/refresh.lua" "$WORK/mock_rts" jwtctl)"
  R[intro,mock]+=" $(rate "$MURL/introspect" "$WORK/intro.lua" "$WORK/mock_at")"
  R[rss,mock]+=" $(awk '/VmHWM/ {print $2}' /proc/"$MPID"/status)"
  kill "$MPID"; exec 4<&-
  say "round $round done"
done

i=0
for BIN in "$@"; do
  i=$((i + 1))
  R[start,$i]=$(JWTCTL_HOME="$WORK/home$i" startup "$BIN" serve -q --config "$WORK/serve.toml" /.well-known/openid-configuration)
done
R[start,mock]=$( (cd "$WORK" && startup node mock.mjs /.well-known/openid-configuration) )

printf '\n%-28s %10s %10s %10s %12s %12s %12s %10s\n' server "jwks/s" "refresh/s" "intro/s" "refresh/jwks" "intro/jwks" "start ms" "peak RSS"
row() {
  local name=$1 k=$2
  local j r n s
  j=$(median <<<"${R[jwks,$k]}"); r=$(median <<<"${R[refresh,$k]}"); n=$(median <<<"${R[intro,$k]}")
  s=$(median <<<"${R[rss,$k]}")
  printf '%-28s %10s %10s %10s %12.3f %12.3f %12s %7.1f MiB\n' "$name" "$j" "$r" "$n" \
    "$(echo "$r / $j" | bc -l)" "$(echo "$n / $j" | bc -l)" "${R[start,$k]}" "$(echo "$s / 1024" | bc -l)"
}
i=0
for BIN in "$@"; do i=$((i + 1)); row "jwtctl #$i" "$i"; done
row "oauth2-mock-server $MOCK_VERSION" mock
echo
echo "rounds (jwks | refresh | intro):"
i=0
for BIN in "$@"; do i=$((i + 1)); echo "  #$i $BIN:${R[jwks,$i]} |${R[refresh,$i]} |${R[intro,$i]}"; done
echo "  mock:${R[jwks,mock]} |${R[refresh,mock]} |${R[intro,mock]}"
