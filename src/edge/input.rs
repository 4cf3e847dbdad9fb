//! Where inputs come from: a TOKEN argument or stdin, key files, secrets from a file, the
//! environment or a no-echo prompt (DECISIONS §2). Only one input may be read from stdin, and
//! nothing ever waits on a terminal that has nothing to give.

use crate::edge::exit::{Exit, fail, fail_hint};
use crate::files;
use crate::keys::{self, Key, Loaded};
use crate::token::MAX_TOKEN_BYTES;
use anyhow::{Context, Result};
use clap::Args;
use std::cell::Cell;
use std::io::{self, IsTerminal, Read};
use std::path::Path;
use std::path::PathBuf;

/// Largest key or claims file read (a JWKS can be big; nothing legitimate is 1 MiB).
const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Tracks stdin so that a second `-` is an error instead of an empty read.
#[derive(Default)]
pub struct Stdin {
    used: Cell<Option<&'static str>>,
}

impl Stdin {
    /// Reads all of stdin (at most `limit` bytes) for `what`; refuses a terminal and a second use.
    pub fn read(&self, what: &'static str, limit: u64, hint: &str) -> Result<Vec<u8>> {
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

/// The token from the argument or stdin, with surrounding whitespace and one leading `Bearer `
/// removed (DECISIONS §2). The size cap holds before anything is decoded.
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
    Ok(clean_token(&raw).to_owned())
}

/// Trims whitespace and one case-insensitive `Bearer ` prefix.
#[must_use]
pub fn clean_token(raw: &str) -> &str {
    let t = raw.trim();
    match t.get(..7) {
        Some(p) if p.eq_ignore_ascii_case("bearer ") => &t[7..],
        _ => t,
    }
}

/// Reads a file, or stdin for `-`.
pub fn file_or_stdin(path: &Path, what: &'static str, stdin: &Stdin) -> Result<Vec<u8>> {
    if path.as_os_str() == "-" {
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

/// Reads a key file (or stdin for `-`): PEM, DER, JWK or JWKS, recognised by content.
pub fn key_file(path: &Path, stdin: &Stdin) -> Result<Loaded> {
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
        let value = std::env::var_os(name)
            .ok_or_else(|| fail(Exit::Key, format!("environment variable {name} is not set")))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning_trims_and_drops_one_bearer() {
        assert_eq!(clean_token("  a.b.c \n"), "a.b.c");
        assert_eq!(clean_token("Bearer a.b.c"), "a.b.c");
        assert_eq!(clean_token("bEaReR a.b.c"), "a.b.c");
        assert_eq!(clean_token("Bearer Bearer a.b.c"), "Bearer a.b.c");
        assert_eq!(clean_token("Bearerx"), "Bearerx");
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
