//! Pure time parsing and formatting (DECISIONS §5). Never reads the clock: `now` is passed in.

use std::time::{Duration, UNIX_EPOCH};

/// The latest NumericDate jwtctl accepts: 9999-12-31T23:59:59Z. Larger values are malformed,
/// which also keeps every `exp + leeway` far from overflow (SECURITY.md G6).
pub const MAX_NUMERIC_DATE: i64 = 253_402_300_799;

/// Parses a point in time: Unix seconds (`1700000000`) or RFC 3339 (`2026-11-23T16:15:00Z`).
pub fn parse_instant(s: &str) -> Result<i64, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("empty time: use Unix seconds or RFC 3339 like 2026-11-23T16:15:00Z".into());
    }
    if let Ok(secs) = s.parse::<i64>() {
        return check_range(secs);
    }
    let t = humantime::parse_rfc3339_weak(s).map_err(|_| {
        format!("invalid time {s:?}: use Unix seconds or RFC 3339 like 2026-11-23T16:15:00Z")
    })?;
    let secs = t
        .duration_since(UNIX_EPOCH)
        .map_err(|_| format!("time {s:?} is before 1970"))?;
    check_range(i64::try_from(secs.as_secs()).map_err(|_| format!("time {s:?} is out of range"))?)
}

fn check_range(secs: i64) -> Result<i64, String> {
    if secs < 0 {
        Err(format!(
            "time {secs} is before 1970: jwtctl takes NumericDates from 0 (1970-01-01T00:00:00Z)"
        ))
    } else if secs > MAX_NUMERIC_DATE {
        Err(format!(
            "time {secs} is after 9999-12-31T23:59:59Z, the latest NumericDate jwtctl accepts"
        ))
    } else {
        Ok(secs)
    }
}

/// Parses a duration such as `15m`, `1h30m`, `7d` or `90s`; a bare number means seconds.
pub fn parse_duration(s: &str) -> Result<u64, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("empty duration: use e.g. 90s, 15m, 1h30m, 7d".into());
    }
    if let Ok(secs) = s.parse::<u64>() {
        return Ok(secs);
    }
    humantime::parse_duration(s)
        .map(|d| d.as_secs())
        .map_err(|e| format!("invalid duration {s:?} ({e}): use e.g. 90s, 15m, 1h30m, 7d"))
}

/// The longest duration a flag takes: 1000 years (365-day), far beyond any sane lifetime and
/// small enough that adding it to any accepted time cannot overflow.
pub const MAX_DURATION_SECS: i64 = 1000 * 365 * 86_400;

/// Parses a duration as [`parse_duration`] does, bounded by [`MAX_DURATION_SECS`].
pub fn parse_bounded_duration(s: &str) -> Result<i64, String> {
    let secs = parse_duration(s)?;
    i64::try_from(secs)
        .ok()
        .filter(|&secs| secs <= MAX_DURATION_SECS)
        .ok_or_else(|| format!("duration {:?} is longer than 1000 years", s.trim()))
}

/// `--exp`/`--nbf` as given: an instant, or an offset from a `now` not yet known when the
/// command line is parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeSpec {
    /// Unix seconds, already in the NumericDate range.
    At(i64),
    /// Seconds after (positive) or before (negative) now.
    FromNow(i64),
}

impl TimeSpec {
    /// Parses `+15m` / `-5m` (relative to now), `@<unix>`, or an instant ([`parse_instant`]).
    pub fn parse(s: &str) -> Result<TimeSpec, String> {
        let s = s.trim();
        if let Some(rest) = s.strip_prefix('+') {
            Ok(TimeSpec::FromNow(parse_bounded_duration(rest)?))
        } else if let Some(rest) = s.strip_prefix('-') {
            Ok(TimeSpec::FromNow(-parse_bounded_duration(rest)?))
        } else if let Some(rest) = s.strip_prefix('@') {
            let secs = rest
                .parse::<i64>()
                .map_err(|_| format!("invalid Unix time {s:?}"))?;
            check_range(secs).map(TimeSpec::At)
        } else {
            parse_instant(s).map(TimeSpec::At)
        }
    }

