//! Link-time layout: the functions a one-shot command runs are placed together at the start of
//! the code (`link/startup.order`, written by `bench/order.sh`), so starting touches fewer pages.
//! Only for x86_64 Linux/glibc, where rustc links with lld (the default since Rust 1.90); lld
//! skips names it does not find, so a stale list costs speed, never a failed build.

fn main() {
    println!("cargo::rerun-if-changed=link/startup.order");
    if std::env::var("TARGET").as_deref() == Ok("x86_64-unknown-linux-gnu") {
        let order = concat!(env!("CARGO_MANIFEST_DIR"), "/link/startup.order");
        // -Xlinker passes each word as it is (-Wl, would split a path at its commas).
        for arg in ["--symbol-ordering-file", order, "--no-warn-symbol-ordering"] {
            println!("cargo::rustc-link-arg-bin=jwtctl=-Xlinker");
            println!("cargo::rustc-link-arg-bin=jwtctl={arg}");
        }
    }
}
