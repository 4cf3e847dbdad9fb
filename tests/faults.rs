#[path = "it/faults.rs"]
mod faults;
