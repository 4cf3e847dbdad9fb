//! Where inputs come from: a TOKEN argument or stdin, key files, secrets from a file, the
//! environment or a no-echo prompt (DECISIONS §2). Only one input may be read from stdin
//! (`-`, `/dev/stdin`, `/proc/self/fd/0` and any other name for it alike), and nothing ever
//! waits on a terminal that has nothing to give. What people paste is cleaned before the strict
//! parser sees it; what is plainly not a token (a file name, a JWE) is named as such.

use crate::edge::exit::{Exit, fail, fail_hint};
use crate::files;
use crate::keys::{self, Key, Loaded};
use crate::token::{MAX_TOKEN_BYTES, Reason, Rejection};
use anyhow::{Context, Result};
use clap::Args;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::cell::Cell;
use std::ffi::OsString;
use std::io::{self, IsTerminal, Read};
use std::path::Path;
use std::path::PathBuf;

/// Largest key or claims file read (a JWKS can be big; nothing legitimate is 1 MiB).
const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Tracks stdin so that a second use is an error instead of an empty read.
#[derive(Default)]
pub struct Stdin {
    used: Cell<Option<&'static str>>,
}

impl Stdin {
    /// Takes stdin for `what` (a batch reads it as a stream); refuses a terminal and a second
    /// use, with `hint` saying how to give the input instead.
    pub fn take(&self, what: &'static str, hint: &str) -> Result<io::Stdin> {
        if let Some(first) = self.used.replace(Some(what)) {
            return Err(fail(
                Exit::Usage,
                format!("stdin is already used for the {first}; it cannot also give the {what}"),
            ));
        }
        let stdin = io::stdin();
        if stdin.is_terminal() {
            return Err(fail_hint(
                Exit::Usage,
                format!("no {what} given and stdin is a terminal"),
                hint,
            ));
        }
        Ok(stdin)
    }

    /// Reads all of stdin (at most `limit` bytes) for `what`; refuses a terminal and a second use.
    pub fn read(&self, what: &'static str, limit: u64, hint: &str) -> Result<Vec<u8>> {
        let stdin = self.take(what, hint)?;
        let mut bytes = Vec::new();
        stdin
            .lock()
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .with_context(|| format!("reading the {what} from stdin"))?;
        if bytes.len() as u64 > limit {
            return Err(fail(
                Exit::Malformed,
                format!("the {what} on stdin is larger than {limit} bytes"),
            ));
        }
        Ok(bytes)
    }
}

/// Whether `path` names this process's stdin: `-`, or a file that is the very one open on
/// descriptor 0 (`/dev/stdin`, `/dev/fd/0`, `/proc/self/fd/0`, a FIFO also given with `<`).
/// Those go through [`Stdin`], so using stdin twice is refused however it is spelled.
#[must_use]
pub fn is_stdin(path: &Path) -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    if path.as_os_str() == "-" {
        return true;
    }
    let Ok(named) = std::fs::metadata(path) else {
        return false;
    };
    let Ok(fd0) = io::stdin().as_fd().try_clone_to_owned() else {
        return false;
    };
    std::fs::File::from(fd0)
        .metadata()
        .is_ok_and(|m| m.dev() == named.dev() && m.ino() == named.ino())
}

/// The token from the argument or stdin, cleaned as [`clean_token`] says (DECISIONS §2). The
/// size cap holds before anything is decoded.
pub fn token(arg: Option<&str>, stdin: &Stdin, command: &str) -> Result<String> {
    let raw = match arg {
        Some(t) if t != "-" => t.to_owned(),
        _ => {
            // Room for surrounding whitespace and a prefix; the exact cap is checked in `token`.
            let bytes = stdin.read(
                "token",
                (MAX_TOKEN_BYTES + 4096) as u64,
                &format!("pass TOKEN or pipe one in: echo \"$TOKEN\" | jwtctl {command}"),
            )?;
            String::from_utf8(bytes)
                .map_err(|_| fail(Exit::Malformed, "the token is not UTF-8 text"))?
        }
    };
    Ok(clean_token(&raw).into_owned())
}

/// Cleans what people paste (DECISIONS §2): surrounding whitespace and one pair of matching
/// quotes (`'…'`, `"…"`), an `Authorization:` header name, one `Bearer ` (both
/// case-insensitive), then every space and line break inside, so a token wrapped over lines
/// works. A compact JWS holds no whitespace, so removing it cannot change what is
/// verified; the parser after this stays strict.
#[must_use]
pub fn clean_token(raw: &str) -> Cow<'_, str> {
    let mut t = unquote(raw.trim());
    if let Some(name) = t.get(..14)
        && name.eq_ignore_ascii_case("authorization:")
    {
        t = unquote(t[14..].trim());
    }
    if let Some(word) = t.get(..6)
        && word.eq_ignore_ascii_case("bearer")
        && t[6..].starts_with(|c: char| c.is_ascii_whitespace())
    {
        t = unquote(t[6..].trim());
    }
    // Bytes, not chars: this runs on every line of a batch.
    if t.bytes().any(|b| matches!(b, b' ' | b'\n' | b'\r')) {
        Cow::Owned(t.split(WRAP).collect())
    } else {
        Cow::Borrowed(t)
    }
}

