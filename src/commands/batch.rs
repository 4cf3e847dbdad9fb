//! `--batch`: many items, one per line, handled on every core; one engine for `verify --batch`,
//! `decode --batch` and `sign --batch` / `sign --count`.
//!
//! A reader thread cuts the input into chunks of lines (or, for `--count`, numbers the items),
//! workers handle the chunks, and this thread writes each chunk's output in input order.
//! Channels are bounded, so memory stays flat however long the input; a line longer than the
//! cap is skipped over, never stored. Allocation is per chunk, not per item: a chunk's lines
//! share one buffer, and a worker writes a chunk's results into one output buffer (a profile
//! showed a fifth of the time in malloc/free when every line and result had its own).

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

/// Where a batch's items come from.
pub enum Source<'a> {
    /// Non-empty lines of these files, or of stdin when there are none.
    Lines(&'a [PathBuf]),
    /// Items numbered 1 to N, with no input at all (`sign --count N`).
    Count(u64),
}

/// What a batch calls its items, for the messages about its input.
pub struct Words {
    /// What stdin gives, for "stdin is already used for the ...".
    pub items: &'static str,
    /// One item, for "no ... was read".
    pub item: &'static str,
    /// How to give the input.
    pub hint: &'static str,
}

/// One item as a handler gets it.
pub enum Item<'a> {
    /// A non-empty line, trimmed.
    Text(&'a str),
    /// A line longer than the cap: skipped, never stored.
    Oversize,
    /// A line that is not UTF-8 text.
    NotText,
    /// A numbered item of [`Source::Count`]: its number is all there is.
    Counted,
}

/// Where an item is: its input file's name as a JSON string (when inputs are named) and its
/// line number (its sequence number, 1 to N, for [`Source::Count`]).
pub struct Place<'a> {
    pub file: Option<&'a str>,
    pub line: u64,
}

/// What a handler writes for its chunk: stdout bytes (whole lines) and error messages for
/// stderr (`jwtctl: error: MESSAGE`, in input order).
#[derive(Default)]
pub struct Out {
    pub data: Vec<u8>,
    pub messages: Vec<String>,
}

/// Handles one item: writes its result to `out` and returns its status.
pub type Handle<'a> = dyn Fn(&Place<'_>, Item<'_>, &mut Out) -> Exit + Sync + 'a;

/// Checks one token, writes its result's JSON members (no braces) to `out`, returns its status.
pub type Check<'a> = dyn Fn(&str, &mut Vec<u8>) -> Exit + Sync + 'a;

/// `verify --batch` and `decode --batch`: runs `check` over every token line of `files` (stdin
/// when empty) and writes one JSON object per token, `{"file"?,"line",...}`; `-q` mutes them.
pub fn run(files: &[PathBuf], ctx: &Ctx, check: &Check<'_>) -> Result<Exit> {
    let words = Words {
        items: "tokens",
        item: "token",
        hint: "pipe tokens in, one per line (cat tokens.txt | jwtctl ... --batch), or pass --file FILE",
    };
    let handle = |place: &Place<'_>, item: Item<'_>, out: &mut Out| {
        let out = &mut out.data;
        out.push(b'{');
        if let Some(name) = place.file {
            out.extend_from_slice(b"\"file\":");
            out.extend_from_slice(name.as_bytes());
            out.push(b',');
        }
        // Writing to a Vec cannot fail.
        let _ = write!(out, "\"line\":{},", place.line);
        let status = match item {
            Item::Text(token) => check(token, out),
            Item::Oversize => refuse(
                out,
                &format!("token is over the {} KiB limit", MAX_TOKEN_BYTES / 1024),
            ),
            Item::NotText => refuse(out, "the token is not UTF-8 text"),
            Item::Counted => refuse(out, "no token"),
        };
        out.extend_from_slice(b"}\n");
        status
    };
    run_items(&Source::Lines(files), &words, ctx, &handle, true)
}

/// Runs `handle` over every item of `source` on every core and writes the results in input
/// order (muted by `-q` when `mute` says so).
/// Returns 0 when at least one item was read and every one passed, else the status of the
/// first item that failed; reading no item at all is a usage error (DECISIONS §2a).
pub fn run_items(
    source: &Source<'_>,
    words: &Words,
    ctx: &Ctx,
    handle: &Handle<'_>,
    mute: bool,
) -> Result<Exit> {
    let files: &[PathBuf] = match source {
        Source::Lines(files) => files,
        Source::Count(_) => &[],
    };
    let stdin = || -> Result<Box<dyn Read + Send>> {
        Ok(Box::new(ctx.stdin.take(words.items, words.hint)?))
    };
    let readers: Vec<Box<dyn Read + Send>> = match source {
        Source::Count(_) => Vec::new(),
        Source::Lines([]) => vec![stdin()?],
        Source::Lines(files) => files
            .iter()
            .map(|p| {
                if input::is_stdin(p) {
                    return stdin();
                }
                File::open(p)
                    .map(|f| Box::new(f) as Box<dyn Read + Send>)
                    .with_context(|| format!("reading {}", p.display()))
            })
            .collect::<Result<_>>()?,
    };
    let count = match source {
        Source::Count(n) => Some(*n),
        Source::Lines(_) => None,
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
        let reader = s.spawn(move || match count {
            Some(n) => Ok(count_chunks(n, &work_tx)),
            None => read_chunks(readers, named, &work_tx),
        });
        let work_rx = Arc::new(Mutex::new(work_rx));
        for _ in 0..workers {
            let (rx, tx) = (Arc::clone(&work_rx), done_tx.clone());
            s.spawn(move || {
                while let Some(chunk) = next(&rx) {
                    if tx.send(handle_chunk(&chunk, names, handle)).is_err() {
                        return;
                    }
                }
            });
        }
        drop((work_rx, done_tx));
        let written = write_in_order(&done_rx, ctx, mute);
        drop(done_rx);
        let read = reader
            .join()
            .map_err(|_| anyhow::anyhow!("the batch reader thread panicked"))?;
        let status = written?;
        if read? == 0 {
            return Err(fail_hint(
                Exit::Usage,
                format!("no {} was read: the input was empty", words.item),
                words.hint,
            ));
        }
        Ok(status)
    })
}

