//! `--batch` for `verify` and `decode`: many tokens, one per line, checked on every core.
//!
//! A reader thread cuts the input into chunks of lines, workers check the chunks, and this thread
//! writes one compact JSON object per token in input order. Channels are bounded, so memory stays
//! flat however long the input; a line longer than the token cap is skipped over, never stored.
//! Allocation is per chunk, not per token: a chunk's lines share one buffer, and a worker writes
//! a chunk's results into one output buffer (a profile showed a fifth of the time in malloc/free
//! when every line and result had its own).

use crate::Ctx;
use crate::edge::exit::{Exit, fail_hint};
use crate::edge::input;
use crate::token::MAX_TOKEN_BYTES;
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, sync_channel};
use std::sync::{Arc, Mutex};

/// Lines handed to a worker at a time: large enough to amortise channel and allocation costs.
const CHUNK_LINES: usize = 256;

/// What a line holds.
enum Line {
    /// A token: its range in the chunk's text.
    Token(Range<usize>),
    /// Longer than the cap: skipped, never stored.
    Oversize,
    /// Not UTF-8 text.
    NotText,
}

/// Consecutive lines of one input.
struct Chunk {
    seq: u64,
    /// Index of the input file, when inputs are named.
    file: Option<usize>,
    text: String,
    lines: Vec<(u64, Line)>,
}

/// A chunk's results: the first failure among them and the JSON lines, newline-terminated.
struct Done {
    seq: u64,
    first_failure: Option<Exit>,
    output: Vec<u8>,
}

/// Checks one token, writes its result's JSON members (no braces) to `out`, returns its status.
pub type Check<'a> = dyn Fn(&str, &mut Vec<u8>) -> Exit + Sync + 'a;

/// Runs `check` over every non-empty line of `files` (stdin when empty) and writes the results.
/// Returns 0 when at least one token was read and every one passed, else the status of the
/// first token that failed; reading no token at all is a usage error (DECISIONS §2a).
pub fn run(files: &[PathBuf], ctx: &Ctx, check: &Check<'_>) -> Result<Exit> {
    let hint =
        "pipe tokens in, one per line (cat tokens.txt | jwtctl ... --batch), or pass --file FILE";
    let stdin =
        || -> Result<Box<dyn Read + Send>> { Ok(Box::new(ctx.stdin.take("tokens", hint)?)) };
    let readers: Vec<Box<dyn Read + Send>> = if files.is_empty() {
        vec![stdin()?]
    } else {
        files
            .iter()
            .map(|p| {
                if input::is_stdin(p) {
                    return stdin();
                }
                File::open(p)
                    .map(|f| Box::new(f) as Box<dyn Read + Send>)
                    .with_context(|| format!("reading {}", p.display()))
            })
            .collect::<Result<_>>()?
    };
    // File names as JSON strings, written before each result line.
    let names: Vec<String> = files
        .iter()
        .map(|p| serde_json::Value::from(p.display().to_string()).to_string())
        .collect();
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let (work_tx, work_rx) = sync_channel::<Chunk>(workers * 2);
    let (done_tx, done_rx) = sync_channel::<Done>(workers * 2);

    // Shutting down when stdout goes away (`| head`): the writer returns and drops `done_rx`,
    // so each worker's next send fails and it stops; the last worker's exit drops the last
    // handle on the work queue, so the reader's next send fails too. Nothing here may keep a
    // handle a stopped thread would wait on.
    std::thread::scope(|s| {
        let named = !names.is_empty();
        let names = &names;
        let reader = s.spawn(move || read_chunks(readers, named, &work_tx));
        let work_rx = Arc::new(Mutex::new(work_rx));
        for _ in 0..workers {
            let (rx, tx) = (Arc::clone(&work_rx), done_tx.clone());
            s.spawn(move || {
                while let Some(chunk) = next(&rx) {
                    if tx.send(check_chunk(&chunk, names, check)).is_err() {
                        return;
                    }
                }
            });
        }
        drop((work_rx, done_tx));
        let written = write_in_order(&done_rx, ctx);
        drop(done_rx);
        let read = reader
            .join()
            .map_err(|_| anyhow::anyhow!("the batch reader thread panicked"))?;
        let status = written?;
        if read? == 0 {
            return Err(fail_hint(
                Exit::Usage,
                "no token was read: the input was empty",
                hint,
            ));
        }
        Ok(status)
    })
}

fn next(rx: &Mutex<Receiver<Chunk>>) -> Option<Chunk> {
    rx.lock().ok()?.recv().ok()
}

/// One JSON line per token of the chunk, all in one buffer.
fn check_chunk(chunk: &Chunk, names: &[String], check: &Check<'_>) -> Done {
    let mut output = Vec::with_capacity(chunk.lines.len() * 160);
    let mut first_failure = None;
    let file = chunk.file.and_then(|i| names.get(i));
    for (number, line) in &chunk.lines {
        output.push(b'{');
        if let Some(name) = file {
            output.extend_from_slice(b"\"file\":");
            output.extend_from_slice(name.as_bytes());
            output.push(b',');
        }
        // Writing to a Vec cannot fail.
        let _ = write!(output, "\"line\":{number},");
        let status = match line {
            Line::Token(range) => check(&chunk.text[range.clone()], &mut output),
            Line::Oversize => refuse(
                &mut output,
                &format!("token is over the {} KiB limit", MAX_TOKEN_BYTES / 1024),
            ),
            Line::NotText => refuse(&mut output, "the token is not UTF-8 text"),
        };
        output.extend_from_slice(b"}\n");
        if status != Exit::Success && first_failure.is_none() {
            first_failure = Some(status);
        }
    }
    Done {
        seq: chunk.seq,
        first_failure,
        output,
    }
}

