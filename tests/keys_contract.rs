#[path = "it/keys_contract.rs"]
mod keys_contract;
