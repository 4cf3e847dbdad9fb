"""PyJWT in-process RS256 verification rate: the key is parsed once, every token decoded and
checked (signature and exp). Prints tokens per second, the median of 3 rounds."""
import statistics, sys, time
import jwt
from cryptography.hazmat.primitives import serialization

key = serialization.load_pem_public_key(open(sys.argv[1], "rb").read())
tokens = [t.strip() for t in open(sys.argv[2]) if t.strip()]
rates = []
for _ in range(3):
    start = time.perf_counter()
    for t in tokens:
        jwt.decode(t, key, algorithms=["RS256"])
    rates.append(len(tokens) / (time.perf_counter() - start))
print(statistics.median(rates))
