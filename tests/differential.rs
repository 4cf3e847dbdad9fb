//! Temporary shim until tests/it/main.rs exists: runs tests/it/differential.rs as its own test
//! crate. The merger drops this file and adds `mod differential;` to tests/it/main.rs.

#[path = "it/differential.rs"]
mod differential;
