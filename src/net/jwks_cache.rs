//! The key-set cache in `HOME/jwks-cache/` and the decision when to fetch (DECISIONS §9).
//!
//! One file per URL (`<hash of the URL>.json`, mode 0600, in a 0700 directory), holding the
//! document as fetched and when: a JWKS, or an issuer's discovery document. Rules:
//! - A copy is fresh for the response's `Cache-Control: max-age`, bounded to
//!   [`MIN_MAX_AGE`]..=[`MAX_MAX_AGE`] ([`DEFAULT_MAX_AGE`] without one); while fresh, nothing is
//!   requested. A stale copy is revalidated with its `ETag` (`If-None-Match`; a 304 keeps it).
//! - A token whose `kid` the set lacks may trigger one refetch ([`Remote::refetch`]), unless a
//!   request for that URL was made less than [`COOLDOWN`] seconds ago, by this process or
//!   another: a flood of made-up kids costs the issuer at most one request per 30 s.
//! - A refetch that fails keeps the cached set (it is still fresh); a stale set that cannot be
//!   refetched is an error. `--offline` uses the cached copy whatever its age, and fails
//!   plainly when there is none.
//! - Ages are measured on jwtctl's clock (`--now`/`JWTCTL_NOW`, DECISIONS §5), so scripts and
//!   tests are deterministic. A copy from jwtctl's future (an earlier `--now`) is stale.
//! - Processes share the cache: a fetch happens under a per-URL lock (`<hash>.lock`), and a
//!   process that waited re-reads the copy the other one wrote instead of fetching again;
//!   copies are replaced atomically (`files::write_atomic`), so a reader sees the old copy or
//!   the new one, whole. Reading a fresh copy takes no lock.
//! - Documents are checked before they are cached: nothing invalid is ever kept.

use super::client::{Client, Fetched, MAX_DOCUMENT_BYTES};
use super::document::{parse_discovery, parse_jwks};
use super::{Fetch, NetError, Source, Url};
use crate::files;
use crate::keys::Loaded;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Seconds a copy stays fresh when the response says nothing (`Cache-Control: max-age`).
pub const DEFAULT_MAX_AGE: u64 = 600;
/// The shortest freshness honoured: `max-age=0` or `no-cache` must not make every run fetch.
pub const MIN_MAX_AGE: u64 = 60;
/// The longest freshness honoured: a key set is looked at again at least daily.
pub const MAX_MAX_AGE: u64 = 86_400;
/// Seconds after any request for a URL before an unknown `kid` may cause another.
pub const COOLDOWN: i64 = 30;

/// The cache directory's name inside the home.
pub const DIR: &str = "jwks-cache";

/// The record format; another value is ignored (refetched), never misread.
const FORMAT: u32 = 1;

/// A cached document and its times (jwtctl's clock, Unix seconds).
#[derive(Serialize, Deserialize)]
struct Record {
    format: u32,
    /// The canonical URL: a copy is used only for the URL it was fetched from.
    url: String,
    /// When the document was last confirmed (a 200 or a 304).
    fetched: i64,
    /// Seconds it stays fresh after `fetched`.
    max_age: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    etag: Option<String>,
    /// When a request for this URL was last made, whatever came of it (the cooldown).
    requested: i64,
    /// The document as fetched.
    body: String,
}

impl Record {
    fn fresh(&self, now: i64) -> bool {
        now >= self.fetched && now - self.fetched < i64::try_from(self.max_age).unwrap_or(0)
    }

    fn may_request(&self, now: i64) -> bool {
        now < self.requested || now - self.requested >= COOLDOWN
    }
}

fn bounded_max_age(max_age: Option<u64>) -> u64 {
    max_age
        .unwrap_or(DEFAULT_MAX_AGE)
        .clamp(MIN_MAX_AGE, MAX_MAX_AGE)
}

