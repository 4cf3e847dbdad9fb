#!/usr/bin/env bash
# jwtctl benchmark: one-shot commands against the process-start floor and jwt-cli, batch
# verification against the raw aws-lc rate and PyJWT, batch signing (sign --batch, --count)
# against raw aws-lc signing on every core and PyJWT, RSA key generation and peak memory.
# Installs what it compares against into bench/.tools (hyperfine from Debian, jwt-cli from
# crates.io, PyJWT from PyPI); prints a table of medians and ratios. Takes a few minutes.
#
#   bash bench/run.sh            # full run
#   QUICK=1 bash bench/run.sh    # fewer runs
#   BATCH_ONLY=1 bash bench/run.sh  # batch commands and in-process ceilings only: no one-shot
#                                   # timing, dynamic build, jwt-cli, keygen or one-shot memory
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS=$ROOT/bench/.tools
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ROUNDS=${QUICK:+60}; ROUNDS=${ROUNDS:-300}
BATCH_RUNS=${QUICK:+3}; BATCH_RUNS=${BATCH_RUNS:-7}; export BATCH_RUNS

say() { printf '== %s\n' "$*" >&2; }
full() { [ -z "${BATCH_ONLY:-}" ]; }  # the parts BATCH_ONLY=1 skips

# Builds jwtctl (release) with any extra cargo arguments and prints the binary's path as cargo
# reports it: the target dir (CARGO_TARGET_DIR, --target-dir) and the target tuple both move it.
build_jwtctl() {
  cargo build --release --locked --quiet --bin jwtctl --message-format=json-render-diagnostics "$@" |
    python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "jwtctl" and m.get("executable"):
        print(m["executable"])'
}

