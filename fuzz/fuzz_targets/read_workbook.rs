//! Fuzzes the reader with in-memory bytes: whatever the bytes, reading and interpreting a
//! workbook must end with data or findings, never a panic of our own, an abort or a hang.
//!
//! A library that panics on a damaged file (calamine does on some) costs only that file:
//! `read_bytes` catches it and says so, as designed. Such panics are let through here. A
//! panic in huizong's own code (an arithmetic overflow on a figure a file declares, an index
//! out of range) is a crash the fuzzer reports, even where `read_bytes` would catch it.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

static CONFIG: OnceLock<huizong::config::Config> = OnceLock::new();

/// Whether a panic happened in a dependency's code (a crate from the registry).
fn in_a_dependency(info: &std::panic::PanicHookInfo<'_>) -> bool {
    info.location()
        .is_some_and(|l| l.file().contains("registry/src"))
}

fuzz_target!(|data: &[u8]| {
    let config = CONFIG.get_or_init(|| {
        // libFuzzer's hook aborts on every panic; ours only on a panic of our own.
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !in_a_dependency(info) {
                default(info);
                std::process::abort();
            }
        }));
        huizong::config::Config::embedded()
    });
    let mut wb = huizong::model::RawWorkbook::new("fuzz.xlsx".into(), "fuzz.xlsx".into());
    huizong::read::read_bytes(data, &mut wb, config);
    let _ = huizong::interpret::returns::interpret(wb, config);
});
