//! clap definitions of the key commands: `keygen`, `jwks`, `keys` and `convert`.

use super::{AlgParser, FetchArgs, RemoteKeys, RemoteSet};
use crate::alg::Alg;
use crate::keys::MAX_KID_CHARS;
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;

/// A kid given on the command line: 1 to 256 characters, not blank, no control characters (it
/// goes into token headers and tables).
fn parse_kid(s: &str) -> Result<String, String> {
    if s.trim().is_empty() {
        return Err("a kid cannot be empty".into());
    }
    let len = s.chars().count();
    if len > MAX_KID_CHARS {
        return Err(format!(
            "a kid has at most {MAX_KID_CHARS} characters; this one has {len}"
        ));
    }
    if s.chars().any(char::is_control) {
        return Err("a kid cannot hold control characters".into());
    }
    Ok(s.to_owned())
}

/// Create a signing key (into the keyring, or as files with --out)
///
/// By default the key is added to the keyring in the home directory and becomes the active
/// signing key; older keys stay, so tokens they signed keep verifying (key rotation). With
/// --out DIR it writes standalone files instead: the private key (PKCS#8 PEM, mode 0600), the
/// public key (PEM) and a public JWKS, all or none; an HMAC secret is one file (mode 0600)
/// holding exactly its 32/48/64 random bytes, so its length keeps its algorithm. The kid is the
/// RFC 7638 JWK thumbprint unless --kid is given; the key is pinned to its algorithm (the JWK's
/// alg). Existing files are never replaced without --force. The kid is printed before the key
/// is committed: if stdout cannot take it, nothing is added (exit 10). A keyring another
/// jwtctl is changing is waited for up to JWTCTL_STORE_WAIT (5s), with a note after a second
/// (muted by -q), then exit 10. With --keyring-in-store the key goes into the keyring in the
/// refresh store instead, for every machine sharing it (--json then lists no file).
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  jwtctl keygen --es256                    # P-256 key into the keyring, now active
  jwtctl keygen --ed25519 --kid 2026-11    # Ed25519 key with a kid of your choosing
  jwtctl keygen --rs256 --bits 4096 --out keys/
  jwtctl keygen --alg PS256 --out keys/    # same as --ps256
  jwtctl keygen --hs256 --out secrets/     # random 256-bit HMAC secret")]
#[command(group = clap::ArgGroup::new("kind").required(true).args([
    "rs256", "ps256", "es256", "es384", "ed25519", "hs256", "hs384", "hs512", "alg",
]))]
pub struct KeygenArgs {
    /// RSA key for RS256 (2048 bits unless --bits)
    #[arg(long)]
    pub rs256: bool,
    /// RSA key pinned to PS256 (RSASSA-PSS; 2048 bits unless --bits)
    #[arg(long)]
    pub ps256: bool,
    /// EC P-256 key for ES256
    #[arg(long)]
    pub es256: bool,
    /// EC P-384 key for ES384
    #[arg(long)]
    pub es384: bool,
    /// Ed25519 key for EdDSA
    #[arg(long)]
    pub ed25519: bool,
    /// Random 32-byte HMAC secret for HS256
    #[arg(long)]
    pub hs256: bool,
    /// Random 48-byte HMAC secret for HS384
    #[arg(long)]
    pub hs384: bool,
    /// Random 64-byte HMAC secret for HS512
    #[arg(long)]
    pub hs512: bool,
    /// The key's algorithm by name, instead of a flag above (e.g. RS384, PS512, EdDSA)
    #[arg(long, value_parser = AlgParser, value_name = "ALG")]
    pub alg: Option<Alg>,
    /// RSA modulus size: 2048, 3072 or 4096 [default: 2048]
    #[arg(long, value_name = "BITS")]
    pub bits: Option<usize>,
    /// The key's kid [default: its RFC 7638 thumbprint], at most 256 characters; a PEM holds no
    /// kid, so with --out sign with `--kid KID --key FILE`
    #[arg(long, value_name = "KID", allow_hyphen_values = true, value_parser = parse_kid)]
    pub kid: Option<String>,
    /// Write files into DIR instead of the keyring
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace existing files in --out DIR
    #[arg(long, requires = "out")]
    pub force: bool,
    /// Print {"kid","alg","files"} as JSON on stdout
    #[arg(long)]
    pub json: bool,
}

/// Print a public JWKS: the keyring's, a key file's, or an issuer's
///
/// With no --key: every keyring key that is not retired and not an HMAC secret, as the JWKS
/// services verify with. Never a private member. With --key FILE: that key (PEM, DER, JWK or
/// JWKS) as a public JWKS, the same as `jwtctl convert --to jwks`. With --url URL or --issuer
/// URL: the issuer's key set as fetched, through the cache that verify uses (--refresh fetches
/// it anew).
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  jwtctl jwks > jwks.json                  # publish the keyring's public keys
  jwtctl jwks --key public.pem             # a PEM as a JWKS, kid = its thumbprint
  jwtctl jwks --key rsa.pem --alg PS256 --kid 2026-11
  jwtctl jwks --issuer https://accounts.google.com --refresh")]
