//! A headless Chromium driven over WebDriver (W3C, through Debian's `chromedriver`), spoken
//! as a handful of JSON requests with the tests' HTTP client: no WebDriver crate. The driver runs
//! on a free loopback port, the browser in a fresh profile directory; both stop when dropped.

use super::server::{PATIENCE, get, post};
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The W3C key of an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A browser session.
pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    _profile: tempfile::TempDir,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

impl Browser {
    /// Starts chromedriver and a headless Chromium; fails naming the package when either is
    /// missing.
    pub fn start() -> Browser {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "chromedriver must be installed for the browser test \
                     (apt-get install chromium chromium-driver): {e}"
                )
            });
        let base = format!("http://127.0.0.1:{port}");
        let start = Instant::now();
        loop {
            let ready = std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() && {
                let a = get(&format!("{base}/status"), &[]);
                a.status == 200 && a.json()["value"]["ready"] == true
            };
            if ready {
                break;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "chromedriver did not become ready"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::TempDir::new().expect("a profile directory");
        let binary = ["/usr/bin/chromium", "/usr/lib/chromium/chromium"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists())
            .expect("chromium must be installed for the browser test (apt-get install chromium)");
        let args = [
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": binary, "args": args },
        }}});
        let mut browser = Browser {
            driver,
            base,
            session: String::new(),
            _profile: profile,
        };
        let created = browser.call("POST", "/session", &caps);
        browser.session = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no WebDriver session: {created}"))
            .to_owned();
        browser
    }

    fn call(&self, method: &str, path: &str, body: &Value) -> Value {
        let url = format!("{}{path}", self.base);
        let a = match method {
            "GET" => get(&url, &[]),
            _ => post(&url, "application/json", &body.to_string(), &[]),
        };
        assert_eq!(a.status, 200, "WebDriver {method} {path}: {}", a.body);
        a.json()["value"].clone()
    }

    fn session(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    /// Opens `url`.
    pub fn goto(&self, url: &str) {
        self.call("POST", &self.session("/url"), &json!({ "url": url }));
    }

    /// The URL the browser is on.
    pub fn url(&self) -> String {
        self.call("GET", &self.session("/url"), &Value::Null)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The page source.
    pub fn source(&self) -> String {
        self.call("GET", &self.session("/source"), &Value::Null)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    fn element(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            &self.session("/element"),
            &json!({ "using": "css selector", "value": css }),
        );
        v[ELEMENT].as_str().unwrap_or_default().to_owned()
    }

    /// Types `text` into the element `css` selects.
    pub fn type_into(&self, css: &str, text: &str) {
        let id = self.element(css);
        self.call(
            "POST",
            &self.session(&format!("/element/{id}/value")),
            &json!({ "text": text }),
        );
    }

    /// Clicks the element `css` selects.
    pub fn click(&self, css: &str) {
        let id = self.element(css);
        self.call(
            "POST",
            &self.session(&format!("/element/{id}/click")),
            &json!({}),
        );
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = ureq::delete(&format!("{}/session/{}", self.base, self.session)).call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
