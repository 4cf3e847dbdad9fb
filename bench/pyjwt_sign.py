"""PyJWT's in-process signing rate, the key parsed once: the claims of the first N lines of a
claims file (as `jwtctl sign --batch` reads them), plus the aud, exp and iat its flags add, one
token each. For asymmetric keys the header carries a kid as jwtctl's does. Prints tokens per
second, the median of 3 rounds.

    python pyjwt_sign.py ALG KEY_FILE CLAIMS_FILE N
"""
import json, statistics, sys, time
import jwt
from cryptography.hazmat.primitives import serialization

alg, key_file, claims_file, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
raw = open(key_file, "rb").read()
if alg.startswith("HS"):
    key = raw[:-1] if raw.endswith(b"\n") else raw
    headers = None
else:
    key = serialization.load_pem_private_key(raw, password=None)
    headers = {"kid": "tPZFx8BFaYbF60dDmnDuI1N_bHDMo4IOSlfkB3hm2Qg"}
lines = []
with open(claims_file) as f:
    for line in f:
        lines.append(json.loads(line))
        if len(lines) == n:
            break
now = int(time.time())
rates = []
for _ in range(3):
    start = time.perf_counter()
    for claims in lines:
        claims = dict(claims, aud="api", exp=now + 3600, iat=now)
        jwt.encode(claims, key, algorithm=alg, headers=headers)
    rates.append(len(lines) / (time.perf_counter() - start))
print(statistics.median(rates))