/// The cache directory.
struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// The file for `url` with extension `ext`: the first 128 bits of SHA-256 of its canonical
    /// form, in hex (a URL is never a path).
    fn path(&self, url: &Url, ext: &str) -> PathBuf {
        let digest =
            aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, url.canonical().as_bytes());
        let name: String = digest.as_ref()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        self.dir.join(format!("{name}.{ext}"))
    }

    /// The record for `url`, if a readable one is there. A missing, unparsable or foreign
    /// record is none (it is refetched and replaced); one others may read or change is
    /// refused (exit 11, like the keyring).
    fn read(&self, url: &Url) -> Result<Option<Record>> {
        let path = self.path(url, "json");
        if std::fs::symlink_metadata(&path).is_err() {
            return Ok(None);
        }
        files::check_private(&self.dir, "key-set cache directory")?;
        let limit = 4 * MAX_DOCUMENT_BYTES + 4096;
        let bytes = match files::read_private(&path, limit, "cached key set") {
            Ok(bytes) => bytes,
            Err(e) if matches!(e.downcast_ref(), Some(files::FileError::Unsafe { .. })) => {
                return Err(e);
            }
            Err(_) => return Ok(None),
        };
        Ok(serde_json::from_slice::<Record>(&bytes)
            .ok()
            .filter(|r| r.format == FORMAT && r.url == url.canonical()))
    }

    /// Replaces the record atomically, mode 0600.
    fn write(&self, record: &Record, url: &Url) -> Result<()> {
        files::create_private_dir(&self.dir)?;
        let bytes = serde_json::to_vec(record).context("encoding the cache record")?;
        files::write_atomic(&self.path(url, "json"), &bytes, 0o600, true)
            .with_context(|| format!("caching the key set of {url}"))
    }

    /// Locks `url`'s lock file (created 0600, never removed, so a lock cannot be split across
    /// two inodes), waiting at most `wait`.
    fn lock(&self, url: &Url, wait: Duration) -> Result<std::fs::File> {
        use std::os::unix::fs::OpenOptionsExt;
        files::create_private_dir(&self.dir)?;
        let path = self.path(url, "lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .mode(0o600)
            .open(&path)
            .with_context(|| format!("opening {}", path.display()))?;
        let start = Instant::now();
        let mut pause = Duration::from_millis(2);
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(file),
                Err(std::fs::TryLockError::WouldBlock) => {}
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(
                        anyhow::Error::from(e).context(format!("locking {}", path.display()))
                    );
                }
            }
            let waited = start.elapsed();
            if waited >= wait {
                return Err(files::FileError::Busy {
                    message: format!(
                        "another jwtctl has been fetching {url} for {}s; gave up waiting",
                        waited.as_secs()
                    ),
                    hint: "retry".into(),
                }
                .into());
            }
            std::thread::sleep(pause.min(wait.saturating_sub(waited)));
            pause = (pause * 2).min(Duration::from_millis(50));
        }
    }
}

/// What the caller wants of a URL's document.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    /// The cached copy while fresh, else fetch.
    Fresh,
    /// A newer copy than the one in hand (an unknown kid), subject to the cooldown.
    Newer,
    /// Fetch whatever the cache holds (`jwks --refresh`).
    Force,
}

/// What [`Remote::get`] gives.
enum Got<T> {
    /// A document (parsed, as text) and a note for stderr.
    Doc(T, String, Option<String>),
    /// No newer document: not asked for now (`None`), or the request failed (why).
    Kept(Option<String>),
}

/// A key set and where it came from.
pub struct KeySetDoc {
    /// The usable keys (checked like a `--key` JWKS; never a secret).
    pub keys: Loaded,
    /// The JWKS as fetched.
    pub text: String,
    /// The JWKS URL (for `--issuer`, the discovery document's `jwks_uri`).
    pub url: Url,
    /// Something to tell the user on stderr (a stale copy used `--offline`).
    pub note: Option<String>,
}

/// The outcome of [`Remote::refetch`].
pub enum Refetch {
    /// A newer copy of the set (it may still lack the kid).
    Done(KeySetDoc),
    /// No request: the cooldown, or `--offline`.
    Skipped,
    /// The request failed; the cached set stays in use. Why, for stderr.
    Failed(String),
}

/// The key set of one `--jwks-url` or `--issuer`, through the cache.
pub struct Remote {
    source: Source,
    fetch: Fetch,
    cache: Cache,
    now: i64,
    client: OnceLock<Client>,
    jwks_url: OnceLock<Url>,
}

impl Remote {
    /// The key set of `source`, cached in `home`, at time `now`. Nothing is read or fetched yet.
    #[must_use]
    pub fn new(home: &Path, source: Source, fetch: Fetch, now: i64) -> Remote {
        Remote {
            source,
            fetch,
            cache: Cache {
                dir: home.join(DIR),
            },
            now,
            client: OnceLock::new(),
            jwks_url: OnceLock::new(),
        }
    }