/// What wrapping or pasting puts inside a token: spaces and line breaks. Other characters (a
/// tab inside a segment, say) still reach the parser, which refuses them (DECISIONS §2 keeps
/// the `b64-tab-sig` vector malformed).
const WRAP: [char; 3] = [' ', '\n', '\r'];

/// `t` without one pair of matching surrounding quotes, trimmed.
fn unquote(t: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = t.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner.trim();
        }
    }
    t
}

/// A malformed-token rejection made more useful: when the (cleaned) token is plainly something
/// else, a file path (`arg` is the TOKEN argument as typed, checked for naming a file) or a JWE,
/// says so instead of the parser's "N dots". Runs only once the parser has refused the token, so
/// a token that parses is never second-guessed and a batch pays nothing for it. `command` goes
/// into the hint.
pub fn explain(rejection: Rejection, token: &str, arg: Option<&str>, command: &str) -> Rejection {
    if rejection.reason != Reason::Malformed {
        return rejection;
    }
    check_shape(token, arg, command).err().unwrap_or(rejection)
}

fn check_shape(token: &str, arg: Option<&str>, command: &str) -> Result<(), Rejection> {
    let dots = token.bytes().filter(|&b| b == b'.').count();
    let names_file = arg.is_some_and(|a| a != "-" && Path::new(a).symlink_metadata().is_ok());
    if names_file || (dots != 2 && looks_like_path(token)) {
        return Err(Rejection {
            reason: Reason::Malformed,
            message: "this looks like a file path, not a token; pass the token itself or `< FILE`"
                .to_owned(),
            hint: Some(format!(
                "jwtctl {command} < FILE, or jwtctl {command} \"$(cat FILE)\""
            )),
        });
    }
    if dots == 4 {
        return Err(Rejection {
            reason: Reason::Malformed,
            message: "this is a JWE (five segments): JWE (encrypted tokens) is not supported; \
                      jwtctl reads signed tokens (JWS, three segments)"
                .to_owned(),
            hint: None,
        });
    }
    Ok(())
}

/// A slash or `~` (never in base64url), or one dot before a short file extension (`token.jwt`)
/// after a name that is not the start of a JWS (`eyJ...`, a JSON object in base64url).
fn looks_like_path(t: &str) -> bool {
    if t.contains('/') || t.starts_with('~') {
        return true;
    }
    match t.split_once('.') {
        Some((stem, ext)) => {
            !stem.is_empty()
                && !stem.starts_with("eyJ")
                && (1..=5).contains(&ext.len())
                && ext.bytes().all(|b| b.is_ascii_alphanumeric())
        }
        None => false,
    }
}

/// Reads a file, or stdin for `-` or any other name of stdin ([`is_stdin`]).
pub fn file_or_stdin(path: &Path, what: &'static str, stdin: &Stdin) -> Result<Vec<u8>> {
    if is_stdin(path) {
        stdin.read(
            what,
            MAX_FILE_BYTES,
            &format!("pipe the {what} in, or pass a file"),
        )
    } else {
        files::read_limited(path, MAX_FILE_BYTES, what)
    }
}

/// Removes one trailing newline (`\n` or `\r\n`): a secret file's bytes are the key.
fn strip_newline(mut bytes: Vec<u8>) -> Vec<u8> {
    if bytes.last() == Some(&b'\n') {
        bytes.pop();
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
    }
    bytes
}

/// Reads the JSON object of claims of `--claims FILE|-`. Too large or not a JSON object, from a
/// file or from stdin alike, is a malformed claims set: exit 3 (DECISIONS §1).
pub fn claims(path: &Path, stdin: &Stdin) -> Result<Map<String, Value>> {
    let bytes = file_or_stdin(path, "claims", stdin).map_err(|e| {
        match e.downcast_ref::<files::FileError>() {
            Some(files::FileError::TooLarge(m)) => fail(Exit::Malformed, m.clone()),
            _ => e,
        }
    })?;
    crate::json::parse_object(&bytes)
        .map_err(|e| fail(Exit::Malformed, format!("--claims {}: {e}", path.display())))
}

