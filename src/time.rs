//! Pure time parsing and formatting (DECISIONS §5). Never reads the clock: `now` is passed in.

use std::time::{Duration, UNIX_EPOCH};

/// The latest NumericDate jwtctl accepts: 9999-12-31T23:59:59Z. Larger values are malformed,
/// which also keeps every `exp + leeway` far from overflow (SECURITY.md G6).
pub const MAX_NUMERIC_DATE: i64 = 253_402_300_799;

/// Parses a point in time: Unix seconds (`1700000000`) or RFC 3339 (`2026-11-23T16:15:00Z`).
pub fn parse_instant(s: &str) -> Result<i64, String> {
    let s = s.trim();
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
    if (0..=MAX_NUMERIC_DATE).contains(&secs) {
        Ok(secs)
    } else {
        Err(format!("time {secs} is outside 1970..9999"))
    }
}

/// Parses a duration such as `15m`, `1h30m`, `7d` or `90s`; a bare number means seconds.
pub fn parse_duration(s: &str) -> Result<u64, String> {
    let s = s.trim();
    if let Ok(secs) = s.parse::<u64>() {
        return Ok(secs);
    }
    humantime::parse_duration(s)
        .map(|d| d.as_secs())
        .map_err(|e| format!("invalid duration {s:?} ({e}): use e.g. 90s, 15m, 1h30m, 7d"))
}

/// Parses `--exp`/`--nbf`: `+15m` / `-5m` relative to `now`, `@<unix>`, or an instant.
pub fn parse_time_spec(s: &str, now: i64) -> Result<i64, String> {
    let s = s.trim();
    let offset = |d: &str| {
        parse_duration(d)
            .and_then(|v| i64::try_from(v).map_err(|_| format!("duration {d:?} is too long")))
    };
    let t = if let Some(rest) = s.strip_prefix('+') {
        now.saturating_add(offset(rest)?)
    } else if let Some(rest) = s.strip_prefix('-') {
        now.saturating_sub(offset(rest)?)
    } else if let Some(rest) = s.strip_prefix('@') {
        rest.parse::<i64>()
            .map_err(|_| format!("invalid Unix time {s:?}"))?
    } else {
        return parse_instant(s);
    };
    check_range(t)
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
        assert_eq!(parse_time_spec("+15m", now), Ok(now + 900));
        assert_eq!(parse_time_spec("-1m", now), Ok(now - 60));
        assert_eq!(parse_time_spec("@1700000000", now), Ok(1_700_000_000));
        assert_eq!(
            parse_time_spec("2023-11-14T22:13:20Z", now),
            Ok(1_700_000_000)
        );
        assert!(parse_time_spec("+99999999999d", now).is_err());
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