/// The members of a malformed line's result.
fn refuse(out: &mut Vec<u8>, reason: &str) -> Exit {
    let _ = write!(
        out,
        "\"valid\":false,\"code\":{},\"reason\":",
        Exit::Malformed.code()
    );
    let _ = serde_json::to_writer(&mut *out, reason);
    Exit::Malformed
}

/// Reads every input into chunks of non-empty, trimmed lines, each line capped at the token
/// limit; returns how many lines were read (empty ones not counted). A chunk is handed over when
/// it is full, and also whenever what has been read is used up, before a read that may wait: so
/// a token written to a pipe that stays open (`tail -f log | ...`) is answered at once, while a
/// big input still goes in big chunks.
fn read_chunks(
    readers: Vec<Box<dyn Read + Send>>,
    named: bool,
    tx: &SyncSender<Chunk>,
) -> Result<u64> {
    let mut seq = 0;
    let mut items = 0;
    let new_chunk = |seq, file| Chunk {
        seq,
        file,
        text: String::new(),
        lines: Vec::with_capacity(CHUNK_LINES),
    };
    for (index, reader) in readers.into_iter().enumerate() {
        let file = named.then_some(index);
        let mut chunk = new_chunk(seq, file);
        let mut reader = BufReader::with_capacity(1 << 16, reader);
        let mut number = 0;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            let mut hand_over = || {
                if chunk.lines.is_empty() {
                    return true;
                }
                seq += 1;
                tx.send(std::mem::replace(&mut chunk, new_chunk(seq, file)))
                    .is_ok()
            };
            let Some((read, oversize)) = read_capped_line(
                &mut reader,
                &mut buf,
                MAX_TOKEN_BYTES + 1024,
                &mut hand_over,
            )
            .context("reading tokens")?
            else {
                return Ok(items); // the writer stopped (closed stdout): nothing more to do
            };
            if read == 0 {
                break;
            }
            number += 1;
            let line = if oversize {
                Line::Oversize
            } else if let Ok(text) = std::str::from_utf8(&buf) {
                let token = text.trim();
                if token.is_empty() {
                    continue;
                }
                let start = chunk.text.len();
                chunk.text.push_str(token);
                Line::Token(start..chunk.text.len())
            } else {
                Line::NotText
            };
            items += 1;
            chunk.lines.push((number, line));
            if chunk.lines.len() == CHUNK_LINES {
                seq += 1;
                if tx
                    .send(std::mem::replace(&mut chunk, new_chunk(seq, file)))
                    .is_err()
                {
                    return Ok(items); // the writer stopped (closed stdout): nothing more to do
                }
            }
        }
        if !chunk.lines.is_empty() {
            seq += 1;
            if tx.send(chunk).is_err() {
                return Ok(items);
            }
        }
    }
    Ok(items)
}

/// Reads one line into `buf` (without the newline), storing at most `cap` bytes. Returns the
/// bytes consumed and whether the line was longer than `cap`. Before each read that may wait
/// (nothing buffered), calls `idle`; `None` when `idle` says to stop.
fn read_capped_line<R: Read>(
    r: &mut BufReader<R>,
    buf: &mut Vec<u8>,
    cap: usize,
    idle: &mut dyn FnMut() -> bool,
) -> io::Result<Option<(usize, bool)>> {
    let (mut consumed, mut oversize) = (0, false);
    loop {
        if r.buffer().is_empty() && !idle() {
            return Ok(None);
        }
        let available = r.fill_buf()?;
        if available.is_empty() {
            return Ok(Some((consumed, oversize)));
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
            return Ok(Some((consumed, oversize)));
        }
    }
}

/// Writes chunks in sequence order as they arrive; returns the first failure's status.
fn write_in_order(rx: &Receiver<Done>, ctx: &Ctx) -> Result<Exit> {
    let mut pending = BTreeMap::new();
    let mut next_seq = 0;
    let mut first_failure = None;
    let mut out = ctx.out.lines();
    loop {
        // Flush only when nothing more is ready: results flow as tokens arrive, and a big
        // input is still written in big blocks.
        let done = match rx.try_recv() {
            Ok(done) => done,
            Err(TryRecvError::Empty) => {
                out.flush()?;
                match rx.recv() {
                    Ok(done) => done,
                    Err(_) => break,
                }
            }
            Err(TryRecvError::Disconnected) => break,
        };
        pending.insert(done.seq, done);
        while let Some(done) = pending.remove(&next_seq) {
            first_failure = first_failure.or(done.first_failure);
            out.block(&done.output)?;
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
        let mut r = BufReader::with_capacity(4, io::Cursor::new(b"abc\ndefghij\nxy".to_vec()));
        let mut buf = Vec::new();
        let mut idles = 0;
        let mut line = |r: &mut BufReader<_>, buf: &mut Vec<u8>| {
            buf.clear();
            read_capped_line(r, buf, 5, &mut || {
                idles += 1;
                true
            })
            .unwrap()
            .unwrap()
        };
        assert_eq!(line(&mut r, &mut buf), (4, false));
        assert_eq!(buf, b"abc");
        assert_eq!(line(&mut r, &mut buf), (8, true));
        assert_eq!(line(&mut r, &mut buf), (2, false));
        assert_eq!(buf, b"xy");
        assert_eq!(line(&mut r, &mut buf), (0, false));
        // Asked before every read that may wait: four refills of 4 bytes, then EOF twice.
        assert_eq!(idles, 6);
        let mut stop = BufReader::new(io::Cursor::new(b"abc\n".to_vec()));
        assert!(
            read_capped_line(&mut stop, &mut buf, 5, &mut || false)
                .unwrap()
                .is_none()
        );
    }
}