say "building jwtctl (release: statically linked on Linux/glibc, as shipped; and a dynamically linked build for reference)"
JWTCTL=$(build_jwtctl)
TARGET_DIR=$(cargo metadata --locked --no-deps --format-version 1 | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
DYNAMIC=$JWTCTL
if full; then
  DYNAMIC=$(RUSTFLAGS="-C target-feature=-crt-static" build_jwtctl --target-dir "$TARGET_DIR/bench-dynamic")
fi
[ -x "$JWTCTL" ] && [ -x "$DYNAMIC" ] || { echo "cargo reported no jwtctl binary" >&2; exit 1; }

if ! command -v hyperfine >/dev/null; then
  say "installing hyperfine (Debian)"
  (apt-get update -qq && apt-get install -y -qq hyperfine) >/dev/null 2>&1 || { echo "hyperfine is needed" >&2; exit 1; }
fi
JWT_CLI=""
if ! full; then
  :
elif [ -x "$TOOLS/bin/jwt" ] || { say "installing jwt-cli (crates.io)"; cargo install --quiet --locked jwt-cli --root "$TOOLS" >/dev/null 2>&1; }; then
  JWT_CLI=$TOOLS/bin/jwt
else
  say "jwt-cli could not be installed: its columns stay empty"
fi
PY=""
if [ -x "$TOOLS/venv/bin/python" ] || { say "installing PyJWT (PyPI)"; python3 -m venv "$TOOLS/venv" && "$TOOLS/venv/bin/pip" install --quiet pyjwt cryptography; }; then
  PY=$TOOLS/venv/bin/python
else
  say "PyJWT could not be installed: its column stays empty"
fi

say "generating keys and tokens"
export JWTCTL_HOME=$WORK/home
"$JWTCTL" -q keygen --rs256 --out "$WORK/k" >/dev/null
"$JWTCTL" -q keygen --hs256 --out "$WORK/k" >/dev/null
RS_KEY=$WORK/k/rs256.key.pem RS_PUB=$WORK/k/rs256.pub.pem HS=$WORK/k/hs256.secret
for i in $(seq 1 200); do "$JWTCTL" sign --key "$RS_KEY" --sub "$i" --ttl 2h; done > "$WORK/rs200"
for i in $(seq 1 200); do "$JWTCTL" sign --secret-file "$HS" --sub "$i" --ttl 2h; done > "$WORK/hs200"
for _ in $(seq 1 100); do cat "$WORK/rs200"; done > "$WORK/rs20k"
for _ in $(seq 1 500); do cat "$WORK/hs200"; done > "$WORK/hs100k"
TOKEN=$(head -1 "$WORK/rs200")
tr -d '\n' < "$HS" > "$WORK/hs.raw"   # jwt-cli reads the whole file as the secret

hfb() { # name, runs, shell command
  hyperfine --warmup 1 --runs "$2" --export-json "$WORK/$1.json" "$3" >/dev/null 2>&1
}

if full; then
say "one-shot commands, interleaved ($ROUNDS rounds)"
python3 - "$WORK/oneshot.json" "$JWTCTL" "$DYNAMIC" "$JWT_CLI" "$HS" "$RS_KEY" "$RS_PUB" "$TOKEN" "$WORK/hs.raw" <<'PY'
import json, shlex, shutil, sys
out, jwtctl, dynamic, jwt_cli, hs, rs_key, rs_pub, token, hs_raw = sys.argv[1:]
# The brief's workload is a 15-minute token: `--ttl 15m`, which jwt-cli spells --exp=+15min.
# sign_rs_noexp is the same RS256 signature with no expiry at all, for the crypto alone.
runs = {
    "sign_hs": ["sign", "--secret-file", hs, "--sub", "1", "--ttl", "15m"],
    "sign_rs": ["sign", "--key", rs_key, "--sub", "1", "--ttl", "15m"],
    "sign_rs_noexp": ["sign", "--key", rs_key, "--sub", "1"],
    "verify_rs": ["verify", "--key", rs_pub, token],
    "decode": ["decode", token],
}
true = shutil.which("true")
sh = shutil.which("sh")
specs = [["floor", [true]], ["sh_floor", [sh, "-c", true]]]
specs += [[name, [jwtctl] + args] for name, args in runs.items()]
# The same commands through `sh -c`, as shared/research/perf.md measured its reference floor
# (`sh -c /bin/true`, 1.4 ms there) and every one-shot figure.
specs += [["sh_" + name, [sh, "-c", shlex.join([jwtctl] + args)]] for name, args in runs.items()]
specs += [["dynamic_" + name, [dynamic] + args] for name, args in runs.items()]
if jwt_cli:
    specs += [
        ["jwtcli_sign_hs", [jwt_cli, "encode", "--secret", "@" + hs_raw, "--sub", "1", "--exp=+15min"]],
        ["jwtcli_sign_rs", [jwt_cli, "encode", "--alg", "RS256", "--secret", "@" + rs_key, "--sub", "1", "--exp=+15min"]],
        ["jwtcli_sign_rs_noexp", [jwt_cli, "encode", "--alg", "RS256", "--secret", "@" + rs_key, "--sub", "1"]],
        ["jwtcli_verify_rs", [jwt_cli, "decode", "--alg", "RS256", "--secret", "@" + rs_pub, token]],
        ["jwtcli_decode", [jwt_cli, "decode", token]],
    ]
json.dump(specs, open(out, "w"))
PY
python3 "$ROOT/bench/startup.py" "$ROUNDS" "$WORK/oneshot.json" > "$WORK/startup.json"
if [ -n "$JWT_CLI" ]; then
  say "jwt-cli shell loop over 200 RS256 tokens"
  hfb jwtcli_loop 3 "while read -r t; do $JWT_CLI decode --alg RS256 --secret @$RS_PUB \"\$t\" >/dev/null; done < $WORK/rs200"
fi

fi

say "batch verification"
hfb batch_rs "$BATCH_RUNS" "$JWTCTL verify --batch --key $RS_PUB --file $WORK/rs20k >/dev/null"
hfb batch_hs "$BATCH_RUNS" "$JWTCTL verify --batch --secret-file $HS --file $WORK/hs100k >/dev/null"
hfb batch_decode "$BATCH_RUNS" "$JWTCTL decode --batch --file $WORK/rs20k >/dev/null 2>&1"
if [ -n "$PY" ]; then
  "$PY" "$ROOT/bench/pyjwt_verify.py" "$RS_PUB" "$WORK/rs20k" > "$WORK/pyjwt.txt"
fi

say "sign --batch: ES256, EdDSA, HS256, RS256 (and PyJWT signing in-process); 1,000,000 HS256 with --count"
"$JWTCTL" -q keygen --es256 --out "$WORK/k" >/dev/null
"$JWTCTL" -q keygen --ed25519 --out "$WORK/k" >/dev/null
# Claims lines as a load test would feed them: a subject and a scope each.
python3 -c 'import json, sys
for i in range(int(sys.argv[1])):
    print(json.dumps({"sub": f"user-{i}", "scope": "read write"}, separators=(",", ":")))' 200000 > "$WORK/claims"
# The ceiling (raw aws-lc signing on every core at once, bench/inproc.rs --sign-ceiling ALG) is
# measured between the sign --batch runs, so both see the same machine: the VM's speed drifts.
INPROC=$(cargo bench --no-run --locked --quiet --bench inproc --message-format=json-render-diagnostics 2>/dev/null |
  python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "inproc" and m.get("executable"):
        print(m["executable"])')
# (name, key flag, key file, algorithm, tokens per run)
while read -r name flag file alg count; do
  head -n "$count" "$WORK/claims" > "$WORK/claims_$name"
  cmd=("$JWTCTL" sign --batch "$flag" "$WORK/k/$file" --aud api --ttl 1h --file "$WORK/claims_$name")
  "${cmd[@]}" >/dev/null  # warm-up
  for _ in $(seq 1 "$BATCH_RUNS"); do
    t0=$(date +%s%N); "${cmd[@]}" >/dev/null; t1=$(date +%s%N)
    echo "$count $(( t1 - t0 ))" >> "$WORK/sign_batch_$name.runs"
    "$INPROC" --sign-ceiling "$alg" >> "$WORK/ceiling_$name.txt"
  done
  if [ -n "$PY" ]; then
    "$PY" "$ROOT/bench/pyjwt_sign.py" "$alg" "$WORK/k/$file" "$WORK/claims" $(( count / 4 )) > "$WORK/pyjwt_sign_$name.txt"
  fi
done <<'EOF'
es256 --key es256.key.pem ES256 40000
eddsa --key ed25519.key.pem EdDSA 40000
hs256 --secret-file hs256.secret HS256 200000
rs256 --key rs256.key.pem RS256 4000
EOF
hfb sign_count 3 "$JWTCTL sign --count 1000000 --secret-file $HS --sub 'user-{n}' --aud api --ttl 1h >/dev/null"
/usr/bin/time -f "%M" "$JWTCTL" sign --count 1000000 --secret-file "$HS" --sub 'user-{n}' --aud api --ttl 1h 2>&1 >/dev/null | tail -1 > "$WORK/sign_count_rss.txt"
uptime > "$WORK/load.txt"

if full; then
say "RSA-2048 keygen (61 runs: the prime search varies 4x run to run)"
hyperfine -N --warmup 2 --runs 61 --export-json "$WORK/keygen.json" \
  "$JWTCTL -q --home $WORK/kg keygen --rs256 --force --out $WORK/kg" >/dev/null 2>&1
fi

say "in-process costs (cargo bench)"
cargo bench --quiet --locked --bench inproc 2>/dev/null > "$WORK/inproc.txt"

if full; then
say "peak memory"
for c in "sign --key $RS_KEY --sub 1" "verify --key $RS_PUB $TOKEN" "decode $TOKEN"; do
  /usr/bin/time -f "%M" "$JWTCTL" $c 2>&1 >/dev/null | tail -1
done > "$WORK/rss.txt"
/usr/bin/time -f "%M" "$JWTCTL" verify --batch --key "$RS_PUB" --file "$WORK/rs20k" 2>&1 >/dev/null | tail -1 >> "$WORK/rss.txt"
fi

python3 "$ROOT/bench/report.py" "$WORK"