    /// The instant, given `now`; an offset that leaves 1970..=9999 is an error.
    pub fn resolve(self, now: i64) -> Result<i64, String> {
        match self {
            TimeSpec::At(t) => Ok(t),
            TimeSpec::FromNow(d) => check_range(now.saturating_add(d)),
        }
    }
}

/// RFC 3339 in UTC, whole seconds: `2026-11-23T16:15:00Z`.
#[must_use]
pub fn rfc3339(secs: f64) -> String {
    if !(0.0..=MAX_NUMERIC_DATE as f64).contains(&secs) {
        return format!("{secs}");
    }
    // Truncation is intended: NumericDate fractions are shown as whole seconds.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let t = UNIX_EPOCH + Duration::from_secs(secs as u64);
    humantime::format_rfc3339_seconds(t).to_string()
}

/// A short human span with the two largest units: `14m 58s`, `3h 2m`, `2d 4h`, `0s`.
#[must_use]
pub fn span(secs: u64) -> String {
    const UNITS: [(u64, &str); 5] = [
        (365 * 86_400, "y"),
        (86_400, "d"),
        (3_600, "h"),
        (60, "m"),
        (1, "s"),
    ];
    for (i, (size, name)) in UNITS.iter().enumerate() {
        if secs >= *size {
            let mut out = format!("{}{name}", secs / size);
            if let Some((next, next_name)) = UNITS.get(i + 1) {
                let r = (secs % size) / next;
                if r > 0 {
                    out.push_str(&format!(" {r}{next_name}"));
                }
            }
            return out;
        }
    }
    "0s".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants() {
        assert_eq!(parse_instant("1700000000"), Ok(1_700_000_000));
        assert_eq!(parse_instant("2023-11-14T22:13:20Z"), Ok(1_700_000_000));
        assert!(parse_instant("yesterday").is_err());
        assert!(parse_instant("-5").is_err());
        assert!(parse_instant("253402300800").is_err());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("15m"), Ok(900));
        assert_eq!(parse_duration("1h30m"), Ok(5400));
        assert_eq!(parse_duration("7d"), Ok(604_800));
        assert_eq!(parse_duration("42"), Ok(42));
        assert!(parse_duration("soon").is_err());
    }

    #[test]
    fn time_specs_are_relative_to_the_given_now() {
        let now = 1_000_000;
        let at = |s: &str| TimeSpec::parse(s).and_then(|t| t.resolve(now));
        assert_eq!(at("+15m"), Ok(now + 900));
        assert_eq!(at("-1m"), Ok(now - 60));
        assert_eq!(at("@1700000000"), Ok(1_700_000_000));
        assert_eq!(at("2023-11-14T22:13:20Z"), Ok(1_700_000_000));
        assert!(TimeSpec::parse("+99999999999d").is_err());
        assert!(TimeSpec::parse("@253402300800").is_err());
        assert!(at("+999y").is_ok_and(|t| t <= MAX_NUMERIC_DATE));
        assert!(
            TimeSpec::parse("+999y")
                .unwrap()
                .resolve(MAX_NUMERIC_DATE)
                .is_err()
        );
        assert!(at("-1y").is_err(), "before 1970");
    }

    #[test]
    fn durations_are_bounded() {
        assert_eq!(
            parse_bounded_duration("1000y").map(|_| ()),
            Err("duration \"1000y\" is longer than 1000 years".to_owned())
        );
        assert!(parse_bounded_duration("999y").is_ok());
        assert!(parse_bounded_duration("99999999999999999999").is_err());
    }

    #[test]
    fn formatting() {
        assert_eq!(rfc3339(1_700_000_000.0), "2023-11-14T22:13:20Z");
        assert_eq!(span(898), "14m 58s");
        assert_eq!(span(3 * 3600 + 61), "3h 1m");
        assert_eq!(span(3600), "1h");
        assert_eq!(span(0), "0s");
        assert_eq!(span(2 * 86_400 + 5), "2d");
    }
}