/// What a line holds.
enum Line {
    /// Text: its range in the chunk's text.
    Text(Range<usize>),
    /// Longer than the cap: skipped, never stored.
    Oversize,
    /// Not UTF-8 text.
    NotText,
    /// A numbered item with no text (`--count`).
    Counted,
}

/// Consecutive lines of one input.
struct Chunk {
    seq: u64,
    /// Index of the input file, when inputs are named.
    file: Option<usize>,
    text: String,
    lines: Vec<(u64, Line)>,
}

/// A chunk's results: the first failure among them, the output lines and the messages.
struct Done {
    seq: u64,
    first_failure: Option<Exit>,
    out: Out,
}

fn next(rx: &Mutex<Receiver<Chunk>>) -> Option<Chunk> {
    rx.lock().ok()?.recv().ok()
}

/// Every item of the chunk through `handle`, all output in one buffer.
fn handle_chunk(chunk: &Chunk, names: &[String], handle: &Handle<'_>) -> Done {
    let mut out = Out {
        data: Vec::with_capacity(chunk.lines.len() * 160),
        messages: Vec::new(),
    };
    let mut first_failure = None;
    let file = chunk.file.and_then(|i| names.get(i)).map(String::as_str);
    for (number, line) in &chunk.lines {
        let item = match line {
            Line::Text(range) => Item::Text(&chunk.text[range.clone()]),
            Line::Oversize => Item::Oversize,
            Line::NotText => Item::NotText,
            Line::Counted => Item::Counted,
        };
        let place = Place {
            file,
            line: *number,
        };
        let status = handle(&place, item, &mut out);
        if status != Exit::Success && first_failure.is_none() {
            first_failure = Some(status);
        }
    }
    Done {
        seq: chunk.seq,
        first_failure,
        out,
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

/// Numbers `n` items in chunks; returns how many were handed over (all of them, unless the
/// writer stopped).
fn count_chunks(n: u64, tx: &SyncSender<Chunk>) -> u64 {
    let mut seq = 0;
    let mut number = 0;
    while number < n {
        let end = n.min(number + CHUNK_LINES as u64);
        let chunk = Chunk {
            seq,
            file: None,
            text: String::new(),
            lines: (number + 1..=end).map(|i| (i, Line::Counted)).collect(),
        };
        if tx.send(chunk).is_err() {
            return number; // the writer stopped (closed stdout): nothing more to do
        }
        seq += 1;
        number = end;
    }
    number
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
                Line::Text(start..chunk.text.len())
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

/// Writes chunks in sequence order as they arrive (muted by -q when `mute`), their messages
/// to stderr; returns the first failure's status.
fn write_in_order(rx: &Receiver<Done>, ctx: &Ctx, mute: bool) -> Result<Exit> {
    let mut pending = BTreeMap::new();
    let mut next_seq = 0;
    let mut first_failure = None;
    let mut out = if mute {
        ctx.out.lines()
    } else {
        ctx.out.data_lines()
    };
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
            if !done.out.messages.is_empty() {
                // Messages follow the lines written before them.
                out.flush()?;
                for message in &done.out.messages {
                    ctx.out.error("error", message, None);
                }
            }
            out.block(&done.out.data)?;
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
    fn count_numbers_every_item_once_in_chunks_and_stops_with_the_writer() {
        let (tx, rx) = sync_channel(16);
        assert_eq!(count_chunks(600, &tx), 600);
        drop(tx);
        let chunks: Vec<Chunk> = rx.iter().collect();
        let sizes: Vec<usize> = chunks.iter().map(|c| c.lines.len()).collect();
        assert_eq!(sizes, vec![256, 256, 88]);
        let seqs: Vec<u64> = chunks.iter().map(|c| c.seq).collect();
        assert_eq!(seqs, vec![0, 1, 2]);
        let numbers: Vec<u64> = chunks
            .iter()
            .flat_map(|c| c.lines.iter().map(|l| l.0))
            .collect();
        assert_eq!(numbers, (1..=600).collect::<Vec<_>>());
        // A closed writer (stdout gone) stops the count at once.
        let (tx, rx) = sync_channel(1);
        drop(rx);
        assert_eq!(count_chunks(u64::MAX, &tx), 0);
    }

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
