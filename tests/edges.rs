#[path = "it/edges.rs"]
mod edges;
