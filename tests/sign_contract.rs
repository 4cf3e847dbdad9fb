#[path = "it/sign_contract.rs"]
mod sign_contract;
