//! Files, safely. Writing: a temporary file in the same directory under an unpredictable name
//! (created with O_EXCL), synced, then linked into place (refusing to replace an existing file)
//! or renamed over it (`--force`); a crash or a refusal leaves either the old file or the new
//! one, never half of one, and temporary files left by dead processes are removed. A set of
//! files ([`Staged`]) is written all or nothing. Reading: a size cap and a file-type check on
//! every file. Private files: refused when others may read or change them. Locking: a directory
//! lock that a deleted lock file cannot split, waited for with a bound.

use anyhow::{Context, Result};
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

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
    Staged::new(&[(path.to_owned(), bytes.to_vec(), mode)])?.commit(overwrite)
}

/// Files written together, all or none (`keygen --out`): each is first written in full to a
/// temporary file beside its target and synced; [`Staged::commit`] then links (or, to replace,
/// renames) them into place, and on any failure undoes what it did, restoring replaced files
/// from backups, so the directory is as it was. Dropped uncommitted, the temporaries go.
pub struct Staged {
    files: Vec<(PathBuf, PathBuf)>,
}

impl Staged {
    /// Writes each `(target, bytes, mode)` to a new temporary file beside its target; nothing
    /// is visible under a target name yet. Dead writers' temporaries for these names go first.
    pub fn new(files: &[(PathBuf, Vec<u8>, u32)]) -> Result<Staged> {
        let targets: Vec<PathBuf> = files.iter().map(|(t, _, _)| t.clone()).collect();
        undo_dead_commits(&targets);
        let mut staged = Staged { files: Vec::new() };
        for (target, bytes, mode) in files {
            let (dir, name) = split(target);
            remove_stale_temps(dir, &name);
            let (mut f, tmp) = create_temp(dir, &name, *mode)?;
            staged.files.push((target.clone(), tmp.clone()));
            f.write_all(bytes)
                .with_context(|| format!("writing {}", tmp.display()))?;
            f.sync_all()
                .with_context(|| format!("syncing {}", tmp.display()))?;
        }
        Ok(staged)
    }

    /// Puts every file in place. Without `overwrite` an existing target (of any kind, a
    /// dangling symlink too) refuses the whole set; with it, existing targets are replaced.
    /// On failure every target is as it was before.
    pub fn commit(mut self, overwrite: bool) -> Result<()> {
        let files = std::mem::take(&mut self.files);
        // (target, backup of the file it replaced, if any) for each target already changed.
        let mut done: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
        let mut result = Ok(());
        // One file needs no backup: a rename replaces it whole or not at all (and some
        // filesystems have no hard links).
        let backups = files.len() > 1;
        for (target, tmp) in &files {
            let step = if overwrite {
                replace(target, tmp, backups).map(|backup| done.push((target.clone(), backup)))
            } else {
                match fs::hard_link(tmp, target) {
                    Ok(()) => {
                        done.push((target.clone(), None));
                        Ok(())
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(refuse(target)),
                    Err(e) => {
                        Err(anyhow::Error::from(e).context(format!("writing {}", target.display())))
                    }
                }
            };
            if let Err(e) = step {
                result = Err(e);
                break;
            }
        }
        let failed = result.is_err();
        for (target, backup) in done.iter().rev() {
            match backup {
                Some(b) if failed => {
                    let _ = fs::rename(b, target);
                }
                Some(b) => {
                    let _ = fs::remove_file(b);
                }
                None if failed => {
                    let _ = fs::remove_file(target);
                }
                None => {}
            }
        }
        for (_, tmp) in &files {
            let _ = fs::remove_file(tmp);
        }
        result
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        for (_, tmp) in &self.files {
            let _ = fs::remove_file(tmp);
        }
    }
}

/// Renames `tmp` over `target`, with `backup` first keeping what `target` was under a temporary
/// name (a hard link, so the old file is never absent), for [`Staged::commit`] to restore.
fn replace(target: &Path, tmp: &Path, backup: bool) -> Result<Option<PathBuf>> {
    let backup = match fs::symlink_metadata(target) {
        _ if !backup => None,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(anyhow::Error::from(e).context(format!("reading {}", target.display())));
        }
        Ok(_) => {
            let (dir, name) = split(target);
            let backup = dir.join(temp_name(&name)?);
            fs::hard_link(target, &backup)
                .with_context(|| format!("replacing {}", target.display()))?;
            Some(backup)
        }
    };
    if let Err(e) = fs::rename(tmp, target) {
        if let Some(b) = &backup {
            let _ = fs::remove_file(b);
        }
        return Err(anyhow::Error::from(e).context(format!("replacing {}", target.display())));
    }
    Ok(backup)
}

