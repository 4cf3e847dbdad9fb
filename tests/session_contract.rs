#[path = "it/session_contract.rs"]
mod session_contract;
