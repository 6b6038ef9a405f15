//! `--export csv`: the long tables as CSV, UTF-8 with BOM so that Excel opens the Chinese
//! correctly.

use std::path::{Path, PathBuf};

use super::{Value, tables};
use crate::atomic::write_atomic;
use crate::consolidate::Consolidated;
use crate::error::Result;

/// A text that a spreadsheet program would run as a formula (`=`, `+`, `-`, `@`, a tab or a
/// carriage return first) gets a leading apostrophe, so that it shows as the text it is.
fn defuse(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Writes `progress.csv`, `investment.csv` and `findings.csv` into `out`.
pub fn write_csv(c: &Consolidated<'_>, out: &Path) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for (name, header, rows) in tables(c.batch) {
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
                    .map(|c| match c {
                        Value::Text(s) => csv_field(&defuse(s)),
                        Value::Figure(_) => csv_field(&c.text()),
                    })
                    .collect::<Vec<_>>()
                    .join(","),
            );
            text.push_str("\r\n");
        }
        let path = out.join(crate::layout::files::export(name, "csv"));
        write_atomic(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_units_formula_text_stays_text_and_figures_stay_figures() {
        assert_eq!(
            defuse("=HYPERLINK(\"http://x\",\"click\")"),
            "'=HYPERLINK(\"http://x\",\"click\")"
        );
        for s in ["+1", "-2 公里", "@SUM(A1)", "\tx", "\rx"] {
            assert!(defuse(s).starts_with('\''), "{s}");
        }
        assert_eq!(defuse("路面施工 -5 公里"), "路面施工 -5 公里");
        // A negative figure is a number, written as one.
        assert_eq!(csv_field(&Value::Figure(Some(-1.5)).text()), "-1.5");
    }
}
