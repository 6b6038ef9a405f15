//! Links the Linux (glibc) binaries without PIE, as the shipped static builds already are
//! (docs/linux-builds.md).
//!
//! A position-independent huizong relocates about 100,000 pointers each time it starts,
//! writing 1.7 MB of vtables and tables (`.data.rel.ro`, `.got`) into private pages: some
//! 500 page faults in every process, and each `run` starts three (itself and a reading worker
//! per core, on the reading's critical path). Linked at a fixed address, those pointers are
//! written by the linker once (docs/benchmarks.md, 2026-12-07).

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        // The binaries and the examples (the benchmark); the tests keep the default.
        println!("cargo::rustc-link-arg-bins=-no-pie");
        println!("cargo::rustc-link-arg-examples=-no-pie");
    }
}
