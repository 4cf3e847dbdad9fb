//! Files, safely. Writing: a temporary file in the same directory under an unpredictable name
//! (created with O_EXCL), synced, then linked into place (refusing to replace an existing file)
//! or renamed over it (`--force`); a crash or a refusal leaves either the old file or the new
//! one, never half of one, and temporary files left by dead processes are removed. Reading: a
//! size cap and a file-type check on every file. Private files: refused when others may read or
//! change them.

use anyhow::{Context, Result};
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// O_NONBLOCK on Linux (the same on x86_64 and aarch64).
const O_NONBLOCK: i32 = 0o4000;

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
    remove_stale_temps(dir, &name);
    let (mut f, tmp) = create_temp(dir, &name, mode)?;
    let result = (|| {
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

/// The temporary-file name for `name` in its directory: `.NAME.PID.RANDOM.tmp`. The random part
/// makes it unpredictable and unique; the PID lets a later run tell a dead writer's leftovers.
fn temp_name(name: &str) -> Result<String> {
    let mut random = [0u8; 12];
    aws_lc_rs::rand::fill(&mut random)
        .map_err(|_| anyhow::anyhow!("the OS random generator failed"))?;
    let hex: String = random.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!(".{name}.{}.{hex}.tmp", std::process::id()))
}

/// Creates a new temporary file for `name` in `dir` with `mode`, exclusively (O_CREAT|O_EXCL,
/// which also refuses a symlink planted under the name); the caller renames or links it into place and removes it on failure.
pub fn create_temp(dir: &Path, name: &str, mode: u32) -> Result<(fs::File, PathBuf)> {
    let tmp = dir.join(temp_name(name)?);
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(&tmp)
        .with_context(|| format!("creating {}", tmp.display()))?;
    Ok((file, tmp))
}

/// Removes the temporary files for `name` in `dir` (`.NAME.PID.*.tmp`, and SQLite's
/// `-journal`/`-wal`/`-shm` beside them) whose writing process no longer exists. Best effort:
/// a file that cannot be removed is left, and a live writer's file is never touched.
pub fn remove_stale_temps(dir: &Path, name: &str) {
    let prefix = format!(".{name}.");
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(file) = file.to_str() else { continue };
        let Some(rest) = file.strip_prefix(&prefix) else {
            continue;
        };
        let Some((pid, tail)) = rest.split_once('.') else {
            continue;
        };
        let is_temp = tail.ends_with(".tmp")
            || [".tmp-journal", ".tmp-wal", ".tmp-shm"]
                .iter()
                .any(|s| tail.ends_with(s));
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if is_temp && pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Refuses a private file (the keyring, the store) or the home directory that holds them when
/// others could read or change it: a file must not be readable or writable by group or others,
/// a directory not writable by them (as ssh does for private keys). jwtctl creates them 0600 and
/// 0700, so only a change from outside trips this.
pub fn check_private(path: &Path, what: &str) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let meta = fs::metadata(path).with_context(|| format!("reading {what} {}", path.display()))?;
    let mode = meta.permissions().mode() & 0o777;
    let (bad, fix) = if meta.is_dir() {
        (mode & 0o022 != 0, format!("chmod go-w {}", path.display()))
    } else {
        (mode & 0o077 != 0, format!("chmod 600 {}", path.display()))
    };
    if bad {
        return Err(FileError::Unsafe {
            message: format!(
                "{what} {} is {} by others (mode {mode:03o}); jwtctl will not use it",
                path.display(),
                if meta.is_dir() {
                    "writable"
                } else {
                    "readable or writable"
                }
            ),
            fix,
        }
        .into());
    }
    Ok(())
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
    /// Others may read or change it; `fix` is the command that makes it private.
    Unsafe { message: String, fix: String },
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileError::Exists(p) => write!(f, "{} already exists; not overwriting it", p.display()),
            FileError::NotAFile(m) | FileError::TooLarge(m) => f.write_str(m),
            FileError::Unsafe { message, .. } => f.write_str(message),
        }
    }
}

