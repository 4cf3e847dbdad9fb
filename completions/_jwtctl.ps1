
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'jwtctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'jwtctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'jwtctl' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]')
            [CompletionResult]::new('--store-password-file', '--store-password-file', [CompletionResultType]::ParameterName, 'File holding the store''s password (one line; private to you)')
            [CompletionResult]::new('--store-ca', '--store-ca', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s')
            [CompletionResult]::new('--store-prefix', '--store-prefix', [CompletionResultType]::ParameterName, 'Prefix of every Redis key, so several environments can share one server')
            [CompletionResult]::new('--store-timeout', '--store-timeout', [CompletionResultType]::ParameterName, 'Bound on connecting to a store server and on each operation: 100ms to 10m')
            [CompletionResult]::new('--keyring-secret-file', '--keyring-secret-file', [CompletionResultType]::ParameterName, 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour; NO_COLOR is respected')
            [CompletionResult]::new('--keyring-in-store', '--keyring-in-store', [CompletionResultType]::ParameterName, 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Create a signing key (into the keyring, or as files with --out)')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Mint a token from flags, JSON or stdin')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Show a token''s header and claims without verifying anything')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a token''s signature and claims; print the claims on success')
            [CompletionResult]::new('jwks', 'jwks', [CompletionResultType]::ParameterValue, 'Print a public JWKS: the keyring''s, a key file''s, or an issuer''s')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'List, retire and activate the keyring''s keys; push them into a shared store')
            [CompletionResult]::new('convert', 'convert', [CompletionResultType]::ParameterValue, 'Convert a key between PEM, JWK and JWKS')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Open a session: print an access token and a refresh token (OAuth 2.0 token response)')
            [CompletionResult]::new('refresh', 'refresh', [CompletionResultType]::ParameterValue, 'Trade a refresh token for a new pair, rotating it; detect reuse')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'End a session (revoke its token family), or every session of a subject')
            [CompletionResult]::new('sessions', 'sessions', [CompletionResultType]::ParameterValue, 'List sessions, show one session''s token chain, or print the event log')
            [CompletionResult]::new('subject', 'subject', [CompletionResultType]::ParameterValue, 'Disable or re-enable a subject (a deleted or banned user)')
            [CompletionResult]::new('store', 'store', [CompletionResultType]::ParameterValue, 'Set up a refresh store, or copy every session from one store to another')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run a strict local OAuth 2.0 / OpenID Connect auth server on the keyring and refresh store')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the shell completion script for SHELL')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'jwtctl;keygen' {
            [CompletionResult]::new('--alg', '--alg', [CompletionResultType]::ParameterName, 'The key''s algorithm by name, instead of a flag above (e.g. RS384, PS512, EdDSA)')
            [CompletionResult]::new('--bits', '--bits', [CompletionResultType]::ParameterName, 'RSA modulus size: 2048, 3072 or 4096 [default: 2048]')
            [CompletionResult]::new('--kid', '--kid', [CompletionResultType]::ParameterName, 'The key''s kid [default: its RFC 7638 thumbprint], at most 256 characters; a PEM holds no kid, so with --out sign with `--kid KID --key FILE`')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write files into DIR instead of the keyring')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]')
            [CompletionResult]::new('--store-password-file', '--store-password-file', [CompletionResultType]::ParameterName, 'File holding the store''s password (one line; private to you)')
            [CompletionResult]::new('--store-ca', '--store-ca', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s')
            [CompletionResult]::new('--store-prefix', '--store-prefix', [CompletionResultType]::ParameterName, 'Prefix of every Redis key, so several environments can share one server')
            [CompletionResult]::new('--store-timeout', '--store-timeout', [CompletionResultType]::ParameterName, 'Bound on connecting to a store server and on each operation: 100ms to 10m')
            [CompletionResult]::new('--keyring-secret-file', '--keyring-secret-file', [CompletionResultType]::ParameterName, 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour; NO_COLOR is respected')
            [CompletionResult]::new('--rs256', '--rs256', [CompletionResultType]::ParameterName, 'RSA key for RS256 (2048 bits unless --bits)')
            [CompletionResult]::new('--ps256', '--ps256', [CompletionResultType]::ParameterName, 'RSA key pinned to PS256 (RSASSA-PSS; 2048 bits unless --bits)')
            [CompletionResult]::new('--es256', '--es256', [CompletionResultType]::ParameterName, 'EC P-256 key for ES256')
            [CompletionResult]::new('--es384', '--es384', [CompletionResultType]::ParameterName, 'EC P-384 key for ES384')
            [CompletionResult]::new('--ed25519', '--ed25519', [CompletionResultType]::ParameterName, 'Ed25519 key for EdDSA')
            [CompletionResult]::new('--hs256', '--hs256', [CompletionResultType]::ParameterName, 'Random 32-byte HMAC secret for HS256')
            [CompletionResult]::new('--hs384', '--hs384', [CompletionResultType]::ParameterName, 'Random 48-byte HMAC secret for HS384')
            [CompletionResult]::new('--hs512', '--hs512', [CompletionResultType]::ParameterName, 'Random 64-byte HMAC secret for HS512')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace existing files in --out DIR')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"kid","alg","files"} as JSON on stdout')
            [CompletionResult]::new('--keyring-in-store', '--keyring-in-store', [CompletionResultType]::ParameterName, 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtctl;sign' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Key file: PEM (PKCS#8, PKCS#1, SEC1, SPKI), DER, JWK or JWKS, recognised by content')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'File holding an HMAC secret (''-'' for stdin); one trailing newline is removed')
            [CompletionResult]::new('--secret-env', '--secret-env', [CompletionResultType]::ParameterName, 'Environment variable holding an HMAC secret')
            [CompletionResult]::new('--alg', '--alg', [CompletionResultType]::ParameterName, 'Algorithm; must fit the key [default: the key''s own]')
            [CompletionResult]::new('--sub', '--sub', [CompletionResultType]::ParameterName, 'Subject (always a string: --sub 1 is "1")')
            [CompletionResult]::new('--iss', '--iss', [CompletionResultType]::ParameterName, 'Issuer')
            [CompletionResult]::new('--aud', '--aud', [CompletionResultType]::ParameterName, 'Audience (repeatable; more than one makes an array)')
            [CompletionResult]::new('--jti', '--jti', [CompletionResultType]::ParameterName, 'Token id; `auto` gives each token a fresh random one (128 bits, base64url)')
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'Lifetime: exp = now + TTL [default: 15m]')
            [CompletionResult]::new('--exp', '--exp', [CompletionResultType]::ParameterName, 'Expiry: +15m, -1m, @UNIX or RFC 3339')
            [CompletionResult]::new('--nbf', '--nbf', [CompletionResultType]::ParameterName, 'Not before: +15m, -1m, @UNIX or RFC 3339')
            [CompletionResult]::new('--claim', '--claim', [CompletionResultType]::ParameterName, 'Claim k=v (string) or k:=JSON (typed), repeatable')
            [CompletionResult]::new('--claims', '--claims', [CompletionResultType]::ParameterName, 'JSON object of claims from FILE or ''-'' (stdin)')
            [CompletionResult]::new('--kid', '--kid', [CompletionResultType]::ParameterName, 'Sign with this key of the keyring or JWKS; with a single key file, the header kid [default: the key''s kid]')
            [CompletionResult]::new('--typ', '--typ', [CompletionResultType]::ParameterName, 'Header typ [default: JWT]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Header parameter k=v (a string), repeatable; typ and kid here replace the defaults; alg is refused (the key decides it)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'With --batch: read claims lines from FILE instead of stdin (repeatable)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Mint N tokens from the flags alone, reading no input; {n} in a flag value is 1..N')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]')
            [CompletionResult]::new('--store-password-file', '--store-password-file', [CompletionResultType]::ParameterName, 'File holding the store''s password (one line; private to you)')
            [CompletionResult]::new('--store-ca', '--store-ca', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s')
            [CompletionResult]::new('--store-prefix', '--store-prefix', [CompletionResultType]::ParameterName, 'Prefix of every Redis key, so several environments can share one server')
            [CompletionResult]::new('--store-timeout', '--store-timeout', [CompletionResultType]::ParameterName, 'Bound on connecting to a store server and on each operation: 100ms to 10m')
            [CompletionResult]::new('--keyring-secret-file', '--keyring-secret-file', [CompletionResultType]::ParameterName, 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour; NO_COLOR is respected')
            [CompletionResult]::new('--secret-prompt', '--secret-prompt', [CompletionResultType]::ParameterName, 'Prompt for an HMAC secret on the terminal, without echo')
            [CompletionResult]::new('--no-iat', '--no-iat', [CompletionResultType]::ParameterName, 'Leave out iat')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Mint one token per line of JSON claims (stdin, or --file), on every core, in input order')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'With --batch or --count: one JSON line per token, {"line","token"} (or {"line","code","reason"} for a line that failed)')
            [CompletionResult]::new('--keyring-in-store', '--keyring-in-store', [CompletionResultType]::ParameterName, 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtctl;decode' {
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'With --batch: read tokens from FILE instead of stdin (repeatable)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]')
            [CompletionResult]::new('--store-password-file', '--store-password-file', [CompletionResultType]::ParameterName, 'File holding the store''s password (one line; private to you)')
            [CompletionResult]::new('--store-ca', '--store-ca', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s')
            [CompletionResult]::new('--store-prefix', '--store-prefix', [CompletionResultType]::ParameterName, 'Prefix of every Redis key, so several environments can share one server')
            [CompletionResult]::new('--store-timeout', '--store-timeout', [CompletionResultType]::ParameterName, 'Bound on connecting to a store server and on each operation: 100ms to 10m')
            [CompletionResult]::new('--keyring-secret-file', '--keyring-secret-file', [CompletionResultType]::ParameterName, 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour; NO_COLOR is respected')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"header","claims","signature"} as JSON')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Decode many tokens, one per line (stdin, or --file), as JSON lines')
            [CompletionResult]::new('--keyring-in-store', '--keyring-in-store', [CompletionResultType]::ParameterName, 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtctl;verify' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Key file: PEM (PKCS#8, PKCS#1, SEC1, SPKI), DER, JWK or JWKS, recognised by content')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'File holding an HMAC secret (''-'' for stdin); one trailing newline is removed')
            [CompletionResult]::new('--secret-env', '--secret-env', [CompletionResultType]::ParameterName, 'Environment variable holding an HMAC secret')
            [CompletionResult]::new('--jwks-url', '--jwks-url', [CompletionResultType]::ParameterName, 'Fetch the key set from this JWKS URL (https; plain http only from loopback), cached in the home; never a URL from the token')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'Find the issuer''s keys by OpenID Connect discovery (URL/.well-known/openid-configuration, whose issuer must be URL exactly); verify then also requires the token''s iss to be URL')
            [CompletionResult]::new('--ca', '--ca', [CompletionResultType]::ParameterName, 'Trust only the CA certificates in this PEM file for https, instead of the system''s')
            [CompletionResult]::new('--fetch-timeout', '--fetch-timeout', [CompletionResultType]::ParameterName, 'Time limit for fetching each document, connecting (at most 5s of it) and redirects included: 1s to 5m [default: 10s]')
            [CompletionResult]::new('--alg', '--alg', [CompletionResultType]::ParameterName, 'Allowed algorithm (repeatable) [default: what the key can serve]')
            [CompletionResult]::new('--leeway', '--leeway', [CompletionResultType]::ParameterName, 'Clock skew allowed on exp, nbf and iat: seconds or a duration, at most 5m')
            [CompletionResult]::new('--iss', '--iss', [CompletionResultType]::ParameterName, 'Accepted issuer (repeatable); makes iss required')
            [CompletionResult]::new('--aud', '--aud', [CompletionResultType]::ParameterName, 'Accepted audience (repeatable, any match); makes aud required')
            [CompletionResult]::new('--sub', '--sub', [CompletionResultType]::ParameterName, 'Required subject')
            [CompletionResult]::new('--typ', '--typ', [CompletionResultType]::ParameterName, 'Required typ, e.g. at+jwt (refresh+jwt tokens are refused unless asked for)')
            [CompletionResult]::new('--require', '--require', [CompletionResultType]::ParameterName, 'Claim that must be present (repeatable)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'With --batch: read tokens from FILE instead of stdin (repeatable)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]')
            [CompletionResult]::new('--store-password-file', '--store-password-file', [CompletionResultType]::ParameterName, 'File holding the store''s password (one line; private to you)')
            [CompletionResult]::new('--store-ca', '--store-ca', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s')
            [CompletionResult]::new('--store-prefix', '--store-prefix', [CompletionResultType]::ParameterName, 'Prefix of every Redis key, so several environments can share one server')
            [CompletionResult]::new('--store-timeout', '--store-timeout', [CompletionResultType]::ParameterName, 'Bound on connecting to a store server and on each operation: 100ms to 10m')
            [CompletionResult]::new('--keyring-secret-file', '--keyring-secret-file', [CompletionResultType]::ParameterName, 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour; NO_COLOR is respected')
            [CompletionResult]::new('--secret-prompt', '--secret-prompt', [CompletionResultType]::ParameterName, 'Prompt for an HMAC secret on the terminal, without echo')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use only the cached key set, whatever its age; never connect')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"valid","header","claims"} (or {"valid":false,"code","reason"}) as JSON')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Verify many tokens, one per line (stdin, or --file), on every core: one JSON line each ({"line","valid","code","claims"|"reason"}), in input order. Exit 0 only when every token passed, else the status of the first that failed')
            [CompletionResult]::new('--keyring-in-store', '--keyring-in-store', [CompletionResultType]::ParameterName, 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtctl;jwks' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Key file to convert instead of the keyring: PEM, DER, JWK or JWKS (''-'' for stdin)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Print the key set fetched from this JWKS URL (https; plain http only from loopback), through the cache')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'Print the key set of this issuer, found by OpenID Connect discovery')
            [CompletionResult]::new('--ca', '--ca', [CompletionResultType]::ParameterName, 'Trust only the CA certificates in this PEM file for https, instead of the system''s')
            [CompletionResult]::new('--fetch-timeout', '--fetch-timeout', [CompletionResultType]::ParameterName, 'Time limit for fetching each document, connecting (at most 5s of it) and redirects included: 1s to 5m [default: 10s]')
            [CompletionResult]::new('--kid', '--kid', [CompletionResultType]::ParameterName, 'The kid to give the key [default: the JWK''s own, else the RFC 7638 thumbprint]')
            [CompletionResult]::new('--alg', '--alg', [CompletionResultType]::ParameterName, 'Pin the key to this algorithm (written as its alg)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]')
            [CompletionResult]::new('--store-password-file', '--store-password-file', [CompletionResultType]::ParameterName, 'File holding the store''s password (one line; private to you)')
            [CompletionResult]::new('--store-ca', '--store-ca', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s')
            [CompletionResult]::new('--store-prefix', '--store-prefix', [CompletionResultType]::ParameterName, 'Prefix of every Redis key, so several environments can share one server')
            [CompletionResult]::new('--store-timeout', '--store-timeout', [CompletionResultType]::ParameterName, 'Bound on connecting to a store server and on each operation: 100ms to 10m')
            [CompletionResult]::new('--keyring-secret-file', '--keyring-secret-file', [CompletionResultType]::ParameterName, 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour; NO_COLOR is respected')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'With --url or --issuer: fetch the key set now, whatever the cache holds')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use only the cached key set, whatever its age; never connect')
            [CompletionResult]::new('--keyring-in-store', '--keyring-in-store', [CompletionResultType]::ParameterName, 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtctl;keys' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]')
            [CompletionResult]::new('--store-password-file', '--store-password-file', [CompletionResultType]::ParameterName, 'File holding the store''s password (one line; private to you)')
            [CompletionResult]::new('--store-ca', '--store-ca', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s')
            [CompletionResult]::new('--store-prefix', '--store-prefix', [CompletionResultType]::ParameterName, 'Prefix of every Redis key, so several environments can share one server')
            [CompletionResult]::new('--store-timeout', '--store-timeout', [CompletionResultType]::ParameterName, 'Bound on connecting to a store server and on each operation: 100ms to 10m')
            [CompletionResult]::new('--keyring-secret-file', '--keyring-secret-file', [CompletionResultType]::ParameterName, 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour; NO_COLOR is respected')
            [CompletionResult]::new('--keyring-in-store', '--keyring-in-store', [CompletionResultType]::ParameterName, 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the keys: kid, alg, created, status')
            [CompletionResult]::new('retire', 'retire', [CompletionResultType]::ParameterValue, 'Retire a key: tokens it signed stop verifying, and it never signs again')
            [CompletionResult]::new('activate', 'activate', [CompletionResultType]::ParameterValue, 'Make a key the active signing key')
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Copy the home''s keyring into the refresh store, sealed with the keyring secret')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'jwtctl;keys;list' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]')
            [CompletionResult]::new('--store-password-file', '--store-password-file', [CompletionResultType]::ParameterName, 'File holding the store''s password (one line; private to you)')
            [CompletionResult]::new('--store-ca', '--store-ca', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s')
            [CompletionResult]::new('--store-prefix', '--store-prefix', [CompletionResultType]::ParameterName, 'Prefix of every Redis key, so several environments can share one server')
            [CompletionResult]::new('--store-timeout', '--store-timeout', [CompletionResultType]::ParameterName, 'Bound on connecting to a store server and on each operation: 100ms to 10m')
            [CompletionResult]::new('--keyring-secret-file', '--keyring-secret-file', [CompletionResultType]::ParameterName, 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour; NO_COLOR is respected')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON object per key per line: {"kid","alg","created","active","retired"}, times in RFC 3339')
            [CompletionResult]::new('--keyring-in-store', '--keyring-in-store', [CompletionResultType]::ParameterName, 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtctl;keys;retire' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]')
            [CompletionResult]::new('--store-password-file', '--store-password-file', [CompletionResultType]::ParameterName, 'File holding the store''s password (one line; private to you)')
            [CompletionResult]::new('--store-ca', '--store-ca', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s')
            [CompletionResult]::new('--store-prefix', '--store-prefix', [CompletionResultType]::ParameterName, 'Prefix of every Redis key, so several environments can share one server')
            [CompletionResult]::new('--store-timeout', '--store-timeout', [CompletionResultType]::ParameterName, 'Bound on connecting to a store server and on each operation: 100ms to 10m')
            [CompletionResult]::new('--keyring-secret-file', '--keyring-secret-file', [CompletionResultType]::ParameterName, 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour; NO_COLOR is respected')
            [CompletionResult]::new('--keyring-in-store', '--keyring-in-store', [CompletionResultType]::ParameterName, 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtctl;keys;activate' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]')
            [CompletionResult]::new('--store-password-file', '--store-password-file', [CompletionResultType]::ParameterName, 'File holding the store''s password (one line; private to you)')
            [CompletionResult]::new('--store-ca', '--store-ca', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s')
            [CompletionResult]::new('--store-prefix', '--store-prefix', [CompletionResultType]::ParameterName, 'Prefix of every Redis key, so several environments can share one server')
            [CompletionResult]::new('--store-timeout', '--store-timeout', [CompletionResultType]::ParameterName, 'Bound on connecting to a store server and on each operation: 100ms to 10m')
            [CompletionResult]::new('--keyring-secret-file', '--keyring-secret-file', [CompletionResultType]::ParameterName, 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour; NO_COLOR is respected')
            [CompletionResult]::new('--keyring-in-store', '--keyring-in-store', [CompletionResultType]::ParameterName, 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtctl;keys;push' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]')
            [CompletionResult]::new('--store-password-file', '--store-password-file', [CompletionResultType]::ParameterName, 'File holding the store''s password (one line; private to you)')
            [CompletionResult]::new('--store-ca', '--store-ca', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s')
            [CompletionResult]::new('--store-prefix', '--store-prefix', [CompletionResultType]::ParameterName, 'Prefix of every Redis key, so several environments can share one server')
            [CompletionResult]::new('--store-timeout', '--store-timeout', [CompletionResultType]::ParameterName, 'Bound on connecting to a store server and on each operation: 100ms to 10m')
            [CompletionResult]::new('--keyring-secret-file', '--keyring-secret-file', [CompletionResultType]::ParameterName, 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour; NO_COLOR is respected')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace a keyring already in the store')
            [CompletionResult]::new('--keyring-in-store', '--keyring-in-store', [CompletionResultType]::ParameterName, 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtctl;keys;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the keys: kid, alg, created, status')
            [CompletionResult]::new('retire', 'retire', [CompletionResultType]::ParameterValue, 'Retire a key: tokens it signed stop verifying, and it never signs again')
            [CompletionResult]::new('activate', 'activate', [CompletionResultType]::ParameterValue, 'Make a key the active signing key')
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Copy the home''s keyring into the refresh store, sealed with the keyring secret')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'jwtctl;keys;help;list' {
            break
        }
        'jwtctl;keys;help;retire' {
            break
        }
        'jwtctl;keys;help;activate' {
            break
        }
        'jwtctl;keys;help;push' {
            break
        }
        'jwtctl;keys;help;help' {
            break
        }
        'jwtctl;convert' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Key file: PEM, DER, JWK or JWKS (''-'' for stdin)')
            [CompletionResult]::new('--jwks-url', '--jwks-url', [CompletionResultType]::ParameterName, 'Fetch the key set from this JWKS URL (https; plain http only from loopback), cached in the home; never a URL from the token')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'Find the issuer''s keys by OpenID Connect discovery (URL/.well-known/openid-configuration, whose issuer must be URL exactly); verify then also requires the token''s iss to be URL')
            [CompletionResult]::new('--ca', '--ca', [CompletionResultType]::ParameterName, 'Trust only the CA certificates in this PEM file for https, instead of the system''s')
            [CompletionResult]::new('--fetch-timeout', '--fetch-timeout', [CompletionResultType]::ParameterName, 'Time limit for fetching each document, connecting (at most 5s of it) and redirects included: 1s to 5m [default: 10s]')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--kid', '--kid', [CompletionResultType]::ParameterName, 'Pick this key from a JWKS; for a single key, the kid to give it')
            [CompletionResult]::new('--alg', '--alg', [CompletionResultType]::ParameterName, 'Pin the key to this algorithm (written as the JWK''s alg)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write to FILE instead of stdout (mode 0600 with --private)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]')
            [CompletionResult]::new('--store-password-file', '--store-password-file', [CompletionResultType]::ParameterName, 'File holding the store''s password (one line; private to you)')
            [CompletionResult]::new('--store-ca', '--store-ca', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s')
            [CompletionResult]::new('--store-prefix', '--store-prefix', [CompletionResultType]::ParameterName, 'Prefix of every Redis key, so several environments can share one server')
            [CompletionResult]::new('--store-timeout', '--store-timeout', [CompletionResultType]::ParameterName, 'Bound on connecting to a store server and on each operation: 100ms to 10m')
            [CompletionResult]::new('--keyring-secret-file', '--keyring-secret-file', [CompletionResultType]::ParameterName, 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour; NO_COLOR is respected')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use only the cached key set, whatever its age; never connect')
            [CompletionResult]::new('--private', '--private', [CompletionResultType]::ParameterName, 'Include the private key (PKCS#8 PEM, or the JWK''s private members)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing --out FILE')
            [CompletionResult]::new('--keyring-in-store', '--keyring-in-store', [CompletionResultType]::ParameterName, 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtctl;login' {
            [CompletionResult]::new('--sub', '--sub', [CompletionResultType]::ParameterName, 'Subject the session is for (1 to 256 bytes)')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'Scope granted (space-separated, at most 1024 bytes); rotation never widens it')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'Client the tokens are issued to (1 to 256 bytes); a refresh by another client revokes the session')
            [CompletionResult]::new('--iss', '--iss', [CompletionResultType]::ParameterName, 'Issuer of the access tokens (at most 1024 bytes)')
            [CompletionResult]::new('--aud', '--aud', [CompletionResultType]::ParameterName, 'Audience of the access tokens (at most 1024 bytes; verify them with --aud)')
            [CompletionResult]::new('--access-ttl', '--access-ttl', [CompletionResultType]::ParameterName, 'Access-token lifetime')
            [CompletionResult]::new('--refresh-ttl', '--refresh-ttl', [CompletionResultType]::ParameterName, 'Refresh-token lifetime, at least --access-ttl (each rotation issues a new one, capped by --max-lifetime)')
            [CompletionResult]::new('--max-lifetime', '--max-lifetime', [CompletionResultType]::ParameterName, 'Absolute lifetime of the session: no rotation extends it')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]')
            [CompletionResult]::new('--store-password-file', '--store-password-file', [CompletionResultType]::ParameterName, 'File holding the store''s password (one line; private to you)')
            [CompletionResult]::new('--store-ca', '--store-ca', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s')
            [CompletionResult]::new('--store-prefix', '--store-prefix', [CompletionResultType]::ParameterName, 'Prefix of every Redis key, so several environments can share one server')
            [CompletionResult]::new('--store-timeout', '--store-timeout', [CompletionResultType]::ParameterName, 'Bound on connecting to a store server and on each operation: 100ms to 10m')
            [CompletionResult]::new('--keyring-secret-file', '--keyring-secret-file', [CompletionResultType]::ParameterName, 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour; NO_COLOR is respected')
            [CompletionResult]::new('--keyring-in-store', '--keyring-in-store', [CompletionResultType]::ParameterName, 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtctl;refresh' {
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'Client presenting the token; another than it was issued to is refused (exit 7) and revokes the session')
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'Honour the immediate predecessor for this long after its rotation (a fresh pair, no revocation); older generations never get grace [default: 0, off]')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]')
            [CompletionResult]::new('--store-password-file', '--store-password-file', [CompletionResultType]::ParameterName, 'File holding the store''s password (one line; private to you)')
            [CompletionResult]::new('--store-ca', '--store-ca', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s')
            [CompletionResult]::new('--store-prefix', '--store-prefix', [CompletionResultType]::ParameterName, 'Prefix of every Redis key, so several environments can share one server')
            [CompletionResult]::new('--store-timeout', '--store-timeout', [CompletionResultType]::ParameterName, 'Bound on connecting to a store server and on each operation: 100ms to 10m')
            [CompletionResult]::new('--keyring-secret-file', '--keyring-secret-file', [CompletionResultType]::ParameterName, 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour; NO_COLOR is respected')
            [CompletionResult]::new('--keyring-in-store', '--keyring-in-store', [CompletionResultType]::ParameterName, 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtctl;logout' {
            [CompletionResult]::new('--sub', '--sub', [CompletionResultType]::ParameterName, 'Subject whose sessions --all revokes')
            [CompletionResult]::new('--family', '--family', [CompletionResultType]::ParameterName, 'Revoke the session with this id (or unique id prefix), as an administrator')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]')
            [CompletionResult]::new('--store-password-file', '--store-password-file', [CompletionResultType]::ParameterName, 'File holding the store''s password (one line; private to you)')
            [CompletionResult]::new('--store-ca', '--store-ca', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s')
            [CompletionResult]::new('--store-prefix', '--store-prefix', [CompletionResultType]::ParameterName, 'Prefix of every Redis key, so several environments can share one server')
            [CompletionResult]::new('--store-timeout', '--store-timeout', [CompletionResultType]::ParameterName, 'Bound on connecting to a store server and on each operation: 100ms to 10m')
            [CompletionResult]::new('--keyring-secret-file', '--keyring-secret-file', [CompletionResultType]::ParameterName, 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour; NO_COLOR is respected')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Revoke every session of --sub')
            [CompletionResult]::new('--keyring-in-store', '--keyring-in-store', [CompletionResultType]::ParameterName, 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtctl;sessions' {
            [CompletionResult]::new('--sub', '--sub', [CompletionResultType]::ParameterName, 'Only sessions (or events) of this subject')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]')
            [CompletionResult]::new('--store-password-file', '--store-password-file', [CompletionResultType]::ParameterName, 'File holding the store''s password (one line; private to you)')
            [CompletionResult]::new('--store-ca', '--store-ca', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s')
            [CompletionResult]::new('--store-prefix', '--store-prefix', [CompletionResultType]::ParameterName, 'Prefix of every Redis key, so several environments can share one server')
            [CompletionResult]::new('--store-timeout', '--store-timeout', [CompletionResultType]::ParameterName, 'Bound on connecting to a store server and on each operation: 100ms to 10m')
            [CompletionResult]::new('--keyring-secret-file', '--keyring-secret-file', [CompletionResultType]::ParameterName, 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour; NO_COLOR is respected')
            [CompletionResult]::new('--events', '--events', [CompletionResultType]::ParameterName, 'Print the event log (issued, rotated, reuse_detected, revoked, expired, ...) as JSON lines')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON object per line instead of a table')
            [CompletionResult]::new('--keyring-in-store', '--keyring-in-store', [CompletionResultType]::ParameterName, 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtctl;subject' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]')
            [CompletionResult]::new('--store-password-file', '--store-password-file', [CompletionResultType]::ParameterName, 'File holding the store''s password (one line; private to you)')
            [CompletionResult]::new('--store-ca', '--store-ca', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s')
            [CompletionResult]::new('--store-prefix', '--store-prefix', [CompletionResultType]::ParameterName, 'Prefix of every Redis key, so several environments can share one server')
            [CompletionResult]::new('--store-timeout', '--store-timeout', [CompletionResultType]::ParameterName, 'Bound on connecting to a store server and on each operation: 100ms to 10m')
            [CompletionResult]::new('--keyring-secret-file', '--keyring-secret-file', [CompletionResultType]::ParameterName, 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour; NO_COLOR is respected')
            [CompletionResult]::new('--keyring-in-store', '--keyring-in-store', [CompletionResultType]::ParameterName, 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable a subject: login and refresh fail with exit 8')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Re-enable a disabled subject')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'jwtctl;subject;disable' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why, for the event log and the error message (at most 1024 bytes)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]')
            [CompletionResult]::new('--store-password-file', '--store-password-file', [CompletionResultType]::ParameterName, 'File holding the store''s password (one line; private to you)')
            [CompletionResult]::new('--store-ca', '--store-ca', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s')
            [CompletionResult]::new('--store-prefix', '--store-prefix', [CompletionResultType]::ParameterName, 'Prefix of every Redis key, so several environments can share one server')
            [CompletionResult]::new('--store-timeout', '--store-timeout', [CompletionResultType]::ParameterName, 'Bound on connecting to a store server and on each operation: 100ms to 10m')
            [CompletionResult]::new('--keyring-secret-file', '--keyring-secret-file', [CompletionResultType]::ParameterName, 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour; NO_COLOR is respected')
            [CompletionResult]::new('--keyring-in-store', '--keyring-in-store', [CompletionResultType]::ParameterName, 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtctl;subject;enable' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]')
            [CompletionResult]::new('--store-password-file', '--store-password-file', [CompletionResultType]::ParameterName, 'File holding the store''s password (one line; private to you)')
            [CompletionResult]::new('--store-ca', '--store-ca', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s')
            [CompletionResult]::new('--store-prefix', '--store-prefix', [CompletionResultType]::ParameterName, 'Prefix of every Redis key, so several environments can share one server')
            [CompletionResult]::new('--store-timeout', '--store-timeout', [CompletionResultType]::ParameterName, 'Bound on connecting to a store server and on each operation: 100ms to 10m')
            [CompletionResult]::new('--keyring-secret-file', '--keyring-secret-file', [CompletionResultType]::ParameterName, 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour; NO_COLOR is respected')
            [CompletionResult]::new('--keyring-in-store', '--keyring-in-store', [CompletionResultType]::ParameterName, 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtctl;subject;help' {
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable a subject: login and refresh fail with exit 8')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Re-enable a disabled subject')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'jwtctl;subject;help;disable' {
            break
        }
        'jwtctl;subject;help;enable' {
            break
        }
        'jwtctl;subject;help;help' {
            break
        }
        'jwtctl;store' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]')
            [CompletionResult]::new('--store-password-file', '--store-password-file', [CompletionResultType]::ParameterName, 'File holding the store''s password (one line; private to you)')
            [CompletionResult]::new('--store-ca', '--store-ca', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s')
            [CompletionResult]::new('--store-prefix', '--store-prefix', [CompletionResultType]::ParameterName, 'Prefix of every Redis key, so several environments can share one server')
            [CompletionResult]::new('--store-timeout', '--store-timeout', [CompletionResultType]::ParameterName, 'Bound on connecting to a store server and on each operation: 100ms to 10m')
            [CompletionResult]::new('--keyring-secret-file', '--keyring-secret-file', [CompletionResultType]::ParameterName, 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour; NO_COLOR is respected')
            [CompletionResult]::new('--keyring-in-store', '--keyring-in-store', [CompletionResultType]::ParameterName, 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Create or upgrade the schema of the store --store names')
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy every session, subject and event from one store into an empty one')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'jwtctl;store;migrate' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]')
            [CompletionResult]::new('--store-password-file', '--store-password-file', [CompletionResultType]::ParameterName, 'File holding the store''s password (one line; private to you)')
            [CompletionResult]::new('--store-ca', '--store-ca', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s')
            [CompletionResult]::new('--store-prefix', '--store-prefix', [CompletionResultType]::ParameterName, 'Prefix of every Redis key, so several environments can share one server')
            [CompletionResult]::new('--store-timeout', '--store-timeout', [CompletionResultType]::ParameterName, 'Bound on connecting to a store server and on each operation: 100ms to 10m')
            [CompletionResult]::new('--keyring-secret-file', '--keyring-secret-file', [CompletionResultType]::ParameterName, 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour; NO_COLOR is respected')
            [CompletionResult]::new('--keyring-in-store', '--keyring-in-store', [CompletionResultType]::ParameterName, 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtctl;store;copy' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'The store to copy from [env: JWTCTL_STORE_FROM]')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The store to copy into [env: JWTCTL_STORE_TO]')
            [CompletionResult]::new('--from-password-file', '--from-password-file', [CompletionResultType]::ParameterName, 'File holding the source store''s password')
            [CompletionResult]::new('--to-password-file', '--to-password-file', [CompletionResultType]::ParameterName, 'File holding the target store''s password')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]')
            [CompletionResult]::new('--store-password-file', '--store-password-file', [CompletionResultType]::ParameterName, 'File holding the store''s password (one line; private to you)')
            [CompletionResult]::new('--store-ca', '--store-ca', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s')
            [CompletionResult]::new('--store-prefix', '--store-prefix', [CompletionResultType]::ParameterName, 'Prefix of every Redis key, so several environments can share one server')
            [CompletionResult]::new('--store-timeout', '--store-timeout', [CompletionResultType]::ParameterName, 'Bound on connecting to a store server and on each operation: 100ms to 10m')
            [CompletionResult]::new('--keyring-secret-file', '--keyring-secret-file', [CompletionResultType]::ParameterName, 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour; NO_COLOR is respected')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the counts as one JSON object on stdout')
            [CompletionResult]::new('--keyring-in-store', '--keyring-in-store', [CompletionResultType]::ParameterName, 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtctl;store;help' {
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Create or upgrade the schema of the store --store names')
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy every session, subject and event from one store into an empty one')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'jwtctl;store;help;migrate' {
            break
        }
        'jwtctl;store;help;copy' {
            break
        }
        'jwtctl;store;help;help' {
            break
        }
        'jwtctl;serve' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address and port to listen on; port 0 picks a free one')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'Issuer URL: iss of every token and of the discovery documents [default: the base URL]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Clients, users, lifetimes and rate limits (TOML; see the README)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Serve HTTPS with this certificate chain (PEM); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'The private key of --tls-cert (PEM)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]')
            [CompletionResult]::new('--store-password-file', '--store-password-file', [CompletionResultType]::ParameterName, 'File holding the store''s password (one line; private to you)')
            [CompletionResult]::new('--store-ca', '--store-ca', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s')
            [CompletionResult]::new('--store-prefix', '--store-prefix', [CompletionResultType]::ParameterName, 'Prefix of every Redis key, so several environments can share one server')
            [CompletionResult]::new('--store-timeout', '--store-timeout', [CompletionResultType]::ParameterName, 'Bound on connecting to a store server and on each operation: 100ms to 10m')
            [CompletionResult]::new('--keyring-secret-file', '--keyring-secret-file', [CompletionResultType]::ParameterName, 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour; NO_COLOR is respected')
            [CompletionResult]::new('--json-log', '--json-log', [CompletionResultType]::ParameterName, 'Log one JSON object per request instead of a text line')
            [CompletionResult]::new('--refresh-cookie', '--refresh-cookie', [CompletionResultType]::ParameterName, 'Send the refresh token as an HttpOnly; Secure; SameSite=Strict; Path=/token cookie instead of in the JSON body, and read it back from there on /token')
            [CompletionResult]::new('--keyring-in-store', '--keyring-in-store', [CompletionResultType]::ParameterName, 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtctl;completions' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the keyring and refresh store [default: $XDG_DATA_HOME/jwtctl]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Evaluate as of this time: Unix seconds or RFC 3339 (for scripts and tests)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Refresh store: sqlite:PATH, redis://HOST[:PORT][/DB], rediss://..., or postgres://USER@HOST[:PORT]/DB[?sslmode=...] [env: JWTCTL_STORE] [default: refresh.db in the home]')
            [CompletionResult]::new('--store-password-file', '--store-password-file', [CompletionResultType]::ParameterName, 'File holding the store''s password (one line; private to you)')
            [CompletionResult]::new('--store-ca', '--store-ca', [CompletionResultType]::ParameterName, 'PEM file of CA certificates to trust for the store''s TLS, beside the system''s')
            [CompletionResult]::new('--store-prefix', '--store-prefix', [CompletionResultType]::ParameterName, 'Prefix of every Redis key, so several environments can share one server')
            [CompletionResult]::new('--store-timeout', '--store-timeout', [CompletionResultType]::ParameterName, 'Bound on connecting to a store server and on each operation: 100ms to 10m')
            [CompletionResult]::new('--keyring-secret-file', '--keyring-secret-file', [CompletionResultType]::ParameterName, 'File holding the keyring secret (at least 32 bytes; private to you), for --keyring-in-store; or set JWTCTL_KEYRING_SECRET to the secret itself')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour; NO_COLOR is respected')
            [CompletionResult]::new('--keyring-in-store', '--keyring-in-store', [CompletionResultType]::ParameterName, 'Keep the keyring in the refresh store, sealed with the keyring secret, so machines that share the store share the signing keys')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr, not even errors (the exit status tells); verify prints no claims and --batch no result lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtctl;help' {
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Create a signing key (into the keyring, or as files with --out)')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Mint a token from flags, JSON or stdin')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Show a token''s header and claims without verifying anything')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a token''s signature and claims; print the claims on success')
            [CompletionResult]::new('jwks', 'jwks', [CompletionResultType]::ParameterValue, 'Print a public JWKS: the keyring''s, a key file''s, or an issuer''s')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'List, retire and activate the keyring''s keys; push them into a shared store')
            [CompletionResult]::new('convert', 'convert', [CompletionResultType]::ParameterValue, 'Convert a key between PEM, JWK and JWKS')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Open a session: print an access token and a refresh token (OAuth 2.0 token response)')
            [CompletionResult]::new('refresh', 'refresh', [CompletionResultType]::ParameterValue, 'Trade a refresh token for a new pair, rotating it; detect reuse')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'End a session (revoke its token family), or every session of a subject')
            [CompletionResult]::new('sessions', 'sessions', [CompletionResultType]::ParameterValue, 'List sessions, show one session''s token chain, or print the event log')
            [CompletionResult]::new('subject', 'subject', [CompletionResultType]::ParameterValue, 'Disable or re-enable a subject (a deleted or banned user)')
            [CompletionResult]::new('store', 'store', [CompletionResultType]::ParameterValue, 'Set up a refresh store, or copy every session from one store to another')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run a strict local OAuth 2.0 / OpenID Connect auth server on the keyring and refresh store')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the shell completion script for SHELL')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'jwtctl;help;keygen' {
            break
        }
        'jwtctl;help;sign' {
            break
        }
        'jwtctl;help;decode' {
            break
        }
        'jwtctl;help;verify' {
            break
        }
        'jwtctl;help;jwks' {
            break
        }
        'jwtctl;help;keys' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the keys: kid, alg, created, status')
            [CompletionResult]::new('retire', 'retire', [CompletionResultType]::ParameterValue, 'Retire a key: tokens it signed stop verifying, and it never signs again')
            [CompletionResult]::new('activate', 'activate', [CompletionResultType]::ParameterValue, 'Make a key the active signing key')
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Copy the home''s keyring into the refresh store, sealed with the keyring secret')
            break
        }
        'jwtctl;help;keys;list' {
            break
        }
        'jwtctl;help;keys;retire' {
            break
        }
        'jwtctl;help;keys;activate' {
            break
        }
        'jwtctl;help;keys;push' {
            break
        }
        'jwtctl;help;convert' {
            break
        }
        'jwtctl;help;login' {
            break
        }
        'jwtctl;help;refresh' {
            break
        }
        'jwtctl;help;logout' {
            break
        }
        'jwtctl;help;sessions' {
            break
        }
        'jwtctl;help;subject' {
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable a subject: login and refresh fail with exit 8')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Re-enable a disabled subject')
            break
        }
        'jwtctl;help;subject;disable' {
            break
        }
        'jwtctl;help;subject;enable' {
            break
        }
        'jwtctl;help;store' {
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Create or upgrade the schema of the store --store names')
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy every session, subject and event from one store into an empty one')
            break
        }
        'jwtctl;help;store;migrate' {
            break
        }
        'jwtctl;help;store;copy' {
            break
        }
        'jwtctl;help;serve' {
            break
        }
        'jwtctl;help;completions' {
            break
        }
        'jwtctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
