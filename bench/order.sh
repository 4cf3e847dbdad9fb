#!/usr/bin/env bash
# Regenerates link/startup.order: the functions a one-shot command runs, which build.rs asks the
# linker (lld) to place together at the start of .text. A one-shot command's cost is mostly page
# faults, and its start-up code was spread over ~35 64-KB windows of a 6 MB binary; placed
# together it takes ~7 fewer faults and ~7% less time (README "Performance").
#
# Rust names carry hashes that change with the compiler, dependencies and flags; a stale name is
# simply not found (--no-warn-symbol-ordering), so a stale file costs speed, never correctness.
# Run this after a toolchain or dependency update. Needs valgrind.
#
#   bash bench/order.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
command -v valgrind >/dev/null || { echo "valgrind is needed" >&2; exit 1; }

# The shipped build itself (a different profile, even just `strip`, changes the names' hashes),
# with a link map to name the addresses callgrind reports in the stripped binary.
cargo rustc --release --locked --quiet --bin jwtctl --target-dir "$ROOT/target/order" \
  -- -C link-arg=-Wl,-Map="$WORK/jwtctl.map"
BIN=$ROOT/target/order/$(rustc --print host-tuple)/release/jwtctl

export JWTCTL_HOME=$WORK/home JWTCTL_NOW=1700000000
"$BIN" -q keygen --rs256 --out "$WORK/k" >/dev/null
"$BIN" -q keygen --hs256 --out "$WORK/k" >/dev/null
"$BIN" -q keygen --es256 >/dev/null
RS=$("$BIN" sign --key "$WORK/k/rs256.key.pem" --sub 1)
HS=$("$BIN" sign --secret-file "$WORK/k/hs256.secret" --sub 1)
ES=$("$BIN" sign --sub 1)

i=0
while read -r -a args; do
  i=$((i + 1))
  valgrind --tool=callgrind --demangle=no --callgrind-out-file="$WORK/cg.$i" "$BIN" "${args[@]}" \
    </dev/null >/dev/null 2>&1 || true
done <<LINES
decode $RS
decode --json $HS
verify --key $WORK/k/rs256.pub.pem $RS
verify --secret-file $WORK/k/hs256.secret $HS
verify --json $ES
sign --secret-file $WORK/k/hs256.secret --sub 1 --ttl 15m
sign --key $WORK/k/rs256.key.pem --sub 1
sign --sub 1 --ttl 15m
LINES

# Every function the profiles enter, in order of first appearance, named through the map (the
# symbol whose extent holds each address callgrind reports).
python3 - "$WORK" > "$ROOT/link/startup.order" <<'PY'
import bisect, glob, re, sys
work = sys.argv[1]
symbols = {}
for line in open(work + "/jwtctl.map", errors="replace"):
    parts = line.split()
    if len(parts) != 5:
        continue
    start, size, what = int(parts[0], 16), int(parts[2], 16), parts[4]
    # An input section `file:(.text.NAME)` (each function has its own section) or, where a
    # symbol survives the strip, a symbol line.
    section = re.search(r":\(\.text\.(.+)\)$", what)
    if section and not re.fullmatch(r"[a-z0-9.]{1,7}", section.group(1)):  # not glibc's .text.avx2
        symbols[start] = (size, section.group(1))
    elif not what.startswith((".", "/", "<")) and ":(" not in what:
        symbols.setdefault(start, (size, what))
starts = sorted(symbols)
seen = {}
for path in sorted(glob.glob(work + "/cg.*"), key=lambda p: int(p.rsplit(".", 1)[1])):
    for line in open(path, errors="replace"):
        m = re.match(r"^c?fn=\(\d+\) 0x([0-9a-f]+)$", line.rstrip("\n"))
        if not m:
            continue
        addr = int(m.group(1), 16)
        i = bisect.bisect_right(starts, addr) - 1
        if i >= 0 and addr < starts[i] + max(symbols[starts[i]][0], 1):
            seen.setdefault(symbols[starts[i]][1], None)
print("\n".join(seen))
PY
echo "link/startup.order: $(wc -l < "$ROOT/link/startup.order") functions" >&2
