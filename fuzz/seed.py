#!/usr/bin/env python3
"""Seeds the fuzz corpora from ../tests/vectors (run from fuzz/): attack tokens for `verify`,
RFC example keys for `keys`."""
import json, os
V = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "vectors")
os.makedirs("corpus/verify", exist_ok=True)
os.makedirs("corpus/keys", exist_ok=True)
for r in json.load(open(os.path.join(V, "attack_tokens.json")))["records"]:
    if r.get("token") and len(r["token"]) < 4000:
        open(f"corpus/verify/{r['id']}", "wb").write(b"\x00" + r["token"].encode())
signed = [('{"alg":"HS256"}', '{"exp":1700000100,"iss":"iss","aud":"api"}'),
          ('{"alg":"HS256","typ":"at+jwt","crit":["x"],"x":1}', '{"exp":1e300,"aud":["api",1]}')]
for i, (h, c) in enumerate(signed):
    open(f"corpus/verify/signed-{i}", "wb").write(b"\x01" + h.encode() + b"\n" + c.encode())
for rec in json.load(open(os.path.join(V, "rfc_jws_examples.json")))["records"]:
    for field in ("private_key_pem", "public_key_pem"):
        if rec.get(field):
            open(f"corpus/keys/{rec['id']}-{field}", "w").write(rec[field])
    if rec.get("public_jwk"):
        open(f"corpus/keys/{rec['id']}-jwk", "w").write(json.dumps(rec["public_jwk"]))
