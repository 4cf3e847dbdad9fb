#!/usr/bin/env bash
# Two builds of jwtctl side by side, in one run: one-shot commands timed interleaved
# (bench/startup.py) and batch throughput, each as the ratio new/old. For checking that a change
# does not regress what bench/run.sh measures, without waiting for the full benchmark.
#
#   bash bench/compare.sh OLD_BINARY NEW_BINARY [ROUNDS]
#
# Build the old binary from another checkout (git worktree add /tmp/old REV; cargo build
# --release there) and the new one here; pass the paths cargo reports ("executable" in
# `cargo build --release --message-format=json`).
set -euo pipefail
OLD=$1 NEW=$2 ROUNDS=${3:-200}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export JWTCTL_HOME=$WORK/home

"$NEW" -q keygen --rs256 --out "$WORK/k" >/dev/null
"$NEW" -q keygen --hs256 --out "$WORK/k" >/dev/null
RS_KEY=$WORK/k/rs256.key.pem RS_PUB=$WORK/k/rs256.pub.pem HS=$WORK/k/hs256.secret
for i in $(seq 1 200); do "$NEW" sign --key "$RS_KEY" --sub "$i" --ttl 2h; done > "$WORK/rs200"
for i in $(seq 1 200); do "$NEW" sign --secret-file "$HS" --sub "$i" --ttl 2h; done > "$WORK/hs200"
for _ in $(seq 1 100); do cat "$WORK/rs200"; done > "$WORK/rs20k"
for _ in $(seq 1 500); do cat "$WORK/hs200"; done > "$WORK/hs100k"
TOKEN=$(head -1 "$WORK/rs200")

python3 - "$WORK/spec.json" "$OLD" "$NEW" "$HS" "$RS_KEY" "$RS_PUB" "$TOKEN" <<'PY'
import json, sys
out, old, new, hs, rs_key, rs_pub, token = sys.argv[1:]
runs = {
    "sign_hs": ["sign", "--secret-file", hs, "--sub", "1", "--ttl", "15m"],
    "sign_rs": ["sign", "--key", rs_key, "--sub", "1", "--ttl", "15m"],
    "verify_rs": ["verify", "--key", rs_pub, token],
    "decode": ["decode", token],
}
specs = []
for name, args in runs.items():
    specs += [["old_" + name, [old] + args], ["new_" + name, [new] + args]]
json.dump(specs, open(out, "w"))
PY
python3 "$ROOT/bench/startup.py" "$ROUNDS" "$WORK/spec.json" > "$WORK/startup.json"

# Batch: alternate old and new, 5 runs each, median wall time.
batch() { # name, args...
  local name=$1; shift
  for _ in 1 2 3 4 5; do
    for which in old new; do
      local bin=$OLD; [ "$which" = new ] && bin=$NEW
      local t0 t1
      t0=$(date +%s%N); "$bin" "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N)
      echo "${which}_$name $(( t1 - t0 ))"
    done
  done
}
{
  batch batch_rs verify --batch --key "$RS_PUB" --file "$WORK/rs20k"
  batch batch_hs verify --batch --secret-file "$HS" --file "$WORK/hs100k"
  batch batch_decode decode --batch --file "$WORK/rs20k"
} > "$WORK/batch.txt"

python3 - "$WORK/startup.json" "$WORK/batch.txt" <<'PY'
import json, statistics, sys, collections
one = json.load(open(sys.argv[1]))
runs = collections.defaultdict(list)
for line in open(sys.argv[2]):
    k, v = line.split(); runs[k].append(int(v) / 1e9)
bat = {k: statistics.median(v) for k, v in runs.items()}
print(f"{'measure':<14} {'old':>10} {'new':>10} {'new/old':>8}")
for name in ["sign_hs", "sign_rs", "verify_rs", "decode"]:
    o, n = one["old_" + name], one["new_" + name]
    print(f"{name:<14} {o*1e3:>8.3f}ms {n*1e3:>8.3f}ms {n/o:>8.3f}")
counts = {"batch_rs": 20000, "batch_hs": 100000, "batch_decode": 20000}
for name, count in counts.items():
    o, n = count / bat["old_" + name], count / bat["new_" + name]
    print(f"{name:<14} {o:>8.0f}/s {n:>8.0f}/s {n/o:>8.3f}")
PY