#[command(group(clap::ArgGroup::new("from").multiple(false).args(["key", "url", "issuer"])))]
pub struct JwksArgs {
    /// Key file to convert instead of the keyring: PEM, DER, JWK or JWKS ('-' for stdin)
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    #[command(flatten)]
    pub remote: RemoteSet,
    /// With --url or --issuer: fetch the key set now, whatever the cache holds
    #[arg(long, requires = "remote", conflicts_with = "offline")]
    pub refresh: bool,
    #[command(flatten)]
    pub fetch: FetchArgs,
    /// The kid to give the key [default: the JWK's own, else the RFC 7638 thumbprint]
    #[arg(long, value_name = "KID", requires = "key", allow_hyphen_values = true, value_parser = parse_kid)]
    pub kid: Option<String>,
    /// Pin the key to this algorithm (written as its alg)
    #[arg(long, value_parser = AlgParser, value_name = "ALG", requires = "key")]
    pub alg: Option<Alg>,
}

/// List, retire and activate the keyring's keys; push them into a shared store
///
/// A retired key stays in the keyring as history but never signs or verifies again; the active
/// key cannot be retired, so make another key active first (keygen or keys activate). With
/// --keyring-in-store these work on the keyring in the refresh store.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  jwtctl keys list
  jwtctl keys list --json | jq -r 'select(.active) | .kid'
  jwtctl keys retire Nxnry50cINKk7umSLkGxx9CNew6eGbxTbPd50gpcpzA
  jwtctl keys activate 2026-11
  JWTCTL_KEYRING_SECRET_FILE=kek jwtctl keys push --store redis://cache.internal")]
pub struct KeysArgs {
    #[command(subcommand)]
    pub command: KeysCommand,
}

/// `jwtctl keys` subcommands.
#[derive(Subcommand, Debug)]
pub enum KeysCommand {
    /// List the keys: kid, alg, created, status
    #[command(
        after_help = "Examples:\n  jwtctl keys list\n  jwtctl keys list --json | jq -r 'select(.active) | .kid'"
    )]
    List {
        /// One JSON object per key per line: {"kid","alg","created","active","retired"}, times
        /// in RFC 3339
        #[arg(long)]
        json: bool,
    },
    /// Retire a key: tokens it signed stop verifying, and it never signs again
    #[command(
        after_help = "Examples:\n  jwtctl keys retire Nxnry50cINKk7umSLkGxx9CNew6eGbxTbPd50gpcpzA"
    )]
    Retire {
        /// The key's kid, or a unique start of it
        #[arg(value_name = "KID", allow_hyphen_values = true)]
        kid: String,
    },
    /// Make a key the active signing key
    #[command(after_help = "Examples:\n  jwtctl keys activate 2026-11")]
    Activate {
        /// The key's kid, or a unique start of it
        #[arg(value_name = "KID", allow_hyphen_values = true)]
        kid: String,
    },
    /// Copy the home's keyring into the refresh store, sealed with the keyring secret
    ///
    /// For moving to --keyring-in-store: the keys the home signed with keep signing and
    /// verifying on every machine that shares the store. A keyring already in the store is not
    /// replaced unless --force (its keys would stop verifying). Needs the keyring secret
    /// (--keyring-secret-file or JWTCTL_KEYRING_SECRET); --keyring-in-store is not needed.
    #[command(after_help = "Examples:
  head -c 32 /dev/urandom | base64 > kek && chmod 600 kek
  jwtctl keys push --store sqlite:/srv/shared/refresh.db --keyring-secret-file kek
  JWTCTL_STORE=redis://cache.internal JWTCTL_KEYRING_SECRET_FILE=kek jwtctl keys push --force")]
    Push {
        /// Replace a keyring already in the store
        #[arg(long)]
        force: bool,
    },
}

/// Convert a key between PEM, JWK and JWKS
///
/// Reads any key jwtctl reads (PEM PKCS#8, PKCS#1, SEC1 or SPKI; DER; JWK; JWKS; an issuer's
/// key set with --jwks-url or --issuer) and prints it as PEM (SPKI, or PKCS#8 with --private),
/// a JWK or a JWKS. Public members only unless
/// --private. The kid is the JWK's own, else the RFC 7638 thumbprint; from a JWKS, --kid picks
/// the key. An RSA PEM does not say RS or PS: --alg pins the JWK.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  jwtctl convert --key private.pem --to jwk          # its public JWK
  jwtctl convert --key jwks.json --kid abc --to pem   # one key of a set, as SPKI PEM
  jwtctl convert --key key.jwk --to pem --private --out key.pem   # PKCS#8, mode 0600
  jwtctl convert --issuer https://accounts.google.com --kid KID --to pem")]
#[command(group(clap::ArgGroup::new("from").required(true).multiple(false).args([
    "key", "jwks_url", "issuer",
])))]
pub struct ConvertArgs {
    /// Key file: PEM, DER, JWK or JWKS ('-' for stdin)
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    #[command(flatten)]
    pub remote: RemoteKeys,
    #[command(flatten)]
    pub fetch: FetchArgs,
    /// Output format
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub to: KeyFormat,
    /// Include the private key (PKCS#8 PEM, or the JWK's private members)
    #[arg(long)]
    pub private: bool,
    /// Pick this key from a JWKS; for a single key, the kid to give it
    #[arg(long, value_name = "KID", allow_hyphen_values = true, value_parser = parse_kid)]
    pub kid: Option<String>,
    /// Pin the key to this algorithm (written as the JWK's alg)
    #[arg(long, value_parser = AlgParser, value_name = "ALG")]
    pub alg: Option<Alg>,
    /// Write to FILE instead of stdout (mode 0600 with --private)
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace an existing --out FILE
    #[arg(long, requires = "out")]
    pub force: bool,
}

/// `convert --to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum KeyFormat {
    /// SPKI PEM, or PKCS#8 PEM with --private
    Pem,
    /// One JWK
    Jwk,
    /// A JWK Set ({"keys": [...]})
    Jwks,
}
