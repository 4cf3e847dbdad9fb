//! Rate limiting: token buckets per client id and per remote address on the endpoints that
//! issue tokens or take passwords (`/token`, `/login`, `/refresh`, `/authorize`). The buckets sit
//! behind [`Limiter`], so a store shared by several `serve` processes (Redis) can hold them
//! instead and the limit holds across instances; [`Local`] keeps them in this process.

use super::config::Bucket;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Most buckets kept in memory; past it, full (idle) buckets are dropped first.
const MAX_BUCKETS: usize = 100_000;

/// Takes one request from the bucket `key` (e.g. `client:web`, `addr:127.0.0.1`) refilled as
/// `bucket` says. `Err(seconds)`: refused, retry after that long.
pub trait Limiter: Send + Sync {
    fn take(&self, key: &str, bucket: Bucket) -> Result<(), u64>;
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
    fn take(&self, key: &str, bucket: Bucket) -> Result<(), u64> {
        self.take_at(key, bucket, Instant::now())
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