    /// The key set: the cached copy while fresh, else fetched (with `force`, fetched whatever
    /// the cache holds). For an issuer, its discovery document first.
    pub fn key_set(&self, force: bool) -> Result<KeySetDoc> {
        let want = if force { Want::Force } else { Want::Fresh };
        let (url, first_note) = self.jwks_url(want)?;
        let parse = |b: &[u8]| parse_jwks(&url, b);
        match self.get(&url, want, &parse)? {
            Got::Doc(keys, text, note) => Ok(KeySetDoc {
                keys,
                text,
                url,
                note: note.or(first_note),
            }),
            Got::Kept(_) => Err(anyhow::anyhow!("no key set for {url}")),
        }
    }

    /// After a token named a kid the set lacks: a newer copy of the set, unless a request for
    /// its URL was made less than [`COOLDOWN`] seconds ago (by any jwtctl) or `--offline`.
    pub fn refetch(&self) -> Result<Refetch> {
        let (url, _) = self.jwks_url(Want::Fresh)?;
        let parse = |b: &[u8]| parse_jwks(&url, b);
        Ok(match self.get(&url, Want::Newer, &parse)? {
            Got::Doc(keys, text, note) => Refetch::Done(KeySetDoc {
                keys,
                text,
                url,
                note,
            }),
            Got::Kept(None) => Refetch::Skipped,
            Got::Kept(Some(why)) => Refetch::Failed(why),
        })
    }

    /// The JWKS URL: given, or the issuer's `jwks_uri` (its discovery document through the
    /// cache).
    fn jwks_url(&self, want: Want) -> Result<(Url, Option<String>)> {
        let issuer = match &self.source {
            Source::Jwks(url) => return Ok((url.clone(), None)),
            Source::Issuer(issuer) => issuer,
        };
        if let Some(url) = self.jwks_url.get() {
            return Ok((url.clone(), None));
        }
        let discovery = issuer.discovery();
        let parse = |b: &[u8]| parse_discovery(b, issuer, &discovery);
        match self.get(&discovery, want, &parse)? {
            Got::Doc(url, _, note) => Ok((self.jwks_url.get_or_init(|| url).clone(), note)),
            Got::Kept(_) => Err(anyhow::anyhow!("no discovery document for {issuer}")),
        }
    }

    /// The HTTP client, built on first use.
    fn client(&self) -> Result<&Client> {
        if let Some(client) = self.client.get() {
            return Ok(client);
        }
        let client = Client::new(&self.fetch)?;
        Ok(self.client.get_or_init(|| client))
    }

    /// The cached record of `url` and its parsed document; a record whose document no longer
    /// parses (another jwtctl's format, a changed issuer) counts as none.
    fn cached<T>(
        &self,
        url: &Url,
        parse: &dyn Fn(&[u8]) -> Result<T, NetError>,
    ) -> Result<Option<(Record, T)>> {
        Ok(self
            .cache
            .read(url)?
            .and_then(|r| parse(r.body.as_bytes()).ok().map(|v| (r, v))))
    }

