#!/usr/bin/env bash
# Builds jwtctl (release) and runs the quick start in a throwaway home directory:
# a new RSA key, a 15-minute token for subject 1, and its verification.
set -euo pipefail
cd "$(dirname "$0")/.."
# Where the binary lands depends on the target dir (CARGO_TARGET_DIR) and the target tuple
# (.cargo/config.toml), so ask cargo: the "executable" of the build's jwtctl artifact.
BIN=$(cargo build --release --locked --quiet --bin jwtctl --message-format=json-render-diagnostics |
  sed -n 's/.*"executable":"\([^"]*\/jwtctl\)".*/\1/p' | tail -n 1)
[ -x "$BIN" ] || { echo "quickstart: cargo reported no jwtctl binary" >&2; exit 1; }
PATH="$(dirname "$BIN"):$PATH"
JWTCTL_HOME="$(mktemp -d)"
export JWTCTL_HOME
trap 'rm -rf "$JWTCTL_HOME"' EXIT

jwtctl keygen --rs256
TOKEN=$(jwtctl sign --sub 1 --ttl 15m)
echo "$TOKEN" | jwtctl verify
