#[path = "it/setup.rs"]
mod setup;
