//! Rate limiting: token buckets per client id and per remote address on the endpoints that
//! issue tokens or take passwords (`/token`, `/login`, `/refresh`, `/authorize`). The buckets sit
//! behind [`Limiter`], so a store shared by several `serve` processes (Redis) can hold them
//! instead and the limit holds across instances; [`Local`] keeps them in this process and
//! [`Shared`] on the Redis store (chosen when `--store` is `redis://` or `rediss://`).
//!
//! [`Shared`] runs on the Redis server's clock (`TIME`), not on `--now`: a fixed `--now` would
//! never refill a bucket, and processes on several hosts would disagree on how much time passed.
//! ([`Local`] likewise runs on this process's monotonic clock.) When Redis cannot be reached
//! the check fails closed: the request is answered 503 and the cause logged. The store is the
//! same server, so the grants behind these endpoints could not be served anyway, and falling
//! back to per-process buckets would multiply the limit by the number of instances exactly when
//! the shared one is needed.

use super::config::Bucket;
use crate::session::store::redis::RedisStore;
use crate::session::store::target::{Options, Server};
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

/// Most buckets kept in memory; past it, full (idle) buckets are dropped first.
const MAX_BUCKETS: usize = 100_000;

/// Takes one request from the bucket `key` (e.g. `client:web`, `addr:127.0.0.1`) refilled as
/// `bucket` says. `Ok(Err(seconds))`: refused, retry after that long; `Err`: the buckets could
/// not be reached (a shared limiter's server), the request is refused with 503.
pub trait Limiter: Send + Sync {
    fn take(&self, key: &str, bucket: Bucket) -> anyhow::Result<Result<(), u64>>;
}

/// Buckets in this process's memory.
#[derive(Default)]
pub struct Local {
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl Local {
    fn take_at(&self, key: &str, bucket: Bucket, now: Instant) -> Result<(), u64> {
        let mut map = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() >= MAX_BUCKETS && !map.contains_key(key) {
            // Idle buckets are full again: forgetting them changes nothing.
            let full_after = bucket.burst / bucket.rate;
            map.retain(|_, (_, at)| now.duration_since(*at).as_secs_f64() < full_after);
            if map.len() >= MAX_BUCKETS {
                map.clear();
            }
        }
        let (tokens, at) = map.entry(key.to_owned()).or_insert((bucket.burst, now));
        let refilled =
            (*tokens + now.duration_since(*at).as_secs_f64() * bucket.rate).min(bucket.burst);
        *at = now;
        if refilled >= 1.0 {
            *tokens = refilled - 1.0;
            Ok(())
        } else {
            *tokens = refilled;
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let wait = ((1.0 - refilled) / bucket.rate).ceil() as u64;
            Err(wait.max(1))
        }
    }
}

impl Limiter for Local {
    fn take(&self, key: &str, bucket: Bucket) -> anyhow::Result<Result<(), u64>> {
        Ok(self.take_at(key, bucket, Instant::now()))
    }
}

/// Most idle connections to the Redis server kept for checks.
const MAX_IDLE: usize = 16;

/// Buckets on the Redis store, shared by every `serve` process on it: one script per check,
/// over connections of its own (not the store's, which belong to the blocking threads).
pub struct Shared {
    server: Server,
    options: Options,
    idle: Mutex<Vec<RedisStore>>,
}

impl Shared {
    #[must_use]
    pub fn new(server: Server, options: Options) -> Self {
        Shared {
            server,
            options,
            idle: Mutex::new(Vec::new()),
        }
    }

    fn take_blocking(&self, key: &str, bucket: Bucket) -> anyhow::Result<Result<(), u64>> {
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let conn = match idle {
            Some(c) => c,
            None => RedisStore::connect(&self.server, &self.options)?,
        };
        // A failed check drops its connection: the next one connects afresh.
        let wait = conn.take_token(key, bucket.burst, bucket.rate)?;
        let mut pool = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        if pool.len() < MAX_IDLE {
            pool.push(conn);
        }
        drop(pool);
        Ok(match wait {
            None => Ok(()),
            Some(d) => Err(d
                .as_millis()
                .div_ceil(1000)
                .try_into()
                .unwrap_or(u64::MAX)
                .max(1)),
        })
    }
}

impl Limiter for Shared {
    fn take(&self, key: &str, bucket: Bucket) -> anyhow::Result<Result<(), u64>> {
        // Called from a handler on serve's multi-threaded runtime: tell it this thread blocks
        // for the round trip (a bare blocking call elsewhere).
        match tokio::runtime::Handle::try_current() {
            Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
                tokio::task::block_in_place(|| self.take_blocking(key, bucket))
            }
            _ => self.take_blocking(key, bucket),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_bucket_empties_and_refills() {
        let l = Local::default();
        let b = Bucket {
            rate: 1.0,
            burst: 2.0,
        };
        let t0 = Instant::now();
        assert!(l.take_at("k", b, t0).is_ok());
        assert!(l.take_at("k", b, t0).is_ok());
        assert_eq!(l.take_at("k", b, t0), Err(1));
        assert!(l.take_at("other", b, t0).is_ok(), "buckets are per key");
        assert!(l.take_at("k", b, t0 + Duration::from_millis(1100)).is_ok());
        let slow = Bucket {
            rate: 0.1,
            burst: 1.0,
        };
        assert!(l.take_at("s", slow, t0).is_ok());
        assert_eq!(l.take_at("s", slow, t0), Err(10));
    }
}
