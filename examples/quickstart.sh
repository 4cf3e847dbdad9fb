#!/usr/bin/env bash
# Builds jwtctl (release) and runs the quick start in a throwaway home directory:
# a new RSA key, a 15-minute token for subject 1, and its verification.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
PATH="$PWD/target/$(rustc --print host-tuple)/release:$PATH"
JWTCTL_HOME="$(mktemp -d)"
export JWTCTL_HOME
trap 'rm -rf "$JWTCTL_HOME"' EXIT

jwtctl keygen --rs256
TOKEN=$(jwtctl sign --sub 1 --ttl 15m)
echo "$TOKEN" | jwtctl verify
