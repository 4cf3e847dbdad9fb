//! The only module that writes: data to stdout, messages to stderr, colour decided per stream,
//! and attacker-controlled text escaped before it reaches a terminal (DECISIONS §2).

use crate::edge::exit::Exit;
use crate::edge::input;
use clap::ValueEnum;
use colored::Colorize;
use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

/// `--color`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Decides colour for one stream: `--color`, then NO_COLOR / TERM=dumb, then whether the
/// stream is a terminal.
#[must_use]
pub fn use_color(choice: ColorChoice, no_color: bool, dumb: bool, is_tty: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => !no_color && !dumb && is_tty,
    }
}

/// [`use_color`] for a stream that is (or is not) a terminal, reading NO_COLOR and TERM. Also
/// decides for clap's own help and error output, so `--color` and NO_COLOR reach it too.
#[must_use]
pub fn color_for(choice: ColorChoice, is_tty: bool) -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var_os("TERM").is_some_and(|v| v == "dumb");
    use_color(choice, no_color, dumb, is_tty)
}

/// The `--color` of a command line clap refused (its last valid use; `auto` when there is
/// none), so help and errors follow it even though parsing failed.
fn color_in(args: &[OsString]) -> ColorChoice {
    let mut choice = ColorChoice::Auto;
    let mut args = args.iter().skip(1).map(|a| a.to_str().unwrap_or(""));
    while let Some(arg) = args.next() {
        let value = match arg {
            "--" => break,
            "--color" => args.next(),
            _ => arg.strip_prefix("--color="),
        };
        if let Some(c) = value.and_then(|v| ColorChoice::from_str(v, false).ok()) {
            choice = c;
        }
    }
    choice
}

/// Prints clap's help, version or usage error, coloured as `--color` and NO_COLOR say for the
/// stream it goes to (clap would otherwise decide alone), and returns its status. A command
/// line that tries to pass a secret as a flag value gets one message instead of clap's, which
/// would repeat what was typed and suggest a flag that then echoes it.
#[must_use]
pub fn clap_error(err: &clap::Error, args: &[OsString]) -> ExitCode {
    let choice = color_in(args);
    let on_stderr = err.use_stderr();
    if on_stderr && input::secret_on_command_line(err, args) {
        Output::new(choice, false).error(
            "error",
            "no flag takes a secret's value; use --secret-file PATH, --secret-env NAME or \
             --secret-prompt",
            Some("a value on the command line is visible to other users (ps) and kept in shell history"),
        );
        return Exit::Usage.into();
    }
    let tty = if on_stderr {
        io::stderr().is_terminal()
    } else {
        io::stdout().is_terminal()
    };
    let styled = err.render();
    let text = if color_for(choice, tty) {
        styled.ansi().to_string()
    } else {
        styled.to_string()
    };
    if on_stderr {
        // clap quotes a rejected value whole: a 64 KiB --kid would fill the screen.
        to_stderr(&shorten_long_words(&mask_url_passwords(&text)));
    } else {
        let mut out = io::stdout().lock();
        // `jwtctl --help | head -1` closes stdout: that is fine (DECISIONS §1, broken pipe).
        let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    }
    ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(Exit::Usage.code()))
}

/// Longest run of non-space characters an error message shows whole.
const LONG_WORD: usize = 200;

