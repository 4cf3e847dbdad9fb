//! Writing files safely: a temporary file in the same directory, synced, then linked into place
//! (refusing to replace an existing file) or renamed over it (`--force`). A crash or a refusal
//! leaves either the old file or the new one, never half of one.

use anyhow::{Context, Result};
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::Path;

/// Creates `dir` (and parents) with mode 0700 for the last component when it is new.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .with_context(|| format!("creating directory {}", dir.display()))
}

/// Writes `bytes` to `path` with `mode` (0600 for private material). Without `overwrite`, an
/// existing file is an error naming `--force`; the check and the write are one atomic step.
pub fn write_atomic(path: &Path, bytes: &[u8], mode: u32, overwrite: bool) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .open(&tmp)
            .with_context(|| format!("creating {}", tmp.display()))?;
        f.write_all(bytes)
            .with_context(|| format!("writing {}", tmp.display()))?;
        f.sync_all()
            .with_context(|| format!("syncing {}", tmp.display()))?;
        if overwrite {
            fs::rename(&tmp, path).with_context(|| format!("replacing {}", path.display()))
        } else {
            match fs::hard_link(&tmp, path) {
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(refuse(path)),
                other => other.with_context(|| format!("writing {}", path.display())),
            }
        }
    })();
    let _ = fs::remove_file(&tmp);
    result
}

/// The error for an existing file that `--force` would replace.
pub fn refuse(path: &Path) -> anyhow::Error {
    FileError::Exists(path.to_owned()).into()
}

/// Why a file was not read or written, beyond what the OS said.
#[derive(Debug)]
pub enum FileError {
    /// It exists and replacing it was not asked for (`--force`).
    Exists(std::path::PathBuf),
    /// It is not a file jwtctl reads (a directory).
    NotAFile(String),
    /// It is larger than jwtctl reads for this kind of file.
    TooLarge(String),
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileError::Exists(p) => write!(f, "{} already exists; not overwriting it", p.display()),
            FileError::NotAFile(m) | FileError::TooLarge(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for FileError {}

/// Reads a whole file, with at most `limit` bytes; a directory or a larger file is one clear error.
pub fn read_limited(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>> {
    use std::io::Read;
    let file =
        fs::File::open(path).with_context(|| format!("reading {what} {}", path.display()))?;
    let meta = file
        .metadata()
        .with_context(|| format!("reading {what} {}", path.display()))?;
    if meta.is_dir() {
        return Err(FileError::NotAFile(format!(
            "reading {what} {}: it is a directory",
            path.display()
        ))
        .into());
    }
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading {what} {}", path.display()))?;
    if bytes.len() as u64 > limit {
        return Err(FileError::TooLarge(format!(
            "{what} {} is larger than {limit} bytes",
            path.display()
        ))
        .into());
    }
    Ok(bytes)
}
