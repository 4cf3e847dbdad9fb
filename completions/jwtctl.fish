# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_jwtctl_global_optspecs
    string join \n home= now= store= store-password-file= store-ca= store-prefix= store-timeout= keyring-in-store keyring-secret-file= color= q/quiet h/help V/version
end

function __fish_jwtctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_jwtctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_jwtctl_using_subcommand
    set -l cmd (__fish_jwtctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c jwtctl -n "__fish_jwtctl_needs_command" -l home -d 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]' -r -F
complete -c jwtctl -n "__fish_jwtctl_needs_command" -l now -d 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)' -r
complete -c jwtctl -n "__fish_jwtctl_needs_command" -l store -d 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]' -r
complete -c jwtctl -n "__fish_jwtctl_needs_command" -l store-password-file -d 'File holding the store\'s password (one line; private to you)' -r -F
complete -c jwtctl -n "__fish_jwtctl_needs_command" -l store-ca -d 'PEM file of CA certificates to trust for the store\'s TLS, beside the system\'s' -r -F
complete -c jwtctl -n "__fish_jwtctl_needs_command" -l store-prefix -d 'Prefix of every Redis key, so several environments can share one server' -r
complete -c jwtctl -n "__fish_jwtctl_needs_command" -l store-timeout -d 'Bound on connecting to a store server and on each operation: 100ms to 10m' -r
complete -c jwtctl -n "__fish_jwtctl_needs_command" -l keyring-secret-file -d 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself' -r -F
complete -c jwtctl -n "__fish_jwtctl_needs_command" -l color -d 'When to use colour; NO_COLOR is respected' -r -f -a "auto\t''
always\t''
never\t''"
complete -c jwtctl -n "__fish_jwtctl_needs_command" -l keyring-in-store -d 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
complete -c jwtctl -n "__fish_jwtctl_needs_command" -s q -l quiet -d 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
complete -c jwtctl -n "__fish_jwtctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtctl -n "__fish_jwtctl_needs_command" -s V -l version -d 'Print version'
complete -c jwtctl -n "__fish_jwtctl_needs_command" -f -a "keygen" -d 'Create a signing key (into the keyring, or as files with --out)'
complete -c jwtctl -n "__fish_jwtctl_needs_command" -f -a "sign" -d 'Mint a token from flags, JSON or stdin'
complete -c jwtctl -n "__fish_jwtctl_needs_command" -f -a "decode" -d 'Show a token\'s header and claims without verifying anything'
complete -c jwtctl -n "__fish_jwtctl_needs_command" -f -a "verify" -d 'Check a token\'s signature and claims; print the claims on success'
complete -c jwtctl -n "__fish_jwtctl_needs_command" -f -a "jwks" -d 'Print a public JWKS: the keyring\'s, a key file\'s, or an issuer\'s'
complete -c jwtctl -n "__fish_jwtctl_needs_command" -f -a "keys" -d 'List, retire and activate the keyring\'s keys; push them into a shared store'
complete -c jwtctl -n "__fish_jwtctl_needs_command" -f -a "convert" -d 'Convert a key between PEM, JWK and JWKS'
complete -c jwtctl -n "__fish_jwtctl_needs_command" -f -a "login" -d 'Open a session: print an access token and a refresh token (OAuth 2.0 token response)'
complete -c jwtctl -n "__fish_jwtctl_needs_command" -f -a "refresh" -d 'Trade a refresh token for a new pair, rotating it; detect reuse'
complete -c jwtctl -n "__fish_jwtctl_needs_command" -f -a "logout" -d 'End a session (revoke its token family), or every session of a subject'
complete -c jwtctl -n "__fish_jwtctl_needs_command" -f -a "sessions" -d 'List sessions, show one session\'s token chain, or print the event log'
complete -c jwtctl -n "__fish_jwtctl_needs_command" -f -a "subject" -d 'Disable or re-enable a subject (a deleted or banned user)'
complete -c jwtctl -n "__fish_jwtctl_needs_command" -f -a "store" -d 'Set up a refresh store, or copy every session from one store to another'
complete -c jwtctl -n "__fish_jwtctl_needs_command" -f -a "serve" -d 'Run a strict local OAuth 2.0 / OpenID Connect auth server on the keyring and refresh store'
complete -c jwtctl -n "__fish_jwtctl_needs_command" -f -a "completions" -d 'Print the shell completion script for SHELL'
complete -c jwtctl -n "__fish_jwtctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keygen" -l alg -d 'The key\'s algorithm by name, instead of a flag above (e.g. RS384, PS512, EdDSA)' -r -f -a "HS256\t''
HS384\t''
HS512\t''
RS256\t''
RS384\t''
RS512\t''
PS256\t''
PS384\t''
PS512\t''
ES256\t''
ES384\t''
EdDSA\t''"
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keygen" -l bits -d 'RSA modulus size: 2048, 3072 or 4096 [default: 2048]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keygen" -l kid -d 'The key\'s kid [default: its RFC 7638 thumbprint], at most 256 characters; a PEM holds no kid, so with --out sign with `--kid KID --key FILE`' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keygen" -l out -d 'Write files into DIR instead of the keyring' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keygen" -l home -d 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keygen" -l now -d 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keygen" -l store -d 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keygen" -l store-password-file -d 'File holding the store\'s password (one line; private to you)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keygen" -l store-ca -d 'PEM file of CA certificates to trust for the store\'s TLS, beside the system\'s' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keygen" -l store-prefix -d 'Prefix of every Redis key, so several environments can share one server' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keygen" -l store-timeout -d 'Bound on connecting to a store server and on each operation: 100ms to 10m' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keygen" -l keyring-secret-file -d 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keygen" -l color -d 'When to use colour; NO_COLOR is respected' -r -f -a "auto\t''
always\t''
never\t''"
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keygen" -l rs256 -d 'RSA key for RS256 (2048 bits unless --bits)'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keygen" -l ps256 -d 'RSA key pinned to PS256 (RSASSA-PSS; 2048 bits unless --bits)'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keygen" -l es256 -d 'EC P-256 key for ES256'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keygen" -l es384 -d 'EC P-384 key for ES384'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keygen" -l ed25519 -d 'Ed25519 key for EdDSA'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keygen" -l hs256 -d 'Random 32-byte HMAC secret for HS256'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keygen" -l hs384 -d 'Random 48-byte HMAC secret for HS384'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keygen" -l hs512 -d 'Random 64-byte HMAC secret for HS512'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keygen" -l force -d 'Replace existing files in --out DIR'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keygen" -l json -d 'Print {"kid","alg","files"} as JSON on stdout'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keygen" -l keyring-in-store -d 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keygen" -s q -l quiet -d 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keygen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keygen" -s V -l version -d 'Print version'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l key -d 'Key file: PEM (PKCS#8, PKCS#1, SEC1, SPKI), DER, JWK or JWKS, recognised by content' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l secret-file -d 'File holding an HMAC secret (\'-\' for stdin); one trailing newline is removed' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l secret-env -d 'Environment variable holding an HMAC secret' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l alg -d 'Algorithm; must fit the key [default: the key\'s own]' -r -f -a "HS256\t''
HS384\t''
HS512\t''
RS256\t''
RS384\t''
RS512\t''
PS256\t''
PS384\t''
PS512\t''
ES256\t''
ES384\t''
EdDSA\t''"
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l sub -d 'Subject (always a string: --sub 1 is "1")' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l iss -d 'Issuer' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l aud -d 'Audience (repeatable; more than one makes an array)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l jti -d 'Token id; `auto` gives each token a fresh random one (128 bits, base64url)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l ttl -d 'Lifetime: exp = now + TTL [default: 15m]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l exp -d 'Expiry: +15m, -1m, @UNIX or RFC 3339' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l nbf -d 'Not before: +15m, -1m, @UNIX or RFC 3339' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l claim -d 'Claim k=v (string) or k:=JSON (typed), repeatable' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l claims -d 'JSON object of claims from FILE or \'-\' (stdin)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l kid -d 'Sign with this key of the keyring or JWKS; with a single key file, the header kid [default: the key\'s kid]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l typ -d 'Header typ [default: JWT]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l header -d 'Header parameter k=v (a string), repeatable; typ and kid here replace the defaults; alg is refused (the key decides it)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l file -d 'With --batch: read claims lines from FILE instead of stdin (repeatable)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l count -d 'Mint N tokens from the flags alone, reading no input; {n} in a flag value is 1..N' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l home -d 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l now -d 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l store -d 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l store-password-file -d 'File holding the store\'s password (one line; private to you)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l store-ca -d 'PEM file of CA certificates to trust for the store\'s TLS, beside the system\'s' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l store-prefix -d 'Prefix of every Redis key, so several environments can share one server' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l store-timeout -d 'Bound on connecting to a store server and on each operation: 100ms to 10m' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l keyring-secret-file -d 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l color -d 'When to use colour; NO_COLOR is respected' -r -f -a "auto\t''
always\t''
never\t''"
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l secret-prompt -d 'Prompt for an HMAC secret on the terminal, without echo'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l no-iat -d 'Leave out iat'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l batch -d 'Mint one token per line of JSON claims (stdin, or --file), on every core, in input order'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l json -d 'With --batch or --count: one JSON line per token, {"line","token"} (or {"line","code","reason"} for a line that failed)'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -l keyring-in-store -d 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -s q -l quiet -d 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sign" -s V -l version -d 'Print version'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand decode" -l file -d 'With --batch: read tokens from FILE instead of stdin (repeatable)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand decode" -l home -d 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand decode" -l now -d 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand decode" -l store -d 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand decode" -l store-password-file -d 'File holding the store\'s password (one line; private to you)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand decode" -l store-ca -d 'PEM file of CA certificates to trust for the store\'s TLS, beside the system\'s' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand decode" -l store-prefix -d 'Prefix of every Redis key, so several environments can share one server' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand decode" -l store-timeout -d 'Bound on connecting to a store server and on each operation: 100ms to 10m' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand decode" -l keyring-secret-file -d 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand decode" -l color -d 'When to use colour; NO_COLOR is respected' -r -f -a "auto\t''
always\t''
never\t''"
complete -c jwtctl -n "__fish_jwtctl_using_subcommand decode" -l json -d 'Print {"header","claims","signature"} as JSON'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand decode" -l batch -d 'Decode many tokens, one per line (stdin, or --file), as JSON lines'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand decode" -l keyring-in-store -d 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand decode" -s q -l quiet -d 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand decode" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand decode" -s V -l version -d 'Print version'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -l key -d 'Key file: PEM (PKCS#8, PKCS#1, SEC1, SPKI), DER, JWK or JWKS, recognised by content' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -l secret-file -d 'File holding an HMAC secret (\'-\' for stdin); one trailing newline is removed' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -l secret-env -d 'Environment variable holding an HMAC secret' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -l jwks-url -d 'Fetch the key set from this JWKS URL (https; plain http only from loopback), cached in the home; never a URL from the token' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -l issuer -d 'Find the issuer\'s keys by OpenID Connect discovery (URL/.well-known/openid-configuration, whose issuer must be URL exactly); verify then also requires the token\'s iss to be URL' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -l ca -d 'Trust only the CA certificates in this PEM file for https, instead of the system\'s' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -l fetch-timeout -d 'Time limit for fetching each document, connecting (at most 5s of it) and redirects included: 1s to 5m [default: 10s]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -l alg -d 'Allowed algorithm (repeatable) [default: what the key can serve]' -r -f -a "HS256\t''
HS384\t''
HS512\t''
RS256\t''
RS384\t''
RS512\t''
PS256\t''
PS384\t''
PS512\t''
ES256\t''
ES384\t''
EdDSA\t''"
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -l leeway -d 'Clock skew allowed on exp, nbf and iat: seconds or a duration, at most 5m' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -l iss -d 'Accepted issuer (repeatable); makes iss required' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -l aud -d 'Accepted audience (repeatable, any match); makes aud required' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -l sub -d 'Required subject' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -l typ -d 'Required typ, e.g. at+jwt (refresh+jwt tokens are refused unless asked for)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -l require -d 'Claim that must be present (repeatable)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -l file -d 'With --batch: read tokens from FILE instead of stdin (repeatable)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -l home -d 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -l now -d 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -l store -d 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -l store-password-file -d 'File holding the store\'s password (one line; private to you)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -l store-ca -d 'PEM file of CA certificates to trust for the store\'s TLS, beside the system\'s' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -l store-prefix -d 'Prefix of every Redis key, so several environments can share one server' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -l store-timeout -d 'Bound on connecting to a store server and on each operation: 100ms to 10m' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -l keyring-secret-file -d 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -l color -d 'When to use colour; NO_COLOR is respected' -r -f -a "auto\t''
always\t''
never\t''"
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -l secret-prompt -d 'Prompt for an HMAC secret on the terminal, without echo'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -l offline -d 'Use only the cached key set, whatever its age; never connect'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -l json -d 'Print {"valid","header","claims"} (or {"valid":false,"code","reason"}) as JSON'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -l batch -d 'Verify many tokens, one per line (stdin, or --file), on every core: one JSON line each ({"line","valid","code","claims"|"reason"}), in input order. Exit 0 only when every token passed, else the status of the first that failed'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -l keyring-in-store -d 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -s q -l quiet -d 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand verify" -s V -l version -d 'Print version'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand jwks" -l key -d 'Key file to convert instead of the keyring: PEM, DER, JWK or JWKS (\'-\' for stdin)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand jwks" -l url -d 'Print the key set fetched from this JWKS URL (https; plain http only from loopback), through the cache' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand jwks" -l issuer -d 'Print the key set of this issuer, found by OpenID Connect discovery' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand jwks" -l ca -d 'Trust only the CA certificates in this PEM file for https, instead of the system\'s' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand jwks" -l fetch-timeout -d 'Time limit for fetching each document, connecting (at most 5s of it) and redirects included: 1s to 5m [default: 10s]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand jwks" -l kid -d 'The kid to give the key [default: the JWK\'s own, else the RFC 7638 thumbprint]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand jwks" -l alg -d 'Pin the key to this algorithm (written as its alg)' -r -f -a "HS256\t''
HS384\t''
HS512\t''
RS256\t''
RS384\t''
RS512\t''
PS256\t''
PS384\t''
PS512\t''
ES256\t''
ES384\t''
EdDSA\t''"
complete -c jwtctl -n "__fish_jwtctl_using_subcommand jwks" -l home -d 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand jwks" -l now -d 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand jwks" -l store -d 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand jwks" -l store-password-file -d 'File holding the store\'s password (one line; private to you)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand jwks" -l store-ca -d 'PEM file of CA certificates to trust for the store\'s TLS, beside the system\'s' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand jwks" -l store-prefix -d 'Prefix of every Redis key, so several environments can share one server' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand jwks" -l store-timeout -d 'Bound on connecting to a store server and on each operation: 100ms to 10m' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand jwks" -l keyring-secret-file -d 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand jwks" -l color -d 'When to use colour; NO_COLOR is respected' -r -f -a "auto\t''
always\t''
never\t''"
complete -c jwtctl -n "__fish_jwtctl_using_subcommand jwks" -l refresh -d 'With --url or --issuer: fetch the key set now, whatever the cache holds'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand jwks" -l offline -d 'Use only the cached key set, whatever its age; never connect'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand jwks" -l keyring-in-store -d 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand jwks" -s q -l quiet -d 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand jwks" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand jwks" -s V -l version -d 'Print version'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and not __fish_seen_subcommand_from list retire activate push help" -l home -d 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and not __fish_seen_subcommand_from list retire activate push help" -l now -d 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and not __fish_seen_subcommand_from list retire activate push help" -l store -d 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and not __fish_seen_subcommand_from list retire activate push help" -l store-password-file -d 'File holding the store\'s password (one line; private to you)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and not __fish_seen_subcommand_from list retire activate push help" -l store-ca -d 'PEM file of CA certificates to trust for the store\'s TLS, beside the system\'s' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and not __fish_seen_subcommand_from list retire activate push help" -l store-prefix -d 'Prefix of every Redis key, so several environments can share one server' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and not __fish_seen_subcommand_from list retire activate push help" -l store-timeout -d 'Bound on connecting to a store server and on each operation: 100ms to 10m' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and not __fish_seen_subcommand_from list retire activate push help" -l keyring-secret-file -d 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and not __fish_seen_subcommand_from list retire activate push help" -l color -d 'When to use colour; NO_COLOR is respected' -r -f -a "auto\t''
always\t''
never\t''"
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and not __fish_seen_subcommand_from list retire activate push help" -l keyring-in-store -d 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and not __fish_seen_subcommand_from list retire activate push help" -s q -l quiet -d 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and not __fish_seen_subcommand_from list retire activate push help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and not __fish_seen_subcommand_from list retire activate push help" -s V -l version -d 'Print version'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and not __fish_seen_subcommand_from list retire activate push help" -f -a "list" -d 'List the keys: kid, alg, created, status'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and not __fish_seen_subcommand_from list retire activate push help" -f -a "retire" -d 'Retire a key: tokens it signed stop verifying, and it never signs again'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and not __fish_seen_subcommand_from list retire activate push help" -f -a "activate" -d 'Make a key the active signing key'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and not __fish_seen_subcommand_from list retire activate push help" -f -a "push" -d 'Copy the home\'s keyring into the refresh store, sealed with the keyring secret'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and not __fish_seen_subcommand_from list retire activate push help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from list" -l home -d 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from list" -l now -d 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from list" -l store -d 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from list" -l store-password-file -d 'File holding the store\'s password (one line; private to you)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from list" -l store-ca -d 'PEM file of CA certificates to trust for the store\'s TLS, beside the system\'s' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from list" -l store-prefix -d 'Prefix of every Redis key, so several environments can share one server' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from list" -l store-timeout -d 'Bound on connecting to a store server and on each operation: 100ms to 10m' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from list" -l keyring-secret-file -d 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from list" -l color -d 'When to use colour; NO_COLOR is respected' -r -f -a "auto\t''
always\t''
never\t''"
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from list" -l json -d 'One JSON object per key per line: {"kid","alg","created","active","retired"}, times in RFC 3339'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from list" -l keyring-in-store -d 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from retire" -l home -d 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from retire" -l now -d 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from retire" -l store -d 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from retire" -l store-password-file -d 'File holding the store\'s password (one line; private to you)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from retire" -l store-ca -d 'PEM file of CA certificates to trust for the store\'s TLS, beside the system\'s' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from retire" -l store-prefix -d 'Prefix of every Redis key, so several environments can share one server' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from retire" -l store-timeout -d 'Bound on connecting to a store server and on each operation: 100ms to 10m' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from retire" -l keyring-secret-file -d 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from retire" -l color -d 'When to use colour; NO_COLOR is respected' -r -f -a "auto\t''
always\t''
never\t''"
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from retire" -l keyring-in-store -d 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from retire" -s q -l quiet -d 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from retire" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from retire" -s V -l version -d 'Print version'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from activate" -l home -d 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from activate" -l now -d 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from activate" -l store -d 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from activate" -l store-password-file -d 'File holding the store\'s password (one line; private to you)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from activate" -l store-ca -d 'PEM file of CA certificates to trust for the store\'s TLS, beside the system\'s' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from activate" -l store-prefix -d 'Prefix of every Redis key, so several environments can share one server' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from activate" -l store-timeout -d 'Bound on connecting to a store server and on each operation: 100ms to 10m' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from activate" -l keyring-secret-file -d 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from activate" -l color -d 'When to use colour; NO_COLOR is respected' -r -f -a "auto\t''
always\t''
never\t''"
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from activate" -l keyring-in-store -d 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from activate" -s q -l quiet -d 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from activate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from activate" -s V -l version -d 'Print version'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from push" -l home -d 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from push" -l now -d 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from push" -l store -d 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from push" -l store-password-file -d 'File holding the store\'s password (one line; private to you)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from push" -l store-ca -d 'PEM file of CA certificates to trust for the store\'s TLS, beside the system\'s' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from push" -l store-prefix -d 'Prefix of every Redis key, so several environments can share one server' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from push" -l store-timeout -d 'Bound on connecting to a store server and on each operation: 100ms to 10m' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from push" -l keyring-secret-file -d 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from push" -l color -d 'When to use colour; NO_COLOR is respected' -r -f -a "auto\t''
always\t''
never\t''"
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from push" -l force -d 'Replace a keyring already in the store'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from push" -l keyring-in-store -d 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from push" -s q -l quiet -d 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from push" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from push" -s V -l version -d 'Print version'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the keys: kid, alg, created, status'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "retire" -d 'Retire a key: tokens it signed stop verifying, and it never signs again'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "activate" -d 'Make a key the active signing key'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "push" -d 'Copy the home\'s keyring into the refresh store, sealed with the keyring secret'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand convert" -l key -d 'Key file: PEM, DER, JWK or JWKS (\'-\' for stdin)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand convert" -l jwks-url -d 'Fetch the key set from this JWKS URL (https; plain http only from loopback), cached in the home; never a URL from the token' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand convert" -l issuer -d 'Find the issuer\'s keys by OpenID Connect discovery (URL/.well-known/openid-configuration, whose issuer must be URL exactly); verify then also requires the token\'s iss to be URL' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand convert" -l ca -d 'Trust only the CA certificates in this PEM file for https, instead of the system\'s' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand convert" -l fetch-timeout -d 'Time limit for fetching each document, connecting (at most 5s of it) and redirects included: 1s to 5m [default: 10s]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand convert" -l to -d 'Output format' -r -f -a "pem\t'SPKI PEM, or PKCS#8 PEM with --private'
jwk\t'One JWK'
jwks\t'A JWK Set ({"keys": [...]})'"
complete -c jwtctl -n "__fish_jwtctl_using_subcommand convert" -l kid -d 'Pick this key from a JWKS; for a single key, the kid to give it' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand convert" -l alg -d 'Pin the key to this algorithm (written as the JWK\'s alg)' -r -f -a "HS256\t''
HS384\t''
HS512\t''
RS256\t''
RS384\t''
RS512\t''
PS256\t''
PS384\t''
PS512\t''
ES256\t''
ES384\t''
EdDSA\t''"
complete -c jwtctl -n "__fish_jwtctl_using_subcommand convert" -l out -d 'Write to FILE instead of stdout (mode 0600 with --private)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand convert" -l home -d 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand convert" -l now -d 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand convert" -l store -d 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand convert" -l store-password-file -d 'File holding the store\'s password (one line; private to you)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand convert" -l store-ca -d 'PEM file of CA certificates to trust for the store\'s TLS, beside the system\'s' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand convert" -l store-prefix -d 'Prefix of every Redis key, so several environments can share one server' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand convert" -l store-timeout -d 'Bound on connecting to a store server and on each operation: 100ms to 10m' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand convert" -l keyring-secret-file -d 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand convert" -l color -d 'When to use colour; NO_COLOR is respected' -r -f -a "auto\t''
always\t''
never\t''"
complete -c jwtctl -n "__fish_jwtctl_using_subcommand convert" -l offline -d 'Use only the cached key set, whatever its age; never connect'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand convert" -l private -d 'Include the private key (PKCS#8 PEM, or the JWK\'s private members)'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand convert" -l force -d 'Replace an existing --out FILE'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand convert" -l keyring-in-store -d 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand convert" -s q -l quiet -d 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand convert" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand convert" -s V -l version -d 'Print version'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand login" -l sub -d 'Subject the session is for (1 to 256 bytes)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand login" -l scope -d 'Scope granted (space-separated, at most 1024 bytes); rotation never widens it' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand login" -l client-id -d 'Client the tokens are issued to (1 to 256 bytes); a refresh by another client revokes the session' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand login" -l iss -d 'Issuer of the access tokens (at most 1024 bytes)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand login" -l aud -d 'Audience of the access tokens (at most 1024 bytes; verify them with --aud)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand login" -l access-ttl -d 'Access-token lifetime' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand login" -l refresh-ttl -d 'Refresh-token lifetime, at least --access-ttl (each rotation issues a new one, capped by --max-lifetime)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand login" -l max-lifetime -d 'Absolute lifetime of the session: no rotation extends it' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand login" -l home -d 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand login" -l now -d 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand login" -l store -d 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand login" -l store-password-file -d 'File holding the store\'s password (one line; private to you)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand login" -l store-ca -d 'PEM file of CA certificates to trust for the store\'s TLS, beside the system\'s' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand login" -l store-prefix -d 'Prefix of every Redis key, so several environments can share one server' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand login" -l store-timeout -d 'Bound on connecting to a store server and on each operation: 100ms to 10m' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand login" -l keyring-secret-file -d 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand login" -l color -d 'When to use colour; NO_COLOR is respected' -r -f -a "auto\t''
always\t''
never\t''"
complete -c jwtctl -n "__fish_jwtctl_using_subcommand login" -l keyring-in-store -d 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand login" -s q -l quiet -d 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand login" -s V -l version -d 'Print version'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand refresh" -l client-id -d 'Client presenting the token; another than it was issued to is refused (exit 7) and revokes the session' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand refresh" -l grace -d 'Honour the immediate predecessor for this long after its rotation (a fresh pair, no revocation); older generations never get grace [default: 0, off]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand refresh" -l home -d 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand refresh" -l now -d 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand refresh" -l store -d 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand refresh" -l store-password-file -d 'File holding the store\'s password (one line; private to you)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand refresh" -l store-ca -d 'PEM file of CA certificates to trust for the store\'s TLS, beside the system\'s' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand refresh" -l store-prefix -d 'Prefix of every Redis key, so several environments can share one server' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand refresh" -l store-timeout -d 'Bound on connecting to a store server and on each operation: 100ms to 10m' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand refresh" -l keyring-secret-file -d 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand refresh" -l color -d 'When to use colour; NO_COLOR is respected' -r -f -a "auto\t''
always\t''
never\t''"
complete -c jwtctl -n "__fish_jwtctl_using_subcommand refresh" -l keyring-in-store -d 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand refresh" -s q -l quiet -d 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand refresh" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand refresh" -s V -l version -d 'Print version'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand logout" -l sub -d 'Subject whose sessions --all revokes' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand logout" -l family -d 'Revoke the session with this id (or unique id prefix), as an administrator' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand logout" -l home -d 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand logout" -l now -d 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand logout" -l store -d 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand logout" -l store-password-file -d 'File holding the store\'s password (one line; private to you)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand logout" -l store-ca -d 'PEM file of CA certificates to trust for the store\'s TLS, beside the system\'s' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand logout" -l store-prefix -d 'Prefix of every Redis key, so several environments can share one server' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand logout" -l store-timeout -d 'Bound on connecting to a store server and on each operation: 100ms to 10m' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand logout" -l keyring-secret-file -d 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand logout" -l color -d 'When to use colour; NO_COLOR is respected' -r -f -a "auto\t''
always\t''
never\t''"
complete -c jwtctl -n "__fish_jwtctl_using_subcommand logout" -l all -d 'Revoke every session of --sub'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand logout" -l keyring-in-store -d 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand logout" -s q -l quiet -d 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand logout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand logout" -s V -l version -d 'Print version'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sessions" -l sub -d 'Only sessions (or events) of this subject' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sessions" -l home -d 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sessions" -l now -d 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sessions" -l store -d 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sessions" -l store-password-file -d 'File holding the store\'s password (one line; private to you)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sessions" -l store-ca -d 'PEM file of CA certificates to trust for the store\'s TLS, beside the system\'s' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sessions" -l store-prefix -d 'Prefix of every Redis key, so several environments can share one server' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sessions" -l store-timeout -d 'Bound on connecting to a store server and on each operation: 100ms to 10m' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sessions" -l keyring-secret-file -d 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sessions" -l color -d 'When to use colour; NO_COLOR is respected' -r -f -a "auto\t''
always\t''
never\t''"
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sessions" -l events -d 'Print the event log (issued, rotated, reuse_detected, revoked, expired, ...) as JSON lines'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sessions" -l json -d 'One JSON object per line instead of a table'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sessions" -l keyring-in-store -d 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sessions" -s q -l quiet -d 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sessions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand sessions" -s V -l version -d 'Print version'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and not __fish_seen_subcommand_from disable enable help" -l home -d 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and not __fish_seen_subcommand_from disable enable help" -l now -d 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and not __fish_seen_subcommand_from disable enable help" -l store -d 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and not __fish_seen_subcommand_from disable enable help" -l store-password-file -d 'File holding the store\'s password (one line; private to you)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and not __fish_seen_subcommand_from disable enable help" -l store-ca -d 'PEM file of CA certificates to trust for the store\'s TLS, beside the system\'s' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and not __fish_seen_subcommand_from disable enable help" -l store-prefix -d 'Prefix of every Redis key, so several environments can share one server' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and not __fish_seen_subcommand_from disable enable help" -l store-timeout -d 'Bound on connecting to a store server and on each operation: 100ms to 10m' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and not __fish_seen_subcommand_from disable enable help" -l keyring-secret-file -d 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and not __fish_seen_subcommand_from disable enable help" -l color -d 'When to use colour; NO_COLOR is respected' -r -f -a "auto\t''
always\t''
never\t''"
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and not __fish_seen_subcommand_from disable enable help" -l keyring-in-store -d 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and not __fish_seen_subcommand_from disable enable help" -s q -l quiet -d 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and not __fish_seen_subcommand_from disable enable help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and not __fish_seen_subcommand_from disable enable help" -s V -l version -d 'Print version'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and not __fish_seen_subcommand_from disable enable help" -f -a "disable" -d 'Disable a subject: login and refresh fail with exit 8'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and not __fish_seen_subcommand_from disable enable help" -f -a "enable" -d 'Re-enable a disabled subject'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and not __fish_seen_subcommand_from disable enable help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from disable" -l reason -d 'Why, for the event log and the error message (at most 1024 bytes)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from disable" -l home -d 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from disable" -l now -d 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from disable" -l store -d 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from disable" -l store-password-file -d 'File holding the store\'s password (one line; private to you)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from disable" -l store-ca -d 'PEM file of CA certificates to trust for the store\'s TLS, beside the system\'s' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from disable" -l store-prefix -d 'Prefix of every Redis key, so several environments can share one server' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from disable" -l store-timeout -d 'Bound on connecting to a store server and on each operation: 100ms to 10m' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from disable" -l keyring-secret-file -d 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from disable" -l color -d 'When to use colour; NO_COLOR is respected' -r -f -a "auto\t''
always\t''
never\t''"
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from disable" -l keyring-in-store -d 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from disable" -s q -l quiet -d 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from disable" -s V -l version -d 'Print version'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from enable" -l home -d 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from enable" -l now -d 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from enable" -l store -d 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from enable" -l store-password-file -d 'File holding the store\'s password (one line; private to you)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from enable" -l store-ca -d 'PEM file of CA certificates to trust for the store\'s TLS, beside the system\'s' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from enable" -l store-prefix -d 'Prefix of every Redis key, so several environments can share one server' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from enable" -l store-timeout -d 'Bound on connecting to a store server and on each operation: 100ms to 10m' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from enable" -l keyring-secret-file -d 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from enable" -l color -d 'When to use colour; NO_COLOR is respected' -r -f -a "auto\t''
always\t''
never\t''"
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from enable" -l keyring-in-store -d 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from enable" -s q -l quiet -d 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from enable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from enable" -s V -l version -d 'Print version'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from help" -f -a "disable" -d 'Disable a subject: login and refresh fail with exit 8'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from help" -f -a "enable" -d 'Re-enable a disabled subject'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand subject; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and not __fish_seen_subcommand_from migrate copy help" -l home -d 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and not __fish_seen_subcommand_from migrate copy help" -l now -d 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and not __fish_seen_subcommand_from migrate copy help" -l store -d 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and not __fish_seen_subcommand_from migrate copy help" -l store-password-file -d 'File holding the store\'s password (one line; private to you)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and not __fish_seen_subcommand_from migrate copy help" -l store-ca -d 'PEM file of CA certificates to trust for the store\'s TLS, beside the system\'s' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and not __fish_seen_subcommand_from migrate copy help" -l store-prefix -d 'Prefix of every Redis key, so several environments can share one server' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and not __fish_seen_subcommand_from migrate copy help" -l store-timeout -d 'Bound on connecting to a store server and on each operation: 100ms to 10m' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and not __fish_seen_subcommand_from migrate copy help" -l keyring-secret-file -d 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and not __fish_seen_subcommand_from migrate copy help" -l color -d 'When to use colour; NO_COLOR is respected' -r -f -a "auto\t''
always\t''
never\t''"
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and not __fish_seen_subcommand_from migrate copy help" -l keyring-in-store -d 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and not __fish_seen_subcommand_from migrate copy help" -s q -l quiet -d 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and not __fish_seen_subcommand_from migrate copy help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and not __fish_seen_subcommand_from migrate copy help" -s V -l version -d 'Print version'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and not __fish_seen_subcommand_from migrate copy help" -f -a "migrate" -d 'Create or upgrade the schema of the store --store names'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and not __fish_seen_subcommand_from migrate copy help" -f -a "copy" -d 'Copy every session, subject and event from one store into an empty one'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and not __fish_seen_subcommand_from migrate copy help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from migrate" -l home -d 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from migrate" -l now -d 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from migrate" -l store -d 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from migrate" -l store-password-file -d 'File holding the store\'s password (one line; private to you)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from migrate" -l store-ca -d 'PEM file of CA certificates to trust for the store\'s TLS, beside the system\'s' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from migrate" -l store-prefix -d 'Prefix of every Redis key, so several environments can share one server' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from migrate" -l store-timeout -d 'Bound on connecting to a store server and on each operation: 100ms to 10m' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from migrate" -l keyring-secret-file -d 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from migrate" -l color -d 'When to use colour; NO_COLOR is respected' -r -f -a "auto\t''
always\t''
never\t''"
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from migrate" -l keyring-in-store -d 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from migrate" -s q -l quiet -d 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from migrate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from migrate" -s V -l version -d 'Print version'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from copy" -l from -d 'The store to copy from [env: JWTCTL_STORE_FROM]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from copy" -l to -d 'The store to copy into [env: JWTCTL_STORE_TO]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from copy" -l from-password-file -d 'File holding the source store\'s password' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from copy" -l to-password-file -d 'File holding the target store\'s password' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from copy" -l home -d 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from copy" -l now -d 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from copy" -l store -d 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from copy" -l store-password-file -d 'File holding the store\'s password (one line; private to you)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from copy" -l store-ca -d 'PEM file of CA certificates to trust for the store\'s TLS, beside the system\'s' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from copy" -l store-prefix -d 'Prefix of every Redis key, so several environments can share one server' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from copy" -l store-timeout -d 'Bound on connecting to a store server and on each operation: 100ms to 10m' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from copy" -l keyring-secret-file -d 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from copy" -l color -d 'When to use colour; NO_COLOR is respected' -r -f -a "auto\t''
always\t''
never\t''"
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from copy" -l json -d 'Print the counts as one JSON object on stdout'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from copy" -l keyring-in-store -d 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from copy" -s q -l quiet -d 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from copy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from copy" -s V -l version -d 'Print version'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "migrate" -d 'Create or upgrade the schema of the store --store names'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "copy" -d 'Copy every session, subject and event from one store into an empty one'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand serve" -l listen -d 'Address and port to listen on; port 0 picks a free one' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand serve" -l issuer -d 'Issuer URL: iss of every token and of the discovery documents [default: the base URL]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand serve" -l config -d 'Clients, users, lifetimes and rate limits (TOML; see the README)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand serve" -l tls-cert -d 'Serve HTTPS with this certificate chain (PEM); needs --tls-key' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand serve" -l tls-key -d 'The private key of --tls-cert (PEM)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand serve" -l home -d 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand serve" -l now -d 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand serve" -l store -d 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand serve" -l store-password-file -d 'File holding the store\'s password (one line; private to you)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand serve" -l store-ca -d 'PEM file of CA certificates to trust for the store\'s TLS, beside the system\'s' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand serve" -l store-prefix -d 'Prefix of every Redis key, so several environments can share one server' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand serve" -l store-timeout -d 'Bound on connecting to a store server and on each operation: 100ms to 10m' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand serve" -l keyring-secret-file -d 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand serve" -l color -d 'When to use colour; NO_COLOR is respected' -r -f -a "auto\t''
always\t''
never\t''"
complete -c jwtctl -n "__fish_jwtctl_using_subcommand serve" -l json-log -d 'Log one JSON object per request instead of a text line'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand serve" -l refresh-cookie -d 'Send the refresh token as an HttpOnly; Secure; SameSite=Strict; Path=/token cookie instead of in the JSON body, and read it back from there on /token'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand serve" -l keyring-in-store -d 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand serve" -s q -l quiet -d 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand serve" -s V -l version -d 'Print version'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand completions" -l home -d 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand completions" -l now -d 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand completions" -l store -d 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand completions" -l store-password-file -d 'File holding the store\'s password (one line; private to you)' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand completions" -l store-ca -d 'PEM file of CA certificates to trust for the store\'s TLS, beside the system\'s' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand completions" -l store-prefix -d 'Prefix of every Redis key, so several environments can share one server' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand completions" -l store-timeout -d 'Bound on connecting to a store server and on each operation: 100ms to 10m' -r
complete -c jwtctl -n "__fish_jwtctl_using_subcommand completions" -l keyring-secret-file -d 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself' -r -F
complete -c jwtctl -n "__fish_jwtctl_using_subcommand completions" -l color -d 'When to use colour; NO_COLOR is respected' -r -f -a "auto\t''
always\t''
never\t''"
complete -c jwtctl -n "__fish_jwtctl_using_subcommand completions" -l keyring-in-store -d 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand completions" -s q -l quiet -d 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand help; and not __fish_seen_subcommand_from keygen sign decode verify jwks keys convert login refresh logout sessions subject store serve completions help" -f -a "keygen" -d 'Create a signing key (into the keyring, or as files with --out)'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand help; and not __fish_seen_subcommand_from keygen sign decode verify jwks keys convert login refresh logout sessions subject store serve completions help" -f -a "sign" -d 'Mint a token from flags, JSON or stdin'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand help; and not __fish_seen_subcommand_from keygen sign decode verify jwks keys convert login refresh logout sessions subject store serve completions help" -f -a "decode" -d 'Show a token\'s header and claims without verifying anything'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand help; and not __fish_seen_subcommand_from keygen sign decode verify jwks keys convert login refresh logout sessions subject store serve completions help" -f -a "verify" -d 'Check a token\'s signature and claims; print the claims on success'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand help; and not __fish_seen_subcommand_from keygen sign decode verify jwks keys convert login refresh logout sessions subject store serve completions help" -f -a "jwks" -d 'Print a public JWKS: the keyring\'s, a key file\'s, or an issuer\'s'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand help; and not __fish_seen_subcommand_from keygen sign decode verify jwks keys convert login refresh logout sessions subject store serve completions help" -f -a "keys" -d 'List, retire and activate the keyring\'s keys; push them into a shared store'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand help; and not __fish_seen_subcommand_from keygen sign decode verify jwks keys convert login refresh logout sessions subject store serve completions help" -f -a "convert" -d 'Convert a key between PEM, JWK and JWKS'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand help; and not __fish_seen_subcommand_from keygen sign decode verify jwks keys convert login refresh logout sessions subject store serve completions help" -f -a "login" -d 'Open a session: print an access token and a refresh token (OAuth 2.0 token response)'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand help; and not __fish_seen_subcommand_from keygen sign decode verify jwks keys convert login refresh logout sessions subject store serve completions help" -f -a "refresh" -d 'Trade a refresh token for a new pair, rotating it; detect reuse'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand help; and not __fish_seen_subcommand_from keygen sign decode verify jwks keys convert login refresh logout sessions subject store serve completions help" -f -a "logout" -d 'End a session (revoke its token family), or every session of a subject'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand help; and not __fish_seen_subcommand_from keygen sign decode verify jwks keys convert login refresh logout sessions subject store serve completions help" -f -a "sessions" -d 'List sessions, show one session\'s token chain, or print the event log'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand help; and not __fish_seen_subcommand_from keygen sign decode verify jwks keys convert login refresh logout sessions subject store serve completions help" -f -a "subject" -d 'Disable or re-enable a subject (a deleted or banned user)'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand help; and not __fish_seen_subcommand_from keygen sign decode verify jwks keys convert login refresh logout sessions subject store serve completions help" -f -a "store" -d 'Set up a refresh store, or copy every session from one store to another'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand help; and not __fish_seen_subcommand_from keygen sign decode verify jwks keys convert login refresh logout sessions subject store serve completions help" -f -a "serve" -d 'Run a strict local OAuth 2.0 / OpenID Connect auth server on the keyring and refresh store'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand help; and not __fish_seen_subcommand_from keygen sign decode verify jwks keys convert login refresh logout sessions subject store serve completions help" -f -a "completions" -d 'Print the shell completion script for SHELL'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand help; and not __fish_seen_subcommand_from keygen sign decode verify jwks keys convert login refresh logout sessions subject store serve completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "list" -d 'List the keys: kid, alg, created, status'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "retire" -d 'Retire a key: tokens it signed stop verifying, and it never signs again'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "activate" -d 'Make a key the active signing key'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "push" -d 'Copy the home\'s keyring into the refresh store, sealed with the keyring secret'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand help; and __fish_seen_subcommand_from subject" -f -a "disable" -d 'Disable a subject: login and refresh fail with exit 8'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand help; and __fish_seen_subcommand_from subject" -f -a "enable" -d 'Re-enable a disabled subject'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand help; and __fish_seen_subcommand_from store" -f -a "migrate" -d 'Create or upgrade the schema of the store --store names'
complete -c jwtctl -n "__fish_jwtctl_using_subcommand help; and __fish_seen_subcommand_from store" -f -a "copy" -d 'Copy every session, subject and event from one store into an empty one'
