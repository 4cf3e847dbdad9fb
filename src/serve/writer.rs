//! One thread that makes every write of a server on the local SQLite store, committing the
//! writes queued meanwhile together ("group commit").
//!
//! SQLite takes one writer at a time, and a commit costs more than the rotation it commits (WAL
//! frames written, the page cache of every other connection made stale: bench/README.md,
//! serve). So the server's writes queue here: the thread takes every write waiting (at most
//! [`MAX_GROUP`]), runs each in a savepoint of one transaction (`Store::group`) on the one
//! connection it keeps, commits once, and only then answers each. A write that fails is rolled
//! back alone and answered with its error; when the commit itself fails, every write of the
//! group is answered with that error and nothing of the group is recorded. An answer (a token
//! pair) is therefore never sent for a write that was not committed. A write that panics (a
//! bug) abandons its group the same way: the connection is closed, which rolls the group back,
//! its writes are answered with an error, and the thread goes on with a new connection.

use super::app::store_failed;
use crate::session::store::{Store, StoreError};
use anyhow::{Result, anyhow};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, Sender, channel};

/// Most writes committed together: bounds how long one group holds the file's write lock.
const MAX_GROUP: usize = 64;

/// Opens the store the writer keeps.
pub type Open = Box<dyn Fn() -> Result<Box<dyn Store>> + Send>;
/// Sends one write's outcome once its group is committed (or not).
type Finish = Box<dyn FnOnce(Option<&anyhow::Error>) + Send>;
/// One queued write: runs against the store (or learns why there is none) and returns how to
/// answer it, with what failed in the store itself, if anything did.
type Job = Box<dyn FnOnce(Result<&dyn Store, &anyhow::Error>) -> (Finish, Option<String>) + Send>;

/// The queue to the writer thread.
pub struct Writer {
    queue: Sender<Job>,
}

impl Writer {
    /// Starts the thread, which opens its store with `open` when it first needs one (and again
    /// after a failure); it ends when the [`Writer`] is dropped.
    pub fn start(open: Open) -> Result<Self> {
        let (queue, jobs) = channel::<Job>();
        std::thread::Builder::new()
            .name("jwtctl-writer".into())
            .spawn(move || run(&open, &jobs))?;
        Ok(Writer { queue })
    }

    /// Runs `f` on the writer thread; its value once the group it joined is committed.
    pub async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Store) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let (tx, rx) = tokio::sync::oneshot::channel::<Result<T>>();
        let job: Job = Box::new(move |store| {
            let result = match store {
                Ok(store) => f(store),
                Err(e) => Err(copy(e)),
            };
            let broken = match &result {
                Err(e) if store_failed(e) => Some(format!("{e:#}")),
                _ => None,
            };
            let finish: Finish = Box::new(move |group_failed| {
                let answer = match group_failed {
                    Some(e) => Err(copy(e)),
                    None => result,
                };
                let _ = tx.send(answer);
            });
            (finish, broken)
        });
        self.queue
            .send(job)
            .map_err(|_| anyhow!("the store's writer thread has stopped"))?;
        // A dropped answer: its group was abandoned by a panic (see the module comment).
        rx.await
            .map_err(|_| anyhow!("the write was abandoned; nothing of its group was recorded"))?
    }
}

/// `e` again for another write of the group: its message, and the [`StoreError`] in it, if
/// any, so the answer is the same as for a write that failed alone (a busy store: 503).
fn copy(e: &anyhow::Error) -> anyhow::Error {
    let found = e.chain().find_map(|c| c.downcast_ref::<StoreError>());
    match found {
        Some(s) if s.to_string() == format!("{e:#}") => anyhow::Error::new(s.clone()),
        Some(s) => anyhow::Error::new(s.clone()).context(format!("{e:#}")),
        None => anyhow!("{e:#}"),
    }
}

fn run(open: &Open, jobs: &Receiver<Job>) {
    let mut store: Option<Box<dyn Store>> = None;
    while let Ok(first) = jobs.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match jobs.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let opened = match store.take() {
            Some(s) => Ok(s),
            None => open(),
        };
        match opened {
            // A panic drops the store (its connection rolls back what the group wrote) and the
            // group's answers (each then learns it was abandoned).
            Ok(s) => {
                if let Ok(true) = catch_unwind(AssertUnwindSafe(|| commit(s.as_ref(), group))) {
                    store = Some(s);
                }
            }
            Err(e) => {
                for job in group {
                    job(Err(&e)).0(Some(&e));
                }
            }
        }
    }
}

