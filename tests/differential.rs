#[path = "it/differential.rs"]
mod differential;
