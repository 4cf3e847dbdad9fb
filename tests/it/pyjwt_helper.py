"""Independent JWT implementation for jwtctl's interop tests (tests/it/interop.rs): PyJWT with
the `cryptography` backend, driven from the command line.

  pyjwt_helper.py verify ALG KEYFILE TOKEN   # KEYFILE: public PEM, HMAC secret file, or JWKS (.json)
  pyjwt_helper.py sign ALG KEYFILE KID CLAIMS_JSON

`verify` prints the verified claims as JSON (exit 0) or the error (exit 1); `sign` prints the
token. A secret file's bytes are the key minus one trailing newline, as jwtctl reads it.
"""

import json
import sys

import jwt


def key_for(alg, path, token=None):
    data = open(path, "rb").read()
    if alg.startswith("HS"):
        return data[:-1] if data.endswith(b"\n") else data
    if path.endswith(".json"):
        # A JWKS: pick the key by the token's kid, as a relying party would.
        kid = jwt.get_unverified_header(token)["kid"]
        return jwt.PyJWKSet.from_json(data.decode())[kid].key
    return data


def main(argv):
    cmd, alg, path = argv[1], argv[2], argv[3]
    if cmd == "verify":
        token = argv[4]
        try:
            claims = jwt.decode(
                token,
                key_for(alg, path, token),
                algorithms=[alg],
                options={"require": ["exp"], "verify_aud": False},
            )
        except Exception as e:  # report any refusal as a failure with its reason
            print(f"pyjwt refused: {type(e).__name__}: {e}", file=sys.stderr)
            return 1
        print(json.dumps(claims, sort_keys=True))
        return 0
    if cmd == "sign":
        kid, claims = argv[4], json.loads(argv[5])
        print(jwt.encode(claims, key_for(alg, path), algorithm=alg, headers={"kid": kid}))
        return 0
    print(f"unknown command {cmd}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
