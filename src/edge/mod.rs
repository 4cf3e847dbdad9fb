//! The process edges: what comes in (arguments' files, stdin), what goes out (stdout, stderr) and
//! the exit status every "no" from below is mapped to.

pub mod exit;
pub mod input;
pub mod output;