/// Reads a key file (or stdin for `-`): PEM, DER, JWK or JWKS, recognised by content.
pub fn key_file(path: &Path, stdin: &Stdin) -> Result<Loaded> {
    let text = path.to_string_lossy();
    let scheme = text.get(..8).unwrap_or(&text).to_ascii_lowercase();
    if (scheme.starts_with("https://") || scheme.starts_with("http://")) && !path.exists() {
        // A usage error (2), like any flag value of the wrong kind: nothing was fetched or read.
        return Err(fail_hint(
            Exit::Usage,
            "--key takes a key file, and this is a URL: jwtctl reads key files with --key",
            "for an issuer's key set pass --jwks-url URL (or --issuer ISSUER); it is fetched \
             over https and cached",
        ));
    }
    let bytes = file_or_stdin(path, "key", stdin)?;
    keys::parse(&bytes).with_context(|| format!("key {}", path.display()))
}

/// Resolves the key flags. `None` means none was given: use the keyring.
pub fn keys(source: &KeySource, stdin: &Stdin) -> Result<Option<Loaded>> {
    let single = |key: Key| Ok(Some(Loaded::single(key)));
    if let Some(path) = &source.key {
        return key_file(path, stdin).map(Some);
    }
    if let Some(path) = &source.secret_file {
        let bytes = strip_newline(file_or_stdin(path, "secret", stdin)?);
        return single(keys::secret(bytes)?);
    }
    if let Some(name) = &source.secret_env {
        let value = std::env::var_os(name).ok_or_else(|| unset_env(name))?;
        return single(keys::secret(std::os::unix::ffi::OsStringExt::into_vec(
            value,
        ))?);
    }
    if source.secret_prompt {
        // rpassword reads the controlling terminal, not stdin, so a piped token still works;
        // without one, say so plainly instead of failing inside the prompt.
        if std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/tty")
            .is_err()
        {
            return Err(fail_hint(
                Exit::Usage,
                "--secret-prompt needs a terminal, and this process has none",
                "in scripts use --secret-file PATH or --secret-env NAME",
            ));
        }
        let secret = rpassword::prompt_password("HMAC secret: ")
            .context("reading the secret from the terminal")?;
        return single(keys::secret(secret.into_bytes())?);
    }
    Ok(None)
}

/// The error for `--secret-env NAME` naming no variable. A conventional variable name
/// (`JWT_SECRET`: capitals, digits, `_`) is quoted to help with a typo; anything else is not,
/// since it may be the secret itself typed where its variable's name belongs.
fn unset_env(name: &str) -> anyhow::Error {
    let conventional = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    if conventional {
        return fail(Exit::Key, format!("environment variable {name} is not set"));
    }
    fail_hint(
        Exit::Key,
        "--secret-env takes the NAME of an environment variable, and no variable has the name \
         given (not shown: it may be a secret)",
        "export JWT_SECRET=... first, then --secret-env JWT_SECRET; no flag takes a secret's value",
    )
}

