//! The log of `serve`, on stderr: one line per request (remote address, method, path, status,
//! milliseconds, client id, OAuth error code) as text or, with `--json-log`, as a JSON object.
//! Never a token, a secret, a password or a code: the path is logged without its query, and
//! nothing of a body or a header is.

use serde_json::json;
use std::io::Write;
use std::sync::OnceLock;

/// How lines are written, set once at start-up.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub json: bool,
    pub quiet: bool,
}

static STYLE: OnceLock<Style> = OnceLock::new();

/// Sets the style (the first call wins).
pub fn init(style: Style) {
    let _ = STYLE.set(style);
}

fn style() -> Style {
    STYLE.get().copied().unwrap_or(Style {
        json: false,
        quiet: false,
    })
}

/// Printable text from a client-chosen value: control characters and non-ASCII escaped, cut
/// to `max` characters.
fn clean(s: &str, max: usize) -> String {
    let mut out: String = s.chars().take(max).flat_map(char::escape_default).collect();
    if s.chars().count() > max {
        out.push_str("...");
    }
    out
}

fn write_line(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err
        .write_all(line.as_bytes())
        .and_then(|()| err.write_all(b"\n"));
}

/// One request.
pub struct Line<'a> {
    pub remote: &'a str,
    pub method: &'a str,
    pub path: &'a str,
    pub status: u16,
    pub ms: f64,
    pub client: Option<&'a str>,
    pub error: Option<&'a str>,
}

/// Logs one request.
pub fn request(l: &Line<'_>) {
    let s = style();
    if s.quiet {
        return;
    }
    let path = clean(l.path, 200);
    let client = l.client.map(|c| clean(c, 100));
    if s.json {
        let v = json!({
            "remote": l.remote, "method": clean(l.method, 20), "path": path, "status": l.status,
            "ms": (l.ms * 1000.0).round() / 1000.0, "client_id": client, "error": l.error,
        });
        write_line(&v.to_string());
    } else {
        let mut line = format!(
            "jwtctl: {} {} {} {} {:.1}ms",
            l.remote,
            clean(l.method, 20),
            path,
            l.status,
            l.ms
        );
        if let Some(c) = client {
            line.push_str(&format!(" client={c}"));
        }
        if let Some(e) = l.error {
            line.push_str(&format!(" error={e}"));
        }
        write_line(&line);
    }
}

/// A message about the server itself (`event`: ready, error, stopping, stopped).
pub fn event(event: &str, message: &str) {
    let s = style();
    if s.quiet {
        return;
    }
    if s.json {
        write_line(&json!({ "event": event, "message": message }).to_string());
    } else {
        write_line(&format!("jwtctl: {event}: {message}"));
    }
}

/// A failure the client only sees as `server_error`.
pub fn error(message: &str) {
    event("error", &clean(message, 2000));
}
