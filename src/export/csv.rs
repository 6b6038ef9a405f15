//! `--export csv`: the long tables as CSV, UTF-8 with BOM so that Excel opens the Chinese
//! correctly.

use std::path::{Path, PathBuf};

use super::tables;
use crate::atomic::write_atomic;
use crate::error::Result;
use crate::validate::Batch;

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Writes `progress.csv`, `investment.csv` and `findings.csv` into `out`.
pub fn write_csv(batch: &Batch, out: &Path) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for (name, header, rows) in tables(batch) {
        let mut text = String::from("\u{FEFF}");
        text.push_str(
            &header
                .iter()
                .map(|h| csv_field(h))
                .collect::<Vec<_>>()
                .join(","),
        );
        text.push_str("\r\n");
        for r in rows {
            text.push_str(
                &r.iter()
                    .map(|c| csv_field(&c.text()))
                    .collect::<Vec<_>>()
                    .join(","),
            );
            text.push_str("\r\n");
        }
        let path = out.join(format!("{name}.csv"));
        write_atomic(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}