/// Whether a command line clap refused was trying to pass a secret as a flag value: a flag
/// whose name says secret or password (`--secret`, `--password=…`, `--key-value`, …) other than
/// the flags that name where a secret is, or a word clap refused right after `--secret-prompt`.
/// The caller then prints one message that repeats nothing of the command line.
#[must_use]
pub fn secret_on_command_line(err: &clap::Error, args: &[OsString]) -> bool {
    use clap::error::{ContextKind, ContextValue};
    const WORDS: [&str; 9] = [
        "secret",
        "passw",
        "passphrase",
        "pwd",
        "hmac",
        "key-value",
        "keyvalue",
        "apikey",
        "api-key",
    ];
    let refused = match err.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(s)) => Some(s.as_str()),
        _ => None,
    };
    let mut previous = "";
    for arg in args.iter().skip(1).map(|a| a.to_str().unwrap_or("")) {
        if arg == "--" {
            break;
        }
        if previous == "--secret-prompt" && refused == Some(arg) {
            return true;
        }
        previous = arg;
        let Some(flag) = arg.strip_prefix("--") else {
            continue;
        };
        let (name, value) = match flag.split_once('=') {
            Some((n, _)) => (n, true),
            None => (flag, false),
        };
        let name = name.to_ascii_lowercase();
        let names_a_place = name.ends_with("-file") || name.ends_with("-env");
        if name == "secret-prompt" {
            if value {
                return true;
            }
        } else if !names_a_place && WORDS.iter().any(|w| name.contains(w)) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning_trims_and_drops_one_bearer() {
        assert_eq!(clean_token("  a.b.c \n"), "a.b.c");
        assert_eq!(clean_token("Bearer a.b.c"), "a.b.c");
        assert_eq!(clean_token("bEaReR a.b.c"), "a.b.c");
        assert_eq!(clean_token("Bearer\ta.b.c"), "a.b.c");
        // One Bearer only: a second one stays and the strict parser refuses it.
        assert_eq!(clean_token("Bearer Bearer a.b.c"), "Bearera.b.c");
        assert_eq!(clean_token("Bearerx"), "Bearerx");
        assert_eq!(clean_token("Bearer"), "Bearer");
    }

    #[test]
    fn cleaning_takes_what_people_paste() {
        assert_eq!(clean_token("'a.b.c'"), "a.b.c");
        assert_eq!(clean_token(" \"a.b.c\"\n"), "a.b.c");
        assert_eq!(clean_token("\"a.b.c'"), "\"a.b.c'");
        assert_eq!(clean_token("Authorization: Bearer a.b.c"), "a.b.c");
        assert_eq!(clean_token("authorization:bearer  a.b.c"), "a.b.c");
        assert_eq!(clean_token("'Authorization: Bearer a.b.c'"), "a.b.c");
        assert_eq!(clean_token("Authorization: \"Bearer a.b.c\""), "a.b.c");
        assert_eq!(clean_token("ab\ncd.e f.\r\n gh"), "abcd.ef.gh");
        assert!(matches!(clean_token("a.b.c"), Cow::Borrowed(_)));
        // Only spaces and line breaks go: anything else reaches the strict parser.
        assert_eq!(clean_token("a.b\u{a0}.c"), "a.b\u{a0}.c");
        assert_eq!(clean_token("a.b.c\td"), "a.b.c\td");
    }

    #[test]
    fn shapes_that_are_not_a_jws_are_named() {
        let shape = |t: &str| check_shape(t, None, "decode").map_err(|r| r.message);
        assert!(shape("a.b.c").is_ok());
        assert!(shape("abc").is_ok());
        assert!(shape("eyJhbGciOiJIUzI1NiJ9.e30").is_ok(), "a JWS cut short");
        assert!(shape("a.b.c.d.e").unwrap_err().contains("JWE"));
        for path in ["token.jwt", "./tok", "/tmp/x", "~/t.txt", "dir/a.b.c.d"] {
            assert!(shape(path).unwrap_err().contains("file path"), "{path}");
        }
        assert!(
            check_shape("Cargo.toml", Some("Cargo.toml"), "decode").is_err()
                || !Path::new("Cargo.toml").exists()
        );
    }

    #[test]
    fn secret_flags_are_recognised() {
        let err = clap::Error::new(clap::error::ErrorKind::UnknownArgument);
        let secret = |line: &str| {
            let argv: Vec<OsString> = line.split(' ').map(Into::into).collect();
            secret_on_command_line(&err, &argv)
        };
        for line in [
            "jwtctl sign --secret x",
            "jwtctl sign --secret=x",
            "jwtctl verify --password x t",
            "jwtctl sign --key-value=x",
            "jwtctl sign --token-secret x",
            "jwtctl sign --HMAC-key x",
            "jwtctl sign --secret-prompt=x",
        ] {
            assert!(secret(line), "{line}");
        }
        for line in [
            "jwtctl sign --secret-file s --bogus",
            "jwtctl sign --secret-env S --bogus",
            "jwtctl sign --secret-prompt --bogus",
            "jwtctl verify --store-password-file p --bogus",
            "jwtctl verify -- --secret",
        ] {
            assert!(!secret(line), "{line}");
        }
    }

    #[test]
    fn only_conventional_variable_names_are_repeated() {
        assert!(unset_env("JWT_SECRET").to_string().contains("JWT_SECRET"));
        assert!(!unset_env("hunter2").to_string().contains("hunter2"));
        assert!(!unset_env("2FA").to_string().contains("2FA"));
    }

    #[test]
    fn one_trailing_newline_is_removed() {
        assert_eq!(strip_newline(b"abc\n".to_vec()), b"abc");
        assert_eq!(strip_newline(b"abc\r\n".to_vec()), b"abc");
        assert_eq!(strip_newline(b"abc\n\n".to_vec()), b"abc\n");
        assert_eq!(strip_newline(b"abc".to_vec()), b"abc");
    }
}

/// Where a key comes from (sign and verify). None given: the keyring.
#[derive(Args, Debug)]
#[group(multiple = false)]
pub struct KeySource {
    /// Key file: PEM (PKCS#8, PKCS#1, SEC1, SPKI), DER, JWK or JWKS, recognised by content
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    /// File holding an HMAC secret ('-' for stdin); one trailing newline is removed
    #[arg(long, value_name = "PATH")]
    pub secret_file: Option<PathBuf>,
    /// Environment variable holding an HMAC secret
    #[arg(long, value_name = "NAME")]
    pub secret_env: Option<String>,
    /// Prompt for an HMAC secret on the terminal, without echo
    #[arg(long)]
    pub secret_prompt: bool,
}
