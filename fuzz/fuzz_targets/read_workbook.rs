//! Fuzzes the reader with in-memory bytes: whatever the bytes, reading and interpreting a
//! workbook must end with data or findings, never a panic, an abort or a hang.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

static CONFIG: OnceLock<huizong::config::Config> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let config = CONFIG.get_or_init(huizong::config::Config::embedded);
    let mut wb = huizong::model::RawWorkbook::new("fuzz.xlsx".into(), "fuzz.xlsx".into());
    huizong::read::read_bytes(data, &mut wb, config);
    let _ = huizong::interpret::returns::interpret(wb, config);
});
