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
//! pair) is therefore never sent for a write that was not committed.

use super::app::{App, store_failed};
use crate::session::store::Store;
use anyhow::{Result, anyhow};
use std::sync::Weak;
use std::sync::mpsc::{Receiver, Sender, channel};

/// Most writes committed together: bounds how long one group holds the file's write lock.
const MAX_GROUP: usize = 64;

/// Sends one write's outcome once its group is committed (or not).
type Finish = Box<dyn FnOnce(Option<&anyhow::Error>) + Send>;
/// One queued write: runs against the store (or learns why there is none) and returns how to
/// answer it, with what failed in the store itself, if anything did.
type Job =
    Box<dyn FnOnce(Result<(&dyn Store, &App), &anyhow::Error>) -> (Finish, Option<String>) + Send>;

/// The queue to the writer thread.
pub struct Writer {
    queue: Sender<Job>,
}

impl Writer {
    /// Starts the thread; it ends when the [`Writer`] is dropped.
    pub fn start(app: Weak<App>) -> Result<Self> {
        let (queue, jobs) = channel::<Job>();
        std::thread::Builder::new()
            .name("jwtctl-writer".into())
            .spawn(move || run(&app, &jobs))?;
        Ok(Writer { queue })
    }

    /// Runs `f` on the writer thread; its value once the group it joined is committed.
    pub async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Store, &App) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let (tx, rx) = tokio::sync::oneshot::channel::<Result<T>>();
        let job: Job = Box::new(move |store| {
            let result = match store {
                Ok((store, app)) => f(store, app),
                Err(e) => Err(anyhow!("{e:#}")),
            };
            let broken = match &result {
                Err(e) if store_failed(e) => Some(format!("{e:#}")),
                _ => None,
            };
            let finish: Finish = Box::new(move |group_failed| {
                let answer = match group_failed {
                    Some(e) => Err(anyhow!("{e:#}")),
                    None => result,
                };
                let _ = tx.send(answer);
            });
            (finish, broken)
        });
        self.queue
            .send(job)
            .map_err(|_| anyhow!("the store's writer thread has stopped"))?;
        rx.await
            .map_err(|_| anyhow!("the store's writer thread has stopped"))?
    }
}

fn run(app: &Weak<App>, jobs: &Receiver<Job>) {
    let mut store: Option<Box<dyn Store>> = None;
    while let Ok(first) = jobs.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match jobs.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let Some(app) = app.upgrade() else { return };
        let opened = match store.take() {
            Some(s) => Ok(s),
            None => app.open_store(),
        };
        match opened {
            Ok(s) => {
                if commit(&app, s.as_ref(), group) {
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
fn commit(app: &App, store: &dyn Store, group: Vec<Job>) -> bool {
    let mut finishes: Vec<Finish> = Vec::with_capacity(group.len());
    let mut pending = Some(group);
    let outcome = store.group(&mut || {
        let mut broken = None;
        for job in pending.take().into_iter().flatten() {
            let (finish, failed) = job(Ok((store, app)));
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
    failed.is_none()
}