    /// `url`'s document as `want` says, through the cache (the rules at the top).
    fn get<T>(
        &self,
        url: &Url,
        want: Want,
        parse: &dyn Fn(&[u8]) -> Result<T, NetError>,
    ) -> Result<Got<T>> {
        let now = self.now;
        let cached = self.cached(url, parse)?;
        match self.decide(cached.as_ref().map(|(r, _)| r), want, false) {
            Decision::Use => return Ok(take(cached)),
            Decision::Keep => return Ok(Got::Kept(None)),
            Decision::Fetch => {}
        }
        if self.fetch.offline {
            return match cached {
                Some((r, v)) => {
                    let note = format!(
                        "the cached copy of {url} is stale (fetched {} ago); --offline uses it",
                        crate::time::span(now.abs_diff(r.fetched))
                    );
                    Ok(Got::Doc(v, r.body, Some(note)))
                }
                None => Err(NetError::Fetch {
                    message: format!("--offline, and no copy of {url} is cached"),
                    hint: "run once without --offline to fill the cache (e.g. jwtctl jwks \
                           --url URL, or --issuer URL)"
                        .into(),
                }
                .into()),
            };
        }
        let _lock = self
            .cache
            .lock(url, self.fetch.timeout * 2 + Duration::from_secs(5))?;
        // Another jwtctl may have fetched while this one waited for the lock.
        let seen = cached.as_ref().map(|(r, _)| r.requested);
        let cached = self.cached(url, parse)?;
        let changed = cached.as_ref().map(|(r, _)| r.requested) != seen;
        match self.decide(cached.as_ref().map(|(r, _)| r), want, changed) {
            Decision::Use => return Ok(take(cached)),
            Decision::Keep => return Ok(Got::Kept(None)),
            Decision::Fetch => {}
        }
        let etag = cached.as_ref().and_then(|(r, _)| r.etag.clone());
        let failure = match self.client()?.get(url, etag.as_deref()) {
            Ok(Fetched::NotModified { max_age }) => match cached {
                Some((mut r, v)) => {
                    r.fetched = now;
                    r.requested = now;
                    r.max_age = bounded_max_age(max_age);
                    self.cache.write(&r, url)?;
                    return Ok(Got::Doc(v, r.body, None));
                }
                None => NetError::Fetch {
                    message: format!("{} answered 304 to a request for a new copy", url.host()),
                    hint: "retry".into(),
                },
            },
            Ok(Fetched::Document {
                bytes,
                etag,
                max_age,
            }) => match parse(&bytes) {
                Ok(v) => {
                    let record = Record {
                        format: FORMAT,
                        url: url.canonical(),
                        fetched: now,
                        max_age: bounded_max_age(max_age),
                        etag,
                        requested: now,
                        // `parse` read it as JSON text, so it is UTF-8.
                        body: String::from_utf8_lossy(&bytes).into_owned(),
                    };
                    self.cache.write(&record, url)?;
                    return Ok(Got::Doc(v, record.body, None));
                }
                Err(e) => e,
            },
            Err(e) => e,
        };
        // The request counts for the cooldown whatever came of it.
        if let Some((mut r, _)) = cached {
            r.requested = now;
            let _ = self.cache.write(&r, url);
        }
        match want {
            Want::Newer => Ok(Got::Kept(Some(failure.to_string()))),
            Want::Fresh | Want::Force => Err(failure.into()),
        }
    }

    /// Whether `cached` already answers `want` without a request. `changed`: another jwtctl
    /// wrote it since this one first looked (a newer copy, for [`Want::Newer`]).
    fn decide(&self, cached: Option<&Record>, want: Want, changed: bool) -> Decision {
        let now = self.now;
        match (want, cached) {
            (Want::Fresh, Some(r)) if r.fresh(now) => Decision::Use,
            (Want::Newer, Some(_)) if changed => Decision::Use,
            (Want::Newer, Some(r)) if !r.may_request(now) => Decision::Keep,
            (Want::Newer, _) if self.fetch.offline => Decision::Keep,
            _ => Decision::Fetch,
        }
    }
}

/// What to do about a URL's document.
enum Decision {
    /// Use the cached copy.
    Use,
    /// No newer copy now (the cooldown, `--offline`).
    Keep,
    /// Request it.
    Fetch,
}

/// The document of a cached pair.
fn take<T>(cached: Option<(Record, T)>) -> Got<T> {
    match cached {
        Some((r, v)) => Got::Doc(v, r.body, None),
        None => Got::Kept(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(fetched: i64, max_age: u64, requested: i64) -> Record {
        Record {
            format: FORMAT,
            url: String::new(),
            fetched,
            max_age,
            etag: None,
            requested,
            body: String::new(),
        }
    }

    #[test]
    fn freshness_and_cooldown_on_jwtctl_clock() {
        let r = record(1000, 600, 1000);
        assert!(r.fresh(1000) && r.fresh(1599));
        assert!(!r.fresh(1600), "stale after max-age");
        assert!(!r.fresh(999), "a copy from the future is stale");
        assert!(!r.may_request(1029));
        assert!(r.may_request(1030));
        assert!(
            r.may_request(900),
            "a request from the future does not block"
        );
    }

    #[test]
    fn max_age_is_bounded() {
        assert_eq!(bounded_max_age(None), 600);
        assert_eq!(bounded_max_age(Some(0)), 60);
        assert_eq!(bounded_max_age(Some(300)), 300);
        assert_eq!(bounded_max_age(Some(10_000_000)), 86_400);
    }
}