/// The directory and file name of `path` (`.` for a bare name).
fn split(path: &Path) -> (&Path, String) {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (dir, name)
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

/// Removes the temporary files for `name` in `dir` (`.NAME.PID.*.tmp`, the `.NAME.PID.tmp` of
/// older versions, and SQLite's `-journal`/`-wal`/`-shm` beside them) whose writing process no
/// longer exists. Best effort: a file that cannot be removed is left, and a live writer's file
/// is never touched.
pub fn remove_stale_temps(dir: &Path, name: &str) {
    for (_, path) in dead_temps(dir, name) {
        let _ = fs::remove_file(path);
    }
}

/// The temporary files for `name` in `dir` whose writing process no longer exists, with its PID.
fn dead_temps(dir: &Path, name: &str) -> Vec<(u32, PathBuf)> {
    let prefix = format!(".{name}.");
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(file) = file.to_str() else { continue };
        let Some(rest) = file.strip_prefix(&prefix) else {
            continue;
        };
        let Some((pid, tail)) = rest.split_once('.') else {
            continue;
        };
        let is_temp = tail == "tmp"
            || tail.ends_with(".tmp")
            || [".tmp-journal", ".tmp-wal", ".tmp-shm"]
                .iter()
                .any(|s| tail.ends_with(s));
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if is_temp && pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            found.push((pid, entry.path()));
        }
    }
    found
}

/// Undoes what a writer killed in the middle of [`Staged::commit`] left of a set of `targets`
/// (`keygen --out` killed between its links). Such a writer leaves all its staged temporaries,
/// each hard-linked to the target it already put in place: when some of a dead writer's
/// temporaries are linked to their targets and others are not, the set is incomplete, and the
/// linked targets (those very files, same inode: never anything the user made) are removed.
/// A complete set is kept; the temporaries go with [`remove_stale_temps`].
pub fn undo_dead_commits(targets: &[PathBuf]) {
    use std::collections::BTreeMap;
    let mut by_writer: BTreeMap<u32, Vec<(&PathBuf, bool)>> = BTreeMap::new();
    for target in targets {
        let (dir, name) = split(target);
        for (pid, tmp) in dead_temps(dir, &name) {
            by_writer
                .entry(pid)
                .or_default()
                .push((target, same_path_file(&tmp, target)));
        }
    }
    for files in by_writer.values() {
        let linked = files.iter().filter(|(_, l)| *l).count();
        if linked > 0 && linked < files.len() {
            for (target, _) in files.iter().filter(|(_, l)| *l) {
                let _ = fs::remove_file(target);
            }
        }
    }
}

/// Whether two paths name the same file (device and inode), neither followed if a symlink.
fn same_path_file(a: &Path, b: &Path) -> bool {
    match (fs::symlink_metadata(a), fs::symlink_metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Refuses a private file (the keyring, the store) or the home directory that holds them when
/// others could read or change it: a file must not be readable or writable by group or others,
/// a directory not writable by them (as ssh does for private keys). jwtctl creates them 0600 and
/// 0700, so only a change from outside trips this.
pub fn check_private(path: &Path, what: &str) -> Result<()> {
    let meta = fs::metadata(path).with_context(|| format!("reading {what} {}", path.display()))?;
    check_mode(&meta, path, what)
}

fn check_mode(meta: &fs::Metadata, path: &Path, what: &str) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
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
    /// Another process holds its lock and did not let go in time.
    Busy { message: String, hint: String },
    /// It was written by a newer jwtctl, in a format this one does not know.
    Newer { message: String, hint: String },
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileError::Exists(p) => write!(f, "{} already exists; not overwriting it", p.display()),
            FileError::NotAFile(m) | FileError::TooLarge(m) => f.write_str(m),
            FileError::Unsafe { message, .. }
            | FileError::Busy { message, .. }
            | FileError::Newer { message, .. } => f.write_str(message),
        }
    }
}

impl std::error::Error for FileError {}

