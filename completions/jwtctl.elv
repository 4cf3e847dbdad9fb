
use builtin;
use str;

set edit:completion:arg-completer[jwtctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'jwtctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'jwtctl'= {
            cand --home 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]'
            cand --now 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)'
            cand --store 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]'
            cand --store-password-file 'File holding the store''s password (one line; private to you)'
            cand --store-ca 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s'
            cand --store-prefix 'Prefix of every Redis key, so several environments can share one server'
            cand --store-timeout 'Bound on connecting to a store server and on each operation: 100ms to 10m'
            cand --keyring-secret-file 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself'
            cand --color 'When to use colour; NO_COLOR is respected'
            cand --keyring-in-store 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
            cand -q 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand --quiet 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand keygen 'Create a signing key (into the keyring, or as files with --out)'
            cand sign 'Mint a token from flags, JSON or stdin'
            cand decode 'Show a token''s header and claims without verifying anything'
            cand verify 'Check a token''s signature and claims; print the claims on success'
            cand jwks 'Print a public JWKS: the keyring''s, a key file''s, or an issuer''s'
            cand keys 'List, retire and activate the keyring''s keys; push them into a shared store'
            cand convert 'Convert a key between PEM, JWK and JWKS'
            cand login 'Open a session: print an access token and a refresh token (OAuth 2.0 token response)'
            cand refresh 'Trade a refresh token for a new pair, rotating it; detect reuse'
            cand logout 'End a session (revoke its token family), or every session of a subject'
            cand sessions 'List sessions, show one session''s token chain, or print the event log'
            cand subject 'Disable or re-enable a subject (a deleted or banned user)'
            cand store 'Set up a refresh store, or copy every session from one store to another'
            cand serve 'Run a strict local OAuth 2.0 / OpenID Connect auth server on the keyring and refresh store'
            cand completions 'Print the shell completion script for SHELL'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jwtctl;keygen'= {
            cand --alg 'The key''s algorithm by name, instead of a flag above (e.g. RS384, PS512, EdDSA)'
            cand --bits 'RSA modulus size: 2048, 3072 or 4096 [default: 2048]'
            cand --kid 'The key''s kid [default: its RFC 7638 thumbprint], at most 256 characters; a PEM holds no kid, so with --out sign with `--kid KID --key FILE`'
            cand --out 'Write files into DIR instead of the keyring'
            cand --home 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]'
            cand --now 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)'
            cand --store 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]'
            cand --store-password-file 'File holding the store''s password (one line; private to you)'
            cand --store-ca 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s'
            cand --store-prefix 'Prefix of every Redis key, so several environments can share one server'
            cand --store-timeout 'Bound on connecting to a store server and on each operation: 100ms to 10m'
            cand --keyring-secret-file 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself'
            cand --color 'When to use colour; NO_COLOR is respected'
            cand --rs256 'RSA key for RS256 (2048 bits unless --bits)'
            cand --ps256 'RSA key pinned to PS256 (RSASSA-PSS; 2048 bits unless --bits)'
            cand --es256 'EC P-256 key for ES256'
            cand --es384 'EC P-384 key for ES384'
            cand --ed25519 'Ed25519 key for EdDSA'
            cand --hs256 'Random 32-byte HMAC secret for HS256'
            cand --hs384 'Random 48-byte HMAC secret for HS384'
            cand --hs512 'Random 64-byte HMAC secret for HS512'
            cand --force 'Replace existing files in --out DIR'
            cand --json 'Print {"kid","alg","files"} as JSON on stdout'
            cand --keyring-in-store 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
            cand -q 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand --quiet 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtctl;sign'= {
            cand --key 'Key file: PEM (PKCS#8, PKCS#1, SEC1, SPKI), DER, JWK or JWKS, recognised by content'
            cand --secret-file 'File holding an HMAC secret (''-'' for stdin); one trailing newline is removed'
            cand --secret-env 'Environment variable holding an HMAC secret'
            cand --alg 'Algorithm; must fit the key [default: the key''s own]'
            cand --sub 'Subject (always a string: --sub 1 is "1")'
            cand --iss 'Issuer'
            cand --aud 'Audience (repeatable; more than one makes an array)'
            cand --jti 'Token id; `auto` gives each token a fresh random one (128 bits, base64url)'
            cand --ttl 'Lifetime: exp = now + TTL [default: 15m]'
            cand --exp 'Expiry: +15m, -1m, @UNIX or RFC 3339'
            cand --nbf 'Not before: +15m, -1m, @UNIX or RFC 3339'
            cand --claim 'Claim k=v (string) or k:=JSON (typed), repeatable'
            cand --claims 'JSON object of claims from FILE or ''-'' (stdin)'
            cand --kid 'Sign with this key of the keyring or JWKS; with a single key file, the header kid [default: the key''s kid]'
            cand --typ 'Header typ [default: JWT]'
            cand --header 'Header parameter k=v (a string), repeatable; typ and kid here replace the defaults; alg is refused (the key decides it)'
            cand --file 'With --batch: read claims lines from FILE instead of stdin (repeatable)'
            cand --count 'Mint N tokens from the flags alone, reading no input; {n} in a flag value is 1..N'
            cand --home 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]'
            cand --now 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)'
            cand --store 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]'
            cand --store-password-file 'File holding the store''s password (one line; private to you)'
            cand --store-ca 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s'
            cand --store-prefix 'Prefix of every Redis key, so several environments can share one server'
            cand --store-timeout 'Bound on connecting to a store server and on each operation: 100ms to 10m'
            cand --keyring-secret-file 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself'
            cand --color 'When to use colour; NO_COLOR is respected'
            cand --secret-prompt 'Prompt for an HMAC secret on the terminal, without echo'
            cand --no-iat 'Leave out iat'
            cand --batch 'Mint one token per line of JSON claims (stdin, or --file), on every core, in input order'
            cand --json 'With --batch or --count: one JSON line per token, {"line","token"} (or {"line","code","reason"} for a line that failed)'
            cand --keyring-in-store 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
            cand -q 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand --quiet 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtctl;decode'= {
            cand --file 'With --batch: read tokens from FILE instead of stdin (repeatable)'
            cand --home 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]'
            cand --now 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)'
            cand --store 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]'
            cand --store-password-file 'File holding the store''s password (one line; private to you)'
            cand --store-ca 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s'
            cand --store-prefix 'Prefix of every Redis key, so several environments can share one server'
            cand --store-timeout 'Bound on connecting to a store server and on each operation: 100ms to 10m'
            cand --keyring-secret-file 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself'
            cand --color 'When to use colour; NO_COLOR is respected'
            cand --json 'Print {"header","claims","signature"} as JSON'
            cand --batch 'Decode many tokens, one per line (stdin, or --file), as JSON lines'
            cand --keyring-in-store 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
            cand -q 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand --quiet 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtctl;verify'= {
            cand --key 'Key file: PEM (PKCS#8, PKCS#1, SEC1, SPKI), DER, JWK or JWKS, recognised by content'
            cand --secret-file 'File holding an HMAC secret (''-'' for stdin); one trailing newline is removed'
            cand --secret-env 'Environment variable holding an HMAC secret'
            cand --jwks-url 'Fetch the key set from this JWKS URL (https; plain http only from loopback), cached in the home; never a URL from the token'
            cand --issuer 'Find the issuer''s keys by OpenID Connect discovery (URL/.well-known/openid-configuration, whose issuer must be URL exactly); verify then also requires the token''s iss to be URL'
            cand --ca 'Trust only the CA certificates in this PEM file for https, instead of the system''s'
            cand --fetch-timeout 'Time limit for fetching each document, connecting (at most 5s of it) and redirects included: 1s to 5m [default: 10s]'
            cand --alg 'Allowed algorithm (repeatable) [default: what the key can serve]'
            cand --leeway 'Clock skew allowed on exp, nbf and iat: seconds or a duration, at most 5m'
            cand --iss 'Accepted issuer (repeatable); makes iss required'
            cand --aud 'Accepted audience (repeatable, any match); makes aud required'
            cand --sub 'Required subject'
            cand --typ 'Required typ, e.g. at+jwt (refresh+jwt tokens are refused unless asked for)'
            cand --require 'Claim that must be present (repeatable)'
            cand --file 'With --batch: read tokens from FILE instead of stdin (repeatable)'
            cand --home 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]'
            cand --now 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)'
            cand --store 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]'
            cand --store-password-file 'File holding the store''s password (one line; private to you)'
            cand --store-ca 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s'
            cand --store-prefix 'Prefix of every Redis key, so several environments can share one server'
            cand --store-timeout 'Bound on connecting to a store server and on each operation: 100ms to 10m'
            cand --keyring-secret-file 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself'
            cand --color 'When to use colour; NO_COLOR is respected'
            cand --secret-prompt 'Prompt for an HMAC secret on the terminal, without echo'
            cand --offline 'Use only the cached key set, whatever its age; never connect'
            cand --json 'Print {"valid","header","claims"} (or {"valid":false,"code","reason"}) as JSON'
            cand --batch 'Verify many tokens, one per line (stdin, or --file), on every core: one JSON line each ({"line","valid","code","claims"|"reason"}), in input order. Exit 0 only when every token passed, else the status of the first that failed'
            cand --keyring-in-store 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
            cand -q 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand --quiet 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtctl;jwks'= {
            cand --key 'Key file to convert instead of the keyring: PEM, DER, JWK or JWKS (''-'' for stdin)'
            cand --url 'Print the key set fetched from this JWKS URL (https; plain http only from loopback), through the cache'
            cand --issuer 'Print the key set of this issuer, found by OpenID Connect discovery'
            cand --ca 'Trust only the CA certificates in this PEM file for https, instead of the system''s'
            cand --fetch-timeout 'Time limit for fetching each document, connecting (at most 5s of it) and redirects included: 1s to 5m [default: 10s]'
            cand --kid 'The kid to give the key [default: the JWK''s own, else the RFC 7638 thumbprint]'
            cand --alg 'Pin the key to this algorithm (written as its alg)'
            cand --home 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]'
            cand --now 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)'
            cand --store 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]'
            cand --store-password-file 'File holding the store''s password (one line; private to you)'
            cand --store-ca 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s'
            cand --store-prefix 'Prefix of every Redis key, so several environments can share one server'
            cand --store-timeout 'Bound on connecting to a store server and on each operation: 100ms to 10m'
            cand --keyring-secret-file 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself'
            cand --color 'When to use colour; NO_COLOR is respected'
            cand --refresh 'With --url or --issuer: fetch the key set now, whatever the cache holds'
            cand --offline 'Use only the cached key set, whatever its age; never connect'
            cand --keyring-in-store 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
            cand -q 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand --quiet 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtctl;keys'= {
            cand --home 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]'
            cand --now 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)'
            cand --store 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]'
            cand --store-password-file 'File holding the store''s password (one line; private to you)'
            cand --store-ca 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s'
            cand --store-prefix 'Prefix of every Redis key, so several environments can share one server'
            cand --store-timeout 'Bound on connecting to a store server and on each operation: 100ms to 10m'
            cand --keyring-secret-file 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself'
            cand --color 'When to use colour; NO_COLOR is respected'
            cand --keyring-in-store 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
            cand -q 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand --quiet 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the keys: kid, alg, created, status'
            cand retire 'Retire a key: tokens it signed stop verifying, and it never signs again'
            cand activate 'Make a key the active signing key'
            cand push 'Copy the home''s keyring into the refresh store, sealed with the keyring secret'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jwtctl;keys;list'= {
            cand --home 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]'
            cand --now 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)'
            cand --store 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]'
            cand --store-password-file 'File holding the store''s password (one line; private to you)'
            cand --store-ca 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s'
            cand --store-prefix 'Prefix of every Redis key, so several environments can share one server'
            cand --store-timeout 'Bound on connecting to a store server and on each operation: 100ms to 10m'
            cand --keyring-secret-file 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself'
            cand --color 'When to use colour; NO_COLOR is respected'
            cand --json 'One JSON object per key per line: {"kid","alg","created","active","retired"}, times in RFC 3339'
            cand --keyring-in-store 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
            cand -q 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand --quiet 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtctl;keys;retire'= {
            cand --home 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]'
            cand --now 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)'
            cand --store 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]'
            cand --store-password-file 'File holding the store''s password (one line; private to you)'
            cand --store-ca 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s'
            cand --store-prefix 'Prefix of every Redis key, so several environments can share one server'
            cand --store-timeout 'Bound on connecting to a store server and on each operation: 100ms to 10m'
            cand --keyring-secret-file 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself'
            cand --color 'When to use colour; NO_COLOR is respected'
            cand --keyring-in-store 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
            cand -q 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand --quiet 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtctl;keys;activate'= {
            cand --home 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]'
            cand --now 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)'
            cand --store 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]'
            cand --store-password-file 'File holding the store''s password (one line; private to you)'
            cand --store-ca 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s'
            cand --store-prefix 'Prefix of every Redis key, so several environments can share one server'
            cand --store-timeout 'Bound on connecting to a store server and on each operation: 100ms to 10m'
            cand --keyring-secret-file 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself'
            cand --color 'When to use colour; NO_COLOR is respected'
            cand --keyring-in-store 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
            cand -q 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand --quiet 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtctl;keys;push'= {
            cand --home 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]'
            cand --now 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)'
            cand --store 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]'
            cand --store-password-file 'File holding the store''s password (one line; private to you)'
            cand --store-ca 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s'
            cand --store-prefix 'Prefix of every Redis key, so several environments can share one server'
            cand --store-timeout 'Bound on connecting to a store server and on each operation: 100ms to 10m'
            cand --keyring-secret-file 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself'
            cand --color 'When to use colour; NO_COLOR is respected'
            cand --force 'Replace a keyring already in the store'
            cand --keyring-in-store 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
            cand -q 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand --quiet 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtctl;keys;help'= {
            cand list 'List the keys: kid, alg, created, status'
            cand retire 'Retire a key: tokens it signed stop verifying, and it never signs again'
            cand activate 'Make a key the active signing key'
            cand push 'Copy the home''s keyring into the refresh store, sealed with the keyring secret'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jwtctl;keys;help;list'= {
        }
        &'jwtctl;keys;help;retire'= {
        }
        &'jwtctl;keys;help;activate'= {
        }
        &'jwtctl;keys;help;push'= {
        }
        &'jwtctl;keys;help;help'= {
        }
        &'jwtctl;convert'= {
            cand --key 'Key file: PEM, DER, JWK or JWKS (''-'' for stdin)'
            cand --jwks-url 'Fetch the key set from this JWKS URL (https; plain http only from loopback), cached in the home; never a URL from the token'
            cand --issuer 'Find the issuer''s keys by OpenID Connect discovery (URL/.well-known/openid-configuration, whose issuer must be URL exactly); verify then also requires the token''s iss to be URL'
            cand --ca 'Trust only the CA certificates in this PEM file for https, instead of the system''s'
            cand --fetch-timeout 'Time limit for fetching each document, connecting (at most 5s of it) and redirects included: 1s to 5m [default: 10s]'
            cand --to 'Output format'
            cand --kid 'Pick this key from a JWKS; for a single key, the kid to give it'
            cand --alg 'Pin the key to this algorithm (written as the JWK''s alg)'
            cand --out 'Write to FILE instead of stdout (mode 0600 with --private)'
            cand --home 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]'
            cand --now 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)'
            cand --store 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]'
            cand --store-password-file 'File holding the store''s password (one line; private to you)'
            cand --store-ca 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s'
            cand --store-prefix 'Prefix of every Redis key, so several environments can share one server'
            cand --store-timeout 'Bound on connecting to a store server and on each operation: 100ms to 10m'
            cand --keyring-secret-file 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself'
            cand --color 'When to use colour; NO_COLOR is respected'
            cand --offline 'Use only the cached key set, whatever its age; never connect'
            cand --private 'Include the private key (PKCS#8 PEM, or the JWK''s private members)'
            cand --force 'Replace an existing --out FILE'
            cand --keyring-in-store 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
            cand -q 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand --quiet 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtctl;login'= {
            cand --sub 'Subject the session is for (1 to 256 bytes)'
            cand --scope 'Scope granted (space-separated, at most 1024 bytes); rotation never widens it'
            cand --client-id 'Client the tokens are issued to (1 to 256 bytes); a refresh by another client revokes the session'
            cand --iss 'Issuer of the access tokens (at most 1024 bytes)'
            cand --aud 'Audience of the access tokens (at most 1024 bytes; verify them with --aud)'
            cand --access-ttl 'Access-token lifetime'
            cand --refresh-ttl 'Refresh-token lifetime, at least --access-ttl (each rotation issues a new one, capped by --max-lifetime)'
            cand --max-lifetime 'Absolute lifetime of the session: no rotation extends it'
            cand --home 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]'
            cand --now 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)'
            cand --store 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]'
            cand --store-password-file 'File holding the store''s password (one line; private to you)'
            cand --store-ca 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s'
            cand --store-prefix 'Prefix of every Redis key, so several environments can share one server'
            cand --store-timeout 'Bound on connecting to a store server and on each operation: 100ms to 10m'
            cand --keyring-secret-file 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself'
            cand --color 'When to use colour; NO_COLOR is respected'
            cand --keyring-in-store 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
            cand -q 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand --quiet 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtctl;refresh'= {
            cand --client-id 'Client presenting the token; another than it was issued to is refused (exit 7) and revokes the session'
            cand --grace 'Honour the immediate predecessor for this long after its rotation (a fresh pair, no revocation); older generations never get grace [default: 0, off]'
            cand --home 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]'
            cand --now 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)'
            cand --store 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]'
            cand --store-password-file 'File holding the store''s password (one line; private to you)'
            cand --store-ca 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s'
            cand --store-prefix 'Prefix of every Redis key, so several environments can share one server'
            cand --store-timeout 'Bound on connecting to a store server and on each operation: 100ms to 10m'
            cand --keyring-secret-file 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself'
            cand --color 'When to use colour; NO_COLOR is respected'
            cand --keyring-in-store 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
            cand -q 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand --quiet 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtctl;logout'= {
            cand --sub 'Subject whose sessions --all revokes'
            cand --family 'Revoke the session with this id (or unique id prefix), as an administrator'
            cand --home 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]'
            cand --now 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)'
            cand --store 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]'
            cand --store-password-file 'File holding the store''s password (one line; private to you)'
            cand --store-ca 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s'
            cand --store-prefix 'Prefix of every Redis key, so several environments can share one server'
            cand --store-timeout 'Bound on connecting to a store server and on each operation: 100ms to 10m'
            cand --keyring-secret-file 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself'
            cand --color 'When to use colour; NO_COLOR is respected'
            cand --all 'Revoke every session of --sub'
            cand --keyring-in-store 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
            cand -q 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand --quiet 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtctl;sessions'= {
            cand --sub 'Only sessions (or events) of this subject'
            cand --home 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]'
            cand --now 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)'
            cand --store 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]'
            cand --store-password-file 'File holding the store''s password (one line; private to you)'
            cand --store-ca 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s'
            cand --store-prefix 'Prefix of every Redis key, so several environments can share one server'
            cand --store-timeout 'Bound on connecting to a store server and on each operation: 100ms to 10m'
            cand --keyring-secret-file 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself'
            cand --color 'When to use colour; NO_COLOR is respected'
            cand --events 'Print the event log (issued, rotated, reuse_detected, revoked, expired, ...) as JSON lines'
            cand --json 'One JSON object per line instead of a table'
            cand --keyring-in-store 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
            cand -q 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand --quiet 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtctl;subject'= {
            cand --home 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]'
            cand --now 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)'
            cand --store 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]'
            cand --store-password-file 'File holding the store''s password (one line; private to you)'
            cand --store-ca 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s'
            cand --store-prefix 'Prefix of every Redis key, so several environments can share one server'
            cand --store-timeout 'Bound on connecting to a store server and on each operation: 100ms to 10m'
            cand --keyring-secret-file 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself'
            cand --color 'When to use colour; NO_COLOR is respected'
            cand --keyring-in-store 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
            cand -q 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand --quiet 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand disable 'Disable a subject: login and refresh fail with exit 8'
            cand enable 'Re-enable a disabled subject'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jwtctl;subject;disable'= {
            cand --reason 'Why, for the event log and the error message (at most 1024 bytes)'
            cand --home 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]'
            cand --now 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)'
            cand --store 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]'
            cand --store-password-file 'File holding the store''s password (one line; private to you)'
            cand --store-ca 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s'
            cand --store-prefix 'Prefix of every Redis key, so several environments can share one server'
            cand --store-timeout 'Bound on connecting to a store server and on each operation: 100ms to 10m'
            cand --keyring-secret-file 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself'
            cand --color 'When to use colour; NO_COLOR is respected'
            cand --keyring-in-store 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
            cand -q 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand --quiet 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtctl;subject;enable'= {
            cand --home 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]'
            cand --now 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)'
            cand --store 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]'
            cand --store-password-file 'File holding the store''s password (one line; private to you)'
            cand --store-ca 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s'
            cand --store-prefix 'Prefix of every Redis key, so several environments can share one server'
            cand --store-timeout 'Bound on connecting to a store server and on each operation: 100ms to 10m'
            cand --keyring-secret-file 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself'
            cand --color 'When to use colour; NO_COLOR is respected'
            cand --keyring-in-store 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
            cand -q 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand --quiet 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtctl;subject;help'= {
            cand disable 'Disable a subject: login and refresh fail with exit 8'
            cand enable 'Re-enable a disabled subject'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jwtctl;subject;help;disable'= {
        }
        &'jwtctl;subject;help;enable'= {
        }
        &'jwtctl;subject;help;help'= {
        }
        &'jwtctl;store'= {
            cand --home 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]'
            cand --now 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)'
            cand --store 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]'
            cand --store-password-file 'File holding the store''s password (one line; private to you)'
            cand --store-ca 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s'
            cand --store-prefix 'Prefix of every Redis key, so several environments can share one server'
            cand --store-timeout 'Bound on connecting to a store server and on each operation: 100ms to 10m'
            cand --keyring-secret-file 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself'
            cand --color 'When to use colour; NO_COLOR is respected'
            cand --keyring-in-store 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
            cand -q 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand --quiet 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand migrate 'Create or upgrade the schema of the store --store names'
            cand copy 'Copy every session, subject and event from one store into an empty one'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jwtctl;store;migrate'= {
            cand --home 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]'
            cand --now 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)'
            cand --store 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]'
            cand --store-password-file 'File holding the store''s password (one line; private to you)'
            cand --store-ca 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s'
            cand --store-prefix 'Prefix of every Redis key, so several environments can share one server'
            cand --store-timeout 'Bound on connecting to a store server and on each operation: 100ms to 10m'
            cand --keyring-secret-file 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself'
            cand --color 'When to use colour; NO_COLOR is respected'
            cand --keyring-in-store 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
            cand -q 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand --quiet 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtctl;store;copy'= {
            cand --from 'The store to copy from [env: JWTCTL_STORE_FROM]'
            cand --to 'The store to copy into [env: JWTCTL_STORE_TO]'
            cand --from-password-file 'File holding the source store''s password'
            cand --to-password-file 'File holding the target store''s password'
            cand --home 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]'
            cand --now 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)'
            cand --store 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]'
            cand --store-password-file 'File holding the store''s password (one line; private to you)'
            cand --store-ca 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s'
            cand --store-prefix 'Prefix of every Redis key, so several environments can share one server'
            cand --store-timeout 'Bound on connecting to a store server and on each operation: 100ms to 10m'
            cand --keyring-secret-file 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself'
            cand --color 'When to use colour; NO_COLOR is respected'
            cand --json 'Print the counts as one JSON object on stdout'
            cand --keyring-in-store 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
            cand -q 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand --quiet 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtctl;store;help'= {
            cand migrate 'Create or upgrade the schema of the store --store names'
            cand copy 'Copy every session, subject and event from one store into an empty one'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jwtctl;store;help;migrate'= {
        }
        &'jwtctl;store;help;copy'= {
        }
        &'jwtctl;store;help;help'= {
        }
        &'jwtctl;serve'= {
            cand --listen 'Address and port to listen on; port 0 picks a free one'
            cand --issuer 'Issuer URL: iss of every token and of the discovery documents [default: the base URL]'
            cand --config 'Clients, users, lifetimes and rate limits (TOML; see the README)'
            cand --tls-cert 'Serve HTTPS with this certificate chain (PEM); needs --tls-key'
            cand --tls-key 'The private key of --tls-cert (PEM)'
            cand --home 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]'
            cand --now 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)'
            cand --store 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]'
            cand --store-password-file 'File holding the store''s password (one line; private to you)'
            cand --store-ca 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s'
            cand --store-prefix 'Prefix of every Redis key, so several environments can share one server'
            cand --store-timeout 'Bound on connecting to a store server and on each operation: 100ms to 10m'
            cand --keyring-secret-file 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself'
            cand --color 'When to use colour; NO_COLOR is respected'
            cand --json-log 'Log one JSON object per request instead of a text line'
            cand --refresh-cookie 'Send the refresh token as an HttpOnly; Secure; SameSite=Strict; Path=/token cookie instead of in the JSON body, and read it back from there on /token'
            cand --keyring-in-store 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
            cand -q 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand --quiet 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtctl;completions'= {
            cand --home 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]'
            cand --now 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)'
            cand --store 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]'
            cand --store-password-file 'File holding the store''s password (one line; private to you)'
            cand --store-ca 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s'
            cand --store-prefix 'Prefix of every Redis key, so several environments can share one server'
            cand --store-timeout 'Bound on connecting to a store server and on each operation: 100ms to 10m'
            cand --keyring-secret-file 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself'
            cand --color 'When to use colour; NO_COLOR is respected'
            cand --keyring-in-store 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
            cand -q 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand --quiet 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtctl;help'= {
            cand keygen 'Create a signing key (into the keyring, or as files with --out)'
            cand sign 'Mint a token from flags, JSON or stdin'
            cand decode 'Show a token''s header and claims without verifying anything'
            cand verify 'Check a token''s signature and claims; print the claims on success'
            cand jwks 'Print a public JWKS: the keyring''s, a key file''s, or an issuer''s'
            cand keys 'List, retire and activate the keyring''s keys; push them into a shared store'
            cand convert 'Convert a key between PEM, JWK and JWKS'
            cand login 'Open a session: print an access token and a refresh token (OAuth 2.0 token response)'
            cand refresh 'Trade a refresh token for a new pair, rotating it; detect reuse'
            cand logout 'End a session (revoke its token family), or every session of a subject'
            cand sessions 'List sessions, show one session''s token chain, or print the event log'
            cand subject 'Disable or re-enable a subject (a deleted or banned user)'
            cand store 'Set up a refresh store, or copy every session from one store to another'
            cand serve 'Run a strict local OAuth 2.0 / OpenID Connect auth server on the keyring and refresh store'
            cand completions 'Print the shell completion script for SHELL'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jwtctl;help;keygen'= {
        }
        &'jwtctl;help;sign'= {
        }
        &'jwtctl;help;decode'= {
        }
        &'jwtctl;help;verify'= {
        }
        &'jwtctl;help;jwks'= {
        }
        &'jwtctl;help;keys'= {
            cand list 'List the keys: kid, alg, created, status'
            cand retire 'Retire a key: tokens it signed stop verifying, and it never signs again'
            cand activate 'Make a key the active signing key'
            cand push 'Copy the home''s keyring into the refresh store, sealed with the keyring secret'
        }
        &'jwtctl;help;keys;list'= {
        }
        &'jwtctl;help;keys;retire'= {
        }
        &'jwtctl;help;keys;activate'= {
        }
        &'jwtctl;help;keys;push'= {
        }
        &'jwtctl;help;convert'= {
        }
        &'jwtctl;help;login'= {
        }
        &'jwtctl;help;refresh'= {
        }
        &'jwtctl;help;logout'= {
        }
        &'jwtctl;help;sessions'= {
        }
        &'jwtctl;help;subject'= {
            cand disable 'Disable a subject: login and refresh fail with exit 8'
            cand enable 'Re-enable a disabled subject'
        }
        &'jwtctl;help;subject;disable'= {
        }
        &'jwtctl;help;subject;enable'= {
        }
        &'jwtctl;help;store'= {
            cand migrate 'Create or upgrade the schema of the store --store names'
            cand copy 'Copy every session, subject and event from one store into an empty one'
        }
        &'jwtctl;help;store;migrate'= {
        }
        &'jwtctl;help;store;copy'= {
        }
        &'jwtctl;help;serve'= {
        }
        &'jwtctl;help;completions'= {
        }
        &'jwtctl;help;help'= {
        }
    ]
    $completions[$command]
}
