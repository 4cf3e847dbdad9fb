#!/usr/bin/env bash
# verify with a warm key-set cache (--jwks-url, --issuer) against the same verify with --key FILE
# (the same JWKS as a file, and the public PEM), one-shots timed interleaved (bench/startup.py).
# Issue #15's target: a warm-cache verify at most 1.2x the --key verify. A local http.server
# serves the set only to fill the cache; it is stopped before the timing, so a run that made a
# request would fail.
#
#   bash bench/jwks.sh [BINARY] [ROUNDS]   # without BINARY: the release build, as run.sh makes it
#   QUICK=1 bash bench/jwks.sh             # fewer rounds
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-}
ROUNDS=${2:-${QUICK:+60}}; ROUNDS=${ROUNDS:-300}
if [ -z "$BIN" ]; then
  BIN=$(cargo build --release --locked --quiet --bin jwtctl --message-format=json-render-diagnostics |
    python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "jwtctl" and m.get("executable"):
        print(m["executable"])')
fi
[ -x "$BIN" ] || { echo "no jwtctl binary" >&2; exit 1; }
WORK=$(mktemp -d)
SERVER=""
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"' EXIT
export JWTCTL_HOME=$WORK/home JWTCTL_NOW=1700000000

"$BIN" -q keygen --rs256 --kid bench --out "$WORK/k" >/dev/null
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
mkdir -p "$WORK/www/.well-known"
cp "$WORK/k/rs256.jwks.json" "$WORK/www/jwks.json"
printf '{"issuer":"%s","jwks_uri":"%s/jwks.json"}' "$BASE" "$BASE" > "$WORK/www/.well-known/openid-configuration"
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$WORK/www" >/dev/null 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1)" 2>/dev/null && break
  sleep 0.05
done
TOKEN=$("$BIN" sign --key "$WORK/k/rs256.key.pem" --kid bench --sub 1 --iss "$BASE" --ttl 1h)
"$BIN" -q verify --jwks-url "$BASE/jwks.json" "$TOKEN"
"$BIN" -q verify --issuer "$BASE" "$TOKEN"
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""

python3 - "$WORK/spec.json" "$BIN" "$WORK" "$BASE" "$TOKEN" <<'PY'
import json, sys
out, bin, work, base, token = sys.argv[1:]
runs = {
    "key_jwks_file": ["verify", "--key", f"{work}/k/rs256.jwks.json", token],
    "key_pem_file": ["verify", "--key", f"{work}/k/rs256.pub.pem", token],
    "jwks_url_warm": ["verify", "--jwks-url", f"{base}/jwks.json", token],
    "issuer_warm": ["verify", "--issuer", base, token],
}
json.dump([[name, [bin] + args] for name, args in runs.items()], open(out, "w"))
PY
python3 bench/startup.py "$ROUNDS" "$WORK/spec.json" > "$WORK/medians.json"
python3 - "$WORK/medians.json" "$ROUNDS" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print(f"verify, one-shot medians of {sys.argv[2]} interleaved rounds (RS256, warm cache: no request)")
for name, t in m.items():
    print(f"  {name:<14} {t * 1e3:7.3f} ms")
base = m["key_jwks_file"]
for name in ["jwks_url_warm", "issuer_warm"]:
    print(f"  {name} / key_jwks_file: {m[name] / base:.3f}x  (target <= 1.2x)")
print(f"  jwks_url_warm / key_pem_file: {m['jwks_url_warm'] / m['key_pem_file']:.3f}x")
PY