/// Reads a whole file the user named, with at most `limit` bytes: a regular file, or a pipe
/// (`<(cmd)`); a directory, a device or a larger file is one clear error.
pub fn read_limited(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>> {
    read_capped(path, limit, what, true, false)
}

/// Reads one of jwtctl's own files (the keyring), with at most `limit` bytes: a regular file
/// only, so a FIFO or a device planted under its name is an error, never a hang.
pub fn read_own(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>> {
    read_capped(path, limit, what, false, false)
}

/// [`read_own`] for a private file (the keyring): also refused, like [`check_private`], when
/// others may read or change it. The checks are made on the file that was opened.
pub fn read_private(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>> {
    read_capped(path, limit, what, false, true)
}

fn read_capped(
    path: &Path,
    limit: u64,
    what: &str,
    pipe_ok: bool,
    private: bool,
) -> Result<Vec<u8>> {
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
    if private {
        check_mode(&meta, path, what)?;
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

/// After this long waiting for a lock, the caller is told (so it can say so).
pub const NOTICE_AFTER: Duration = Duration::from_secs(1);

/// An exclusive lock, held until dropped.
#[must_use = "the lock is released when this is dropped"]
pub struct Lock {
    _file: fs::File,
}

/// Locks `dir` exclusively (flock on the directory itself), waiting at most `wait`; `waiting`
/// is called once when the wait has lasted [`NOTICE_AFTER`]. A lock on the directory cannot be
/// split by deleting or replacing a lock file, which a lock on a file inside it can (two
/// writers each holding a lock on a different inode of one name). Where directories cannot be
/// locked (NFS emulates flock with write locks, which need a writable file), the lock falls
/// back to the file `fallback` in `dir`, re-checked after locking to be the inode its name still
/// names. A timeout is [`FileError::Busy`], naming `wait_var`, the variable that sets `wait`.
pub fn lock_dir(
    dir: &Path,
    fallback: &str,
    what: &str,
    wait: Duration,
    wait_var: &str,
    waiting: &mut dyn FnMut(),
) -> Result<Lock> {
    let start = Instant::now();
    let mut noticed = false;
    let mut pause = Duration::from_millis(2);
    let mut file = fs::File::open(dir).with_context(|| format!("opening {}", dir.display()))?;
    let mut lock_file: Option<PathBuf> = None;
    loop {
        match file.try_lock() {
            Ok(()) => match &lock_file {
                Some(path) if !same_file(&file, path) => {
                    // The lock file was deleted or replaced while we waited: lock the new one.
                    file = open_lock_file(path)?;
                    continue;
                }
                _ => return Ok(Lock { _file: file }),
            },
            Err(fs::TryLockError::WouldBlock) => {}
            Err(fs::TryLockError::Error(_)) if lock_file.is_none() => {
                let path = dir.join(fallback);
                file = open_lock_file(&path)?;
                lock_file = Some(path);
                continue;
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(anyhow::Error::from(e).context(format!("locking {}", dir.display())));
            }
        }
        let waited = start.elapsed();
        if !noticed && waited >= NOTICE_AFTER.min(wait) {
            noticed = true;
            waiting();
        }
        if waited >= wait {
            return Err(FileError::Busy {
                message: format!(
                    "{what} {} is locked by another process; gave up after {}s",
                    dir.display(),
                    wait.as_secs_f64()
                ),
                hint: format!(
                    "retry when the other jwtctl has finished, or wait longer with {wait_var}=30s"
                ),
            }
            .into());
        }
        std::thread::sleep(pause.min(wait.saturating_sub(waited)));
        pause = (pause * 2).min(Duration::from_millis(50));
    }
}

fn open_lock_file(path: &Path) -> Result<fs::File> {
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("opening {}", path.display()))
}

/// Whether the open `file` is still the file `path` names (same device and inode).
fn same_file(file: &fs::File, path: &Path) -> bool {
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_dead_writers_half_committed_set_is_undone_and_a_whole_one_kept() {
        let dir = tempfile::tempdir().unwrap();
        let names = ["a.key.pem", "a.pub.pem", "a.jwks.json"];
        let targets: Vec<PathBuf> = names.iter().map(|n| dir.path().join(n)).collect();
        // PID 4194305 is above PID_MAX_LIMIT: never alive. It linked the first file only.
        for (i, n) in names.iter().enumerate() {
            let tmp = dir.path().join(format!(".{n}.4194305.ab.tmp"));
            fs::write(&tmp, n).unwrap();
            if i == 0 {
                fs::hard_link(&tmp, &targets[0]).unwrap();
            }
        }
        let theirs = dir.path().join("b.key.pem");
        fs::write(&theirs, "the user's").unwrap();
        undo_dead_commits(&targets);
        assert!(!targets[0].exists(), "the half set is undone");
        assert!(theirs.exists());
        for t in &targets {
            remove_stale_temps(dir.path(), &t.file_name().unwrap().to_string_lossy());
        }
        // A whole set whose writer died before removing its temporaries is kept.
        for (i, n) in names.iter().enumerate() {
            let tmp = dir.path().join(format!(".{n}.4194305.cd.tmp"));
            fs::write(&tmp, n).unwrap();
            fs::hard_link(&tmp, &targets[i]).unwrap();
        }
        undo_dead_commits(&targets);
        assert!(targets.iter().all(|t| t.exists()), "a whole set stays");
        // A file the user put under a target name is never taken for the writer's.
        fs::remove_file(&targets[1]).unwrap();
        fs::write(&targets[1], "the user's own").unwrap();
        undo_dead_commits(&targets);
        assert!(targets[1].exists());
    }

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
        let dead_old_style = dir.path().join(".keyring.json.4194305.tmp");
        let dead_journal = dir.path().join(".refresh.db.4194305.abcd.tmp-journal");
        let live = dir
            .path()
            .join(format!(".keyring.json.{}.abcd.tmp", std::process::id()));
        let other = dir.path().join("keyring.json");
        for p in [&dead, &dead_old_style, &dead_journal, &live, &other] {
            fs::write(p, b"x").unwrap();
        }
        remove_stale_temps(dir.path(), "keyring.json");
        remove_stale_temps(dir.path(), "refresh.db");
        assert!(!dead.exists() && !dead_old_style.exists() && !dead_journal.exists());
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

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_staged_set_is_written_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        let set = |x: &str| vec![(a.clone(), x.into(), 0o600), (b.clone(), x.into(), 0o644)];
        Staged::new(&set("1")).unwrap().commit(false).unwrap();
        assert_eq!(names(dir.path()), ["a", "b"]);
        // Without overwrite, a taken name refuses the set; with it, the set is replaced.
        assert!(Staged::new(&set("2")).unwrap().commit(false).is_err());
        assert_eq!(fs::read(&a).unwrap(), b"1");
        Staged::new(&set("3")).unwrap().commit(true).unwrap();
        assert_eq!(
            (fs::read(&a).unwrap(), fs::read(&b).unwrap()),
            (b"3".to_vec(), b"3".to_vec())
        );
        // A later target that cannot be replaced: the earlier one is restored.
        fs::remove_file(&b).unwrap();
        fs::create_dir(&b).unwrap();
        fs::write(b.join("x"), "").unwrap();
        assert!(Staged::new(&set("4")).unwrap().commit(true).is_err());
        assert_eq!(fs::read(&a).unwrap(), b"3");
        assert_eq!(names(dir.path()), ["a", "b"], "no temporary file left");
        // Dropped uncommitted: nothing stays.
        drop(Staged::new(&set("5")).unwrap());
        assert_eq!(names(dir.path()), ["a", "b"]);
    }

    #[test]
    fn a_held_lock_is_waited_for_then_busy() {
        let dir = tempfile::tempdir().unwrap();
        let held = lock_dir(
            dir.path(),
            "x.lock",
            "test",
            Duration::ZERO,
            "W",
            &mut || {},
        )
        .unwrap();
        let mut told = 0;
        let err = lock_dir(
            dir.path(),
            "x.lock",
            "test",
            Duration::from_millis(30),
            "W",
            &mut || {
                told += 1;
            },
        )
        .err()
        .unwrap();
        assert_eq!(told, 1, "told once that it waits");
        assert!(matches!(
            err.downcast_ref::<FileError>(),
            Some(FileError::Busy { .. })
        ));
        drop(held);
        let _again = lock_dir(
            dir.path(),
            "x.lock",
            "test",
            Duration::ZERO,
            "W",
            &mut || {},
        )
        .unwrap();
        assert!(
            names(dir.path()).is_empty(),
            "a directory lock leaves no file"
        );
    }
}
