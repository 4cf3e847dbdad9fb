#!/usr/bin/env bash
# jwtctl in CI: mint a short-lived token for a deploy step, present it to a service, and let the
# service decide by `jwtctl verify`'s exit status. Runs in a throwaway home; needs jwtctl on PATH.
set -euo pipefail
JWTCTL_HOME=$(mktemp -d)
export JWTCTL_HOME
trap 'rm -rf "$JWTCTL_HOME"' EXIT

# Once per pipeline (or from your secret store): a signing key and its public half.
jwtctl -q keygen --es256 --out "$JWTCTL_HOME/keys" >/dev/null
PRIVATE=$JWTCTL_HOME/keys/es256.key.pem
PUBLIC=$JWTCTL_HOME/keys/es256.pub.pem

# The service stub: what an API gateway does with the Authorization header it receives.
service() {
  local status=0
  jwtctl -q verify --key "$PUBLIC" --iss ci --aud deploy-api "$1" || status=$?
  case $status in
    0) echo "200 deploy accepted" ;;
    5) echo "401 token expired: mint a new one" ;;
    4) echo "401 signature rejected" ;;
    7) echo "403 token not meant for this service" ;;
    *) echo "400 unusable token (status $status)" ;;
  esac
}

TOKEN=$(jwtctl sign --key "$PRIVATE" --iss ci --aud deploy-api --sub pipeline-42 --ttl 5m)
service "Bearer $TOKEN"

STALE=$(jwtctl sign --key "$PRIVATE" --iss ci --aud deploy-api --sub pipeline-41 --exp -1m)
service "Bearer $STALE"

OTHER=$(jwtctl sign --key "$PRIVATE" --iss ci --aud billing-api --sub pipeline-42)
service "Bearer $OTHER"

SIG=${TOKEN##*.}                # change the signature's first character: a forgery
if [ "${SIG:0:1}" = A ]; then FORGED=${TOKEN%.*}.B${SIG:1}; else FORGED=${TOKEN%.*}.A${SIG:1}; fi
service "Bearer $FORGED"