impl std::error::Error for FileError {}

/// Reads a whole file the user named, with at most `limit` bytes: a regular file, or a pipe
/// (`<(cmd)`); a directory, a device or a larger file is one clear error.
pub fn read_limited(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>> {
    read_capped(path, limit, what, true)
}

/// Reads one of jwtctl's own files (the keyring), with at most `limit` bytes: a regular file
/// only, so a FIFO or a device planted under its name is an error, never a hang.
pub fn read_own(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>> {
    read_capped(path, limit, what, false)
}

fn read_capped(path: &Path, limit: u64, what: &str, pipe_ok: bool) -> Result<Vec<u8>> {
    use std::io::Read;
    use std::os::unix::fs::FileTypeExt;
    // O_NONBLOCK: opening a FIFO without a writer must not block before the type is known.
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(if pipe_ok { 0 } else { O_NONBLOCK })
        .open(path)
        .with_context(|| format!("reading {what} {}", path.display()))?;
    let meta = file
        .metadata()
        .with_context(|| format!("reading {what} {}", path.display()))?;
    let kind = meta.file_type();
    let refused = if kind.is_dir() {
        Some("it is a directory")
    } else if kind.is_fifo() && !pipe_ok {
        Some("it is a pipe, not a regular file")
    } else if kind.is_char_device() || kind.is_block_device() || kind.is_socket() {
        Some("it is a device or socket, not a regular file")
    } else {
        None
    };
    if let Some(why) = refused {
        return Err(
            FileError::NotAFile(format!("reading {what} {}: {why}", path.display())).into(),
        );
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn temp_names_are_unique_and_name_the_writer() {
        let a = temp_name("keyring.json").unwrap();
        let b = temp_name("keyring.json").unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with(&format!(".keyring.json.{}.", std::process::id())));
        assert!(a.ends_with(".tmp"));
    }

    #[test]
    fn only_dead_writers_temps_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        // PID 4194305 is above Linux's PID_MAX_LIMIT: never a live process.
        let dead = dir.path().join(".keyring.json.4194305.abcd.tmp");
        let dead_journal = dir.path().join(".refresh.db.4194305.abcd.tmp-journal");
        let live = dir
            .path()
            .join(format!(".keyring.json.{}.abcd.tmp", std::process::id()));
        let other = dir.path().join("keyring.json");
        for p in [&dead, &dead_journal, &live, &other] {
            fs::write(p, b"x").unwrap();
        }
        remove_stale_temps(dir.path(), "keyring.json");
        remove_stale_temps(dir.path(), "refresh.db");
        assert!(!dead.exists() && !dead_journal.exists());
        assert!(live.exists() && other.exists());
    }

    #[test]
    fn private_files_and_homes_open_to_others_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("keyring.json");
        fs::write(&file, b"{}").unwrap();
        for (mode, ok) in [(0o600, true), (0o640, false), (0o604, false), (0o400, true)] {
            fs::set_permissions(&file, fs::Permissions::from_mode(mode)).unwrap();
            assert_eq!(check_private(&file, "keyring").is_ok(), ok, "{mode:o}");
        }
        for (mode, ok) in [(0o700, true), (0o755, true), (0o775, false), (0o757, false)] {
            fs::set_permissions(dir.path(), fs::Permissions::from_mode(mode)).unwrap();
            assert_eq!(check_private(dir.path(), "home").is_ok(), ok, "{mode:o}");
        }
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o700)).unwrap();
    }

    #[test]
    fn own_files_must_be_regular_and_capped() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let err = read_own(&fifo, 100, "keyring").unwrap_err();
        assert!(err.to_string().contains("pipe"), "{err}");
        assert!(read_own(Path::new("/dev/zero"), 100, "keyring").is_err());
        let big = dir.path().join("big");
        fs::write(&big, [b'a'; 101]).unwrap();
        assert!(read_own(&big, 100, "keyring").is_err());
        assert_eq!(read_own(&big, 101, "keyring").unwrap().len(), 101);
    }
}
