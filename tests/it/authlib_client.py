"""An OIDC client nobody here wrote (Authlib, with requests) against `jwtctl serve`.

Usage: authlib_client.py BASE_URL. Discovers the server, runs the authorization-code flow with
PKCE S256 (posting the login form as a browser would), checks the ID token with Authlib's own
JOSE code against the server's JWKS, refreshes, replays the old refresh token, and prints one
JSON object of what it saw. Any unexpected answer raises (non-zero exit)."""

import html
import json
import re
import sys
import warnings

# authlib.jose is deprecated in favour of joserfc, but still Authlib's own JOSE code.
warnings.filterwarnings("ignore", category=DeprecationWarning)

import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, jwt

base = sys.argv[1]
redirect = "http://127.0.0.1:9/cb"
meta = requests.get(base + "/.well-known/openid-configuration", timeout=30).json()
assert meta["issuer"] == base, meta

client = OAuth2Session(
    "jwtctl",
    redirect_uri=redirect,
    scope="openid",
    code_challenge_method="S256",
    token_endpoint_auth_method="none",
)
verifier = generate_token(48)
url, state = client.create_authorization_url(
    meta["authorization_endpoint"], code_verifier=verifier, nonce="n-authlib"
)
page = requests.get(url, timeout=30)
page.raise_for_status()
fields = {
    k: html.unescape(v)
    for k, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.text)
}
fields["sub"] = "ivy"
answer = requests.post(
    meta["authorization_endpoint"], data=fields, allow_redirects=False, timeout=30
)
assert answer.status_code == 303, answer.text
token = client.fetch_token(
    meta["token_endpoint"],
    authorization_response=answer.headers["Location"],
    code_verifier=verifier,
)

keys = JsonWebKey.import_key_set(requests.get(meta["jwks_uri"], timeout=30).json())
claims = jwt.decode(
    token["id_token"],
    keys,
    claims_options={
        "iss": {"essential": True, "value": base},
        "aud": {"essential": True, "value": "jwtctl"},
        "nonce": {"essential": True, "value": "n-authlib"},
    },
)
claims.validate()

first = token["refresh_token"]
rotated = client.refresh_token(meta["token_endpoint"], refresh_token=first)
assert rotated["refresh_token"] != first

try:
    client.refresh_token(meta["token_endpoint"], refresh_token=first)
    replay = "accepted"
except OAuthError as e:
    replay = e.error
try:
    client.refresh_token(meta["token_endpoint"], refresh_token=rotated["refresh_token"])
    after = "accepted"
except OAuthError as e:
    after = e.error

print(
    json.dumps(
        {
            "sub": claims["sub"],
            "generation": rotated.get("generation"),
            "replay": replay,
            "after_replay": after,
            "access_token": rotated["access_token"],
        }
    )
)