/// Runs `group` in one `Store::group` and answers each write; whether the store is still good.
fn commit(store: &dyn Store, group: Vec<Job>) -> bool {
    let mut finishes: Vec<Finish> = Vec::with_capacity(group.len());
    let mut pending = Some(group);
    let outcome = store.group(&mut || {
        let mut broken = None;
        for job in pending.take().into_iter().flatten() {
            let (finish, failed) = job(Ok(store));
            finishes.push(finish);
            broken = broken.or(failed);
        }
        match broken {
            // A write hit a failure of the store itself (I/O, a full disk): commit none.
            Some(why) => Err(anyhow!("{why}; no write of its group was recorded")),
            None => Ok(()),
        }
    });
    let failed = outcome.err();
    for finish in finishes {
        finish(failed.as_ref());
    }
    // The group's transaction could not begin (the file locked by another process for longer
    // than the wait): its writes never ran, and each learns why.
    if let Some(e) = &failed {
        for job in pending.into_iter().flatten() {
            job(Err(e)).0(Some(e));
        }
    }
    failed.is_none()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::session::store::Filter;
    use crate::session::store::sqlite::tests::family;
    use crate::session::store::sqlite::{DEFAULT_WAIT, SqliteStore};
    use std::path::Path;

    fn login(store: &dyn Store, id: &str) -> Result<String> {
        let (f, t) = family(id);
        store.open_family(&f, &t, 1000, &mut || Ok(()))?;
        Ok(id.to_owned())
    }

    fn recorded(path: &Path) -> Vec<String> {
        let store = SqliteStore::create(path, DEFAULT_WAIT).unwrap();
        let mut ids: Vec<String> = store
            .families(&Filter::default())
            .unwrap()
            .into_iter()
            .map(|l| l.family.id)
            .collect();
        ids.sort();
        ids
    }

    /// A group whose transaction cannot begin (another process holds the file's write lock past
    /// the wait) answers its writes with the store's own error, and the next group writes.
    #[test]
    fn a_locked_store_answers_with_its_error_and_the_next_write_goes_through() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("refresh.db");
        let file = path.clone();
        let wait = std::time::Duration::from_millis(200);
        let writer = Writer::start(Box::new(move || {
            Ok(Box::new(SqliteStore::create(&file, wait)?) as Box<dyn Store>)
        }))
        .unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        assert_eq!(rt.block_on(writer.write(|s| login(s, "a"))).unwrap(), "a");
        let holder = rusqlite::Connection::open(&path).unwrap();
        holder.execute_batch("BEGIN IMMEDIATE").unwrap();
        let err = rt
            .block_on(writer.write(|s| login(s, "b")))
            .unwrap_err()
            .to_string();
        assert!(err.contains("locked by another process"), "{err}");
        let busy = rt.block_on(writer.write(|s| login(s, "b2"))).unwrap_err();
        assert!(
            matches!(
                busy.downcast_ref::<StoreError>(),
                Some(StoreError::Busy { .. })
            ),
            "the store's own error, so serve answers 503: {busy:#}"
        );
        holder.execute_batch("ROLLBACK").unwrap();
        assert_eq!(rt.block_on(writer.write(|s| login(s, "c"))).unwrap(), "c");
        assert_eq!(recorded(&path), ["a", "c"]);
    }

    /// Whatever the grouping (the thread takes what is queued when it looks), a write is
    /// recorded exactly when it was answered `Ok`; a panicking write is answered with an error
    /// and the writer goes on.
    #[test]
    fn a_write_answers_ok_exactly_when_recorded_and_a_panic_does_not_stop_the_writer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("refresh.db");
        let file = path.clone();
        let writer = Writer::start(Box::new(move || {
            Ok(Box::new(SqliteStore::create(&file, DEFAULT_WAIT)?) as Box<dyn Store>)
        }))
        .unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let answers: Vec<Result<String>> = rt.block_on(async {
            let mut all = Vec::new();
            for round in 0..20 {
                let ok1 = writer.write(move |s| login(s, &format!("a{round:02}")));
                let boom = writer.write(move |s| {
                    login(s, &format!("p{round:02}"))?;
                    panic!("a bug in a grouped write")
                });
                let ok2 = writer.write(move |s| login(s, &format!("b{round:02}")));
                let (x, y, z) = tokio::join!(ok1, boom, ok2);
                all.extend([x, y, z]);
            }
            all
        });
        let mut answered_ok: Vec<String> = answers
            .iter()
            .filter_map(|a| a.as_ref().ok().cloned())
            .collect();
        answered_ok.sort();
        assert_eq!(recorded(&path), answered_ok);
        assert!(answers.iter().all(|a| match a {
            Ok(id) => !id.starts_with('p'),
            Err(e) => e.to_string().contains("abandoned"),
        }));
        // After 20 panics the writer still writes.
        let last = rt.block_on(writer.write(|s| login(s, "z")));
        assert_eq!(last.unwrap(), "z");
        assert!(recorded(&path).contains(&"z".to_owned()));
    }
}