/// `text` with every run of non-space characters longer than [`LONG_WORD`] cut to its first 60
/// and last 20 characters around a count of what was left out (the ends keep any quote and
/// colour reset around a value).
/// `scheme://user:password@` becomes `scheme://user:***@`: clap quotes a rejected `--store`
/// value whole, and a password must not reach a CI log on top of the command line.
fn mask_url_passwords(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        let (before, after) = rest.split_at(i + 3);
        out.push_str(before);
        let end = after
            .find(|c: char| c.is_whitespace() || matches!(c, '\'' | '"' | '/'))
            .unwrap_or(after.len());
        let authority = &after[..end];
        match authority
            .rfind('@')
            .and_then(|at| authority[..at].find(':').map(|colon| (colon, at)))
        {
            Some((colon, at)) => {
                out.push_str(&authority[..=colon]);
                out.push_str("***");
                out.push_str(&authority[at..]);
            }
            None => out.push_str(authority),
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

fn shorten_long_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(4096));
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let n = word.chars().count();
        if n > LONG_WORD {
            let head: String = word.chars().take(60).collect();
            let tail: String = word.chars().skip(n - 20).collect();
            out.push_str(&format!("{head}...({} characters)...{tail}", n - 80));
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_whitespace() {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Writes for a command: stdout data, stderr messages.
pub struct Output {
    quiet: bool,
    stdout_tty: bool,
    color_out: bool,
    color_err: bool,
}

impl Output {
    /// Sets up both streams from the global flags and the environment.
    #[must_use]
    pub fn new(choice: ColorChoice, quiet: bool) -> Self {
        let stdout_tty = io::stdout().is_terminal();
        let color_out = color_for(choice, stdout_tty);
        let color_err = color_for(choice, io::stderr().is_terminal());
        // We decide per stream; `colored` only paints what we ask it to.
        colored::control::set_override(true);
        Output {
            quiet,
            stdout_tty,
            color_out,
            color_err,
        }
    }

    /// Whether `-q` was given (verify then prints no claims: the status is the answer).
    #[must_use]
    pub fn quiet(&self) -> bool {
        self.quiet
    }

    /// Writes data and a newline to stdout, escaped when stdout is a terminal.
    pub fn data(&self, text: &str) -> io::Result<()> {
        let mut out = io::stdout().lock();
        if self.stdout_tty {
            out.write_all(escape_for_terminal(text).as_bytes())?;
        } else {
            out.write_all(text.as_bytes())?;
        }
        out.write_all(b"\n")?;
        out.flush()
    }

    /// Writes human-readable text and a newline to stdout as it is, so its colour codes work.
    /// Every attacker- or user-chosen piece in it must already be escaped with
    /// [`escape_field`]: the text is for a person, on a terminal or through `| less`.
    pub fn text(&self, text: &str) -> io::Result<()> {
        let mut out = io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.write_all(b"\n")?;
        out.flush()
    }

    /// A buffered writer for many lines of data (batch mode); muted by -q.
    #[must_use]
    pub fn lines(&self) -> Lines {
        Lines {
            out: io::BufWriter::with_capacity(1 << 16, io::stdout().lock()),
            tty: self.stdout_tty,
            quiet: self.quiet,
        }
    }

    /// A buffered writer for many lines of data that -q does not mute: the tokens of
    /// `sign --batch`, which are data as a single `sign`'s token is.
    #[must_use]
    pub fn data_lines(&self) -> Lines {
        Lines {
            quiet: false,
            ..self.lines()
        }
    }

    /// Paints `text` for stdout when colour is on there (headings of `decode`).
    #[must_use]
    pub fn heading(&self, text: &str) -> String {
        if self.color_out {
            text.bold().to_string()
        } else {
            text.to_owned()
        }
    }

    /// Paints a field name for stdout.
    #[must_use]
    pub fn field(&self, text: &str) -> String {
        if self.color_out {
            text.cyan().to_string()
        } else {
            text.to_owned()
        }
    }

    /// `jwtctl: <label>: <message>` on stderr, with a hint line; muted by -q like every message
    /// (the exit status is then the answer).
    pub fn error(&self, label: &str, message: &str, hint: Option<&str>) {
        if self.quiet {
            return;
        }
        let label = if self.color_err {
            label.red().bold().to_string()
        } else {
            label.to_owned()
        };
        let mut text = format!("jwtctl: {label}: {}\n", escape_for_terminal(message));
        if let Some(hint) = hint {
            let h = if self.color_err {
                "hint".yellow().to_string()
            } else {
                "hint".to_owned()
            };
            text.push_str(&format!("{h}: {}\n", escape_for_terminal(hint)));
        }
        to_stderr(&text);
    }

    /// A warning or note on stderr, muted by -q.
    pub fn note(&self, label: &str, message: &str) {
        if self.quiet {
            return;
        }
        let label = if self.color_err {
            label.yellow().bold().to_string()
        } else {
            label.to_owned()
        };
        to_stderr(&format!(
            "jwtctl: {label}: {}\n",
            escape_for_terminal(message)
        ));
    }

    /// A status line on stderr ("wrote ..."), muted by -q.
    pub fn info(&self, message: &str) {
        if !self.quiet {
            to_stderr(&format!("jwtctl: {}\n", escape_for_terminal(message)));
        }
    }
}

/// Writes a whole message to stderr in one `write`, so it is not interleaved with another
/// process's output. A failure is ignored: a message nobody can read must not turn into a panic
/// (`eprintln!` panics when stderr is a closed pipe); the exit status still tells.
fn to_stderr(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// Buffered stdout for many data lines, escaped on a terminal like [`Output::data`].
pub struct Lines {
    out: io::BufWriter<io::StdoutLock<'static>>,
    tty: bool,
    quiet: bool,
}

impl Lines {
    /// Writes a block of whole lines (each ending in a newline), escaped on a terminal.
    pub fn block(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.quiet {
            return Ok(());
        }
        if self.tty {
            self.out
                .write_all(escape_for_terminal(&String::from_utf8_lossy(bytes)).as_bytes())
        } else {
            self.out.write_all(bytes)
        }
    }

    /// Writes out what is buffered: a batch calls it when it has nothing more to write for
    /// now, so results reach a reader while the input is still open (`tail -f | ...`).
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Flushes what is buffered.
    pub fn finish(mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Escapes characters that could drive a terminal or reorder text: C0/C1 controls (except
/// newline), DEL, bidi overrides and isolates, zero-width characters and BOM (CWE-150,
/// CVE-2021-42574). Inside JSON strings the `\uXXXX` form stays valid JSON.
#[must_use]
pub fn escape_for_terminal(text: &str) -> String {
    escape(text, |c| risky(c) && c != '\n')
}

/// [`escape_for_terminal`] for one field of human-readable output (a claim or header name or
/// value, a kid, a subject, a table cell): a newline is escaped too, so a field cannot start a
/// line that looks like jwtctl's own. Escaped whatever the stream: human-readable output is
/// read by a person even through `| cat` or `| less -R`.
#[must_use]
pub fn escape_field(text: &str) -> String {
    escape(text, risky)
}

fn risky(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061c}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

fn escape(text: &str, risky: impl Fn(char) -> bool) -> String {
    if !text.chars().any(&risky) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if risky(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether stdout was closed when this process started (`cmd >&-`). Rust's runtime then opens
/// /dev/null read-write on descriptor 1, so writes succeed and vanish; a shell's `>/dev/null`
/// opens it write-only, which is a choice to discard, not a failure. Read from /proc (Linux);
/// false where that cannot be read. A parent that passes /dev/null opened read-write (Python's
/// `subprocess.DEVNULL`) looks the same and is treated the same: what was printed is lost.
#[must_use]
pub fn stdout_was_closed() -> bool {
    const O_ACCMODE: u32 = 0o3;
    const O_RDWR: u32 = 0o2;
    let is_null =
        std::fs::read_link("/proc/self/fd/1").is_ok_and(|p| p == std::path::Path::new("/dev/null"));
    is_null
        && std::fs::read_to_string("/proc/self/fdinfo/1").is_ok_and(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("flags:"))
                .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
                .is_some_and(|flags| flags & O_ACCMODE == O_RDWR)
        })
}

/// The widest a table cell gets; longer values end in "...".
pub const MAX_CELL: usize = 64;

/// A stored value as a table shows it (a kid, a subject: they may come from anyone who could
/// write them): escaped like any field, at most [`MAX_CELL`] characters.
#[must_use]
pub fn table_cell(value: &str) -> String {
    let text = escape_field(value);
    if text.chars().count() <= MAX_CELL {
        return text;
    }
    let mut short: String = text.chars().take(MAX_CELL - 3).collect();
    short.push_str("...");
    short
}

/// Columns padded to their widest cell, two spaces apart, no trailing spaces. Cells are
/// already short ([`table_cell`]); padding is plain spaces: a computed format width is limited
/// (u16) and panics beyond.
#[must_use]
pub fn render_table(rows: &[Vec<String>]) -> String {
    let cols = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..cols)
        .map(|i| {
            rows.iter()
                .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let lines: Vec<String> = rows
        .iter()
        .map(|r| {
            let cells: Vec<String> = r
                .iter()
                .zip(&widths)
                .map(|(c, w)| {
                    let pad = w.saturating_sub(c.chars().count());
                    format!("{c}{}", " ".repeat(pad))
                })
                .collect();
            cells.join("  ").trim_end().to_owned()
        })
        .collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_quoted_urls_are_masked() {
        let text = "error: invalid value 'redis://app:s3cr:et@h:6379/0' for '--store <URL>'\n";
        assert_eq!(
            mask_url_passwords(text),
            "error: invalid value 'redis://app:***@h:6379/0' for '--store <URL>'\n"
        );
        let plain = "see https://example.com/x and redis://h:6379 and user@host";
        assert_eq!(mask_url_passwords(plain), plain);
    }

    #[test]
    fn long_words_in_errors_are_shortened_and_short_ones_kept() {
        let value = format!("'{}'", "k".repeat(65_536));
        let text = format!("error: invalid value {value} for '--kid <KID>': too long\n");
        let short = shorten_long_words(&text);
        assert!(short.len() < 400, "{}", short.len());
        assert!(short.starts_with("error: invalid value 'kkk"));
        assert!(short.contains("...(65458 characters)...") && short.contains("kkk' for"));
        assert!(short.ends_with("too long\n"));
        let plain = "error: unexpected argument '--nope' found\n\n  tip: ...\n";
        assert_eq!(shorten_long_words(plain), plain);
    }

    #[test]
    fn table_cells_are_escaped_and_cut_and_tables_never_overflow_a_width() {
        assert_eq!(table_cell("abc"), "abc");
        let long = table_cell(&"k".repeat(70_000));
        assert_eq!(long.chars().count(), MAX_CELL);
        assert!(long.ends_with("..."));
        assert_eq!(table_cell(&"k".repeat(MAX_CELL)), "k".repeat(MAX_CELL));
        assert_eq!(table_cell("a\u{1b}[2Jb\nc"), "a\\u001b[2Jb\\u000ac");
        let rows = vec![
            vec!["A".to_owned(), "B".to_owned()],
            vec!["x".repeat(70_000), "y".to_owned()],
        ];
        let t = render_table(&rows);
        assert!(t.starts_with(&format!("A{}  B", " ".repeat(69_999))));
    }

    #[test]
    fn color_flag_is_found_in_a_refused_command_line() {
        let argv = |s: &str| -> Vec<OsString> { s.split(' ').map(Into::into).collect() };
        assert_eq!(color_in(&argv("jwtctl --bogus")), ColorChoice::Auto);
        assert_eq!(
            color_in(&argv("jwtctl --color never x")),
            ColorChoice::Never
        );
        assert_eq!(
            color_in(&argv("jwtctl x --color=always")),
            ColorChoice::Always
        );
        assert_eq!(
            color_in(&argv("jwtctl --color=never --color sometimes")),
            ColorChoice::Never
        );
        assert_eq!(
            color_in(&argv("jwtctl -- --color=never")),
            ColorChoice::Auto
        );
    }

    #[test]
    fn colour_rules() {
        assert!(use_color(ColorChoice::Auto, false, false, true));
        assert!(!use_color(ColorChoice::Auto, true, false, true));
        assert!(!use_color(ColorChoice::Auto, false, true, true));
        assert!(!use_color(ColorChoice::Auto, false, false, false));
        assert!(use_color(ColorChoice::Always, true, false, false));
        assert!(!use_color(ColorChoice::Never, false, false, true));
    }

    #[test]
    fn escapes_terminal_controls_and_bidi() {
        assert_eq!(escape_for_terminal("plain\ntext"), "plain\ntext");
        assert_eq!(escape_for_terminal("\u{1b}[2Jx"), "\\u001b[2Jx");
        assert_eq!(escape_for_terminal("a\u{202e}b"), "a\\u202eb");
        assert_eq!(escape_for_terminal("\u{9b}"), "\\u009b");
        assert_eq!(escape_for_terminal("zero\u{200b}width"), "zero\\u200bwidth");
        assert_eq!(escape_field("two\nlines\u{202e}"), "two\\u000alines\\u202e");
    }
}
