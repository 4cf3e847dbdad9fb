//! `--batch` for `verify` and `decode`: many tokens, one per line, checked on every core.
//!
//! A reader thread cuts the input into chunks of lines, workers check the chunks, and this thread
//! writes one compact JSON object per token in input order. Channels are bounded, so memory stays
//! flat however long the input; a line longer than the token cap is skipped over, never stored.

use crate::Ctx;
use crate::exit::Exit;
use crate::token::MAX_TOKEN_BYTES;
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Mutex};

/// Lines handed to a worker at a time: large enough to amortise channel costs.
const CHUNK_LINES: usize = 256;

/// One input line: its number, which input it came from, and the token (or `None` when the line
/// was longer than the cap).
struct Line {
    file: Option<usize>,
    number: u64,
    token: Option<String>,
}

/// What a check says about one token: its status and a JSON object (text, starting with `{`).
pub type Verdict = (Exit, String);

/// Runs `check` over every non-empty line of `files` (stdin when empty) and writes the results.
/// Returns 0 when every token passed, else the status of the first token that failed.
pub fn run<F>(files: &[PathBuf], ctx: &Ctx, check: F) -> Result<Exit>
where
    F: Fn(&str) -> Verdict + Sync,
{
    let readers: Vec<Box<dyn Read + Send>> =
        if files.is_empty() || files.iter().all(|f| f.as_os_str() == "-") {
            vec![Box::new(io::stdin())]
        } else {
            files
                .iter()
                .map(|p| {
                    File::open(p)
                        .map(|f| Box::new(f) as Box<dyn Read + Send>)
                        .with_context(|| format!("reading {}", p.display()))
                })
                .collect::<Result<_>>()?
        };
    let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let (work_tx, work_rx) = sync_channel::<(u64, Vec<Line>)>(workers * 2);
    let (done_tx, done_rx) = sync_channel::<(u64, Vec<Verdict>)>(workers * 2);
    let work_rx = Arc::new(Mutex::new(work_rx));

    std::thread::scope(|s| {
        let named = !names.is_empty();
        let names = &names;
        let reader = s.spawn(move || read_lines(readers, named, &work_tx));
        for _ in 0..workers {
            let (rx, tx, check) = (Arc::clone(&work_rx), done_tx.clone(), &check);
            s.spawn(move || {
                while let Some((seq, lines)) = next(&rx) {
                    let verdicts = lines.iter().map(|l| verdict(l, names, check)).collect();
                    if tx.send((seq, verdicts)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        let written = write_in_order(&done_rx, ctx);
        drop(done_rx);
        let read = reader
            .join()
            .map_err(|_| anyhow::anyhow!("the batch reader thread panicked"))?;
        let status = written?;
        read?;
        Ok(status)
    })
}

fn next(rx: &Mutex<Receiver<(u64, Vec<Line>)>>) -> Option<(u64, Vec<Line>)> {
    rx.lock().ok()?.recv().ok()
}

fn verdict<F: Fn(&str) -> Verdict>(line: &Line, names: &[String], check: &F) -> Verdict {
    let (status, body) = match &line.token {
        Some(t) => check(t),
        None => (
            Exit::Malformed,
            serde_json::json!({"valid": false, "code": Exit::Malformed.code(),
                "reason": format!("token is over the {} KiB limit", MAX_TOKEN_BYTES / 1024)})
            .to_string(),
        ),
    };
    let file = line
        .file
        .and_then(|i| names.get(i))
        .map(|n| format!("\"file\":{},", serde_json::Value::from(n.as_str())))
        .unwrap_or_default();
    let rest = body.strip_prefix('{').unwrap_or(&body);
    (status, format!("{{{file}\"line\":{},{rest}", line.number))
}

/// Reads every input into chunks of non-empty lines, each line capped at the token limit.
fn read_lines(
    readers: Vec<Box<dyn Read + Send>>,
    named: bool,
    tx: &std::sync::mpsc::SyncSender<(u64, Vec<Line>)>,
) -> Result<()> {
    let mut seq = 0;
    let mut chunk = Vec::with_capacity(CHUNK_LINES);
    for (index, reader) in readers.into_iter().enumerate() {
        let mut reader = BufReader::with_capacity(1 << 16, reader);
        let mut number = 0;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            let (read, oversize) = read_capped_line(&mut reader, &mut buf, MAX_TOKEN_BYTES + 1024)
                .context("reading tokens")?;
            if read == 0 {
                break;
            }
            number += 1;
            let token = if oversize {
                None
            } else {
                Some(String::from_utf8_lossy(&buf).trim().to_owned())
            };
            if token.as_deref().is_some_and(str::is_empty) {
                continue;
            }
            chunk.push(Line {
                file: named.then_some(index),
                number,
                token,
            });
            if chunk.len() == CHUNK_LINES {
                if tx.send((seq, std::mem::take(&mut chunk))).is_err() {
                    return Ok(()); // the writer stopped (closed stdout): nothing more to do
                }
                seq += 1;
            }
        }
    }
    if !chunk.is_empty() {
        let _ = tx.send((seq, chunk));
    }
    Ok(())
}

/// Reads one line into `buf` (without the newline), storing at most `cap` bytes. Returns the
/// bytes consumed and whether the line was longer than `cap`.
fn read_capped_line(
    r: &mut impl BufRead,
    buf: &mut Vec<u8>,
    cap: usize,
) -> io::Result<(usize, bool)> {
    let (mut consumed, mut oversize) = (0, false);
    loop {
        let available = r.fill_buf()?;
        if available.is_empty() {
            return Ok((consumed, oversize));
        }
        let (take, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        let content = if done {
            &available[..take - 1]
        } else {
            &available[..take]
        };
        if buf.len() + content.len() > cap {
            oversize = true;
        } else {
            buf.extend_from_slice(content);
        }
        r.consume(take);
        consumed += take;
        if done {
            return Ok((consumed, oversize));
        }
    }
}

/// Writes chunks in sequence order as they arrive; returns the first failure's status.
fn write_in_order(rx: &Receiver<(u64, Vec<Verdict>)>, ctx: &Ctx) -> Result<Exit> {
    let mut pending = BTreeMap::new();
    let mut next_seq = 0;
    let mut first_failure = None;
    let mut out = ctx.out.lines();
    for (seq, verdicts) in rx {
        pending.insert(seq, verdicts);
        while let Some(verdicts) = pending.remove(&next_seq) {
            for (status, line) in verdicts {
                if status != Exit::Success && first_failure.is_none() {
                    first_failure = Some(status);
                }
                out.line(&line)?;
            }
            next_seq += 1;
        }
    }
    out.finish()?;
    Ok(first_failure.unwrap_or(Exit::Success))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_lines() {
        let mut r = io::Cursor::new(b"abc\ndefghij\nxy".to_vec());
        let mut buf = Vec::new();
        assert_eq!(read_capped_line(&mut r, &mut buf, 5).unwrap(), (4, false));
        assert_eq!(buf, b"abc");
        buf.clear();
        assert_eq!(read_capped_line(&mut r, &mut buf, 5).unwrap(), (8, true));
        buf.clear();
        assert_eq!(read_capped_line(&mut r, &mut buf, 5).unwrap(), (2, false));
        assert_eq!(buf, b"xy");
        buf.clear();
        assert_eq!(read_capped_line(&mut r, &mut buf, 5).unwrap(), (0, false));
    }
}
