#!/usr/bin/env bash
# The shared-store benchmark (issue #13): rotations per second through jwtctl's store layer
# (bench/store_rotations.rs) with 1, 8 and 32 clients on SQLite and on a throwaway Redis, with
# Redis's own ceiling for the same scripts in the same run; then the peak RSS of a one-shot
# `refresh` on each (/usr/bin/time -f %M). Servers are throwaway: a random loopback port, files
# in a temporary directory, killed at the end (and by the kernel if this script dies).
#
#   bash bench/stores.sh                      # 3 rounds of 3 s per client count
#   QUICK=1 bash bench/stores.sh              # 1 round of 2 s
#   STORES_URLS="postgres://..." bash bench/stores.sh   # also these stores (through the
#                                             # Store trait only; no ceiling is measured here)
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
ROUNDS=${QUICK:+1}; ROUNDS=${ROUNDS:-3}
SECONDS_PER=${QUICK:+2}; SECONDS_PER=${SECONDS_PER:-3}
RSS_RUNS=${QUICK:+3}; RSS_RUNS=${RSS_RUNS:-9}
say() { printf '== %s\n' "$*" >&2; }

for tool in redis-server setpriv python3; do
  command -v "$tool" >/dev/null || { echo "$tool is needed (apt-get install redis-server util-linux python3)" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 1; }

# The executable cargo reports for a build (the target dir and tuple both move it).
executable() {
  python3 -c 'import json, sys
name = sys.argv[1]
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == name and m.get("executable"):
        print(m["executable"])' "$1"
}
say "building jwtctl (release) and bench/store_rotations.rs"
JWTCTL=$(cargo build --release --locked --quiet --bin jwtctl --message-format=json-render-diagnostics | executable jwtctl)
BENCH=$(cargo bench --locked --quiet --no-run --bench store_rotations --message-format=json-render-diagnostics | executable store_rotations)

# A throwaway redis-server with a password, as deployed; no persistence (the engine's
# in-memory speed is what is compared).
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$WORK/redis"
printf 'bench-password\n' >"$WORK/password"; chmod 600 "$WORK/password"
setpriv --pdeathsig KILL -- redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no \
  --requirepass bench-password --dir "$WORK/redis" --logfile "$WORK/redis/log" &
PIDS+=($!)
disown
for _ in $(seq 300); do grep -q "Ready to accept connections" "$WORK/redis/log" 2>/dev/null && break; sleep 0.05; done
REDIS="redis://127.0.0.1:$PORT/0"
say "redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/') on port $PORT"

echo "Rotations per second through the Store trait (ES256, mint and deliver included, verify not)"
"$BENCH" "sqlite:$WORK/sqlite/refresh.db" --rounds "$ROUNDS" --seconds "$SECONDS_PER"
"$BENCH" "$REDIS" --password-file "$WORK/password" --raw --rounds "$ROUNDS" --seconds "$SECONDS_PER"
for url in ${STORES_URLS:-}; do
  "$BENCH" "$url" --rounds "$ROUNDS" --seconds "$SECONDS_PER"
done

# Peak RSS of one-shot commands: a refresh on each store, and sign for reference.
median_rss() {
  sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
rss_of_refreshes() {
  local home=$1; shift
  local rt
  rt=$(JWTCTL_HOME=$home "$@" "$JWTCTL" login --sub rss | python3 -c 'import json, sys; print(json.load(sys.stdin)["refresh_token"])')
  for _ in $(seq "$RSS_RUNS"); do
    /usr/bin/time -f %M -o "$WORK/rss" env JWTCTL_HOME="$home" "$@" "$JWTCTL" refresh "$rt" >"$WORK/pair"
    cat "$WORK/rss"
    rt=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["refresh_token"])' "$WORK/pair")
  done | median_rss
}
HOME_S=$WORK/home-sqlite; HOME_R=$WORK/home-redis
JWTCTL_HOME=$HOME_S "$JWTCTL" keygen --es256 >/dev/null 2>&1
JWTCTL_HOME=$HOME_R "$JWTCTL" keygen --es256 >/dev/null 2>&1
SIGN=$(for _ in $(seq "$RSS_RUNS"); do
  /usr/bin/time -f %M -o "$WORK/rss" env JWTCTL_HOME="$HOME_S" "$JWTCTL" sign --sub 1 >/dev/null; cat "$WORK/rss"
done | median_rss)
RSS_S=$(rss_of_refreshes "$HOME_S")
RSS_R=$(rss_of_refreshes "$HOME_R" env JWTCTL_STORE="$REDIS" JWTCTL_STORE_PASSWORD_FILE="$WORK/password")
echo "Peak RSS of one-shot commands (median of $RSS_RUNS, KiB; target for refresh <= 8192)"
echo "  sign (reference)  : $SIGN"
echo "  refresh on SQLite : $RSS_S"
echo "  refresh on Redis  : $RSS_R"
