//! Reading workbooks: the read room. One module per format behind one interface — check the
//! bytes (a refusal, the bytes as they are, or a copy to check in turn), then read them —
//! and the table finding on the grid any of them hands over:
//!
//! - `xlsx`, `xlsb`, `ods`: zip-based, checked by `zipped`; `xls` (its compound file through
//!   `compound`, its decryption and pre-scan); `encrypted` (an .xlsx inside a compound file);
//!   `ranged` reads a whole sheet at a time, `sheet` streams one;
//! - `tables` finds the tables and labels on a [`tables::Sheet`], `header` their header rows;
//!   `cells` is calamine's cells as they see them;
//! - `refusal`: why a file is not read, typed; `worker`: reading in capped processes;
//!   `answer`: a worker's answer, its rows decoded when asked for.
//!
//! What is read is returned raw ([`RawWorkbook`]): interpretation (numbers, identity, tasks)
//! is done by pure code in `interpret`. Only this room touches calamine.

pub mod answer;
mod cells;
mod chains;
mod compound;
mod copy;
mod encrypted;
mod header;
mod mend;
mod ods;
mod ranged;
mod refusal;
mod sheet;
mod tables;
pub mod worker;
mod xls;
mod xlsb;
mod xlsx;
mod zipped;

use std::borrow::Cow;
use std::path::Path;

use crate::config::Config;
use crate::discover::kind::{self, Kind};
use crate::finding::{Code, Finding};
use crate::messages as msg;
use crate::model::RawWorkbook;
pub use answer::{Answer, Deferred, TableRows};
use refusal::{Checked, Refusal};

/// How many copies a file may be checked through before it is read: its workbook stream
/// renamed, decrypted, then a declaration brought down. A file that asks for more is refused.
const MAX_COPIES: usize = 3;

/// Reads one workbook. Never fails: a file that cannot be read yields a finding.
pub fn read_workbook(path: &Path, rel: &str, config: &Config) -> RawWorkbook {
    let mut wb = RawWorkbook::new(path.to_path_buf(), rel.to_string());
    let fail = |wb: &mut RawWorkbook, code: Code, text: String| {
        wb.unreadable = true;
        wb.findings
            .push(Finding::new(code, text).file(rel.to_string()));
    };
    // Opened once: its size and time are the opened file's (no second lookup of its path),
    // and what is read is the file whose size was checked.
    let opened = std::fs::File::open(path).and_then(|f| f.metadata().map(|m| (f, m)));
    let (mut file, size) = match opened {
        Ok((f, m)) => {
            wb.modified = modified_secs(&m);
            (f, m.len())
        }
        Err(e) => {
            fail(&mut wb, Code::FileUnreadable, msg::file_io(&e));
            return wb;
        }
    };
    if size > config.limits.max_file_bytes {
        let limit = config.limits.max_file_bytes;
        sheet::refuse(&mut wb, &Refusal::FileTooBig { size, limit });
        return wb;
    }
    let bytes = match read_sized(&mut file, size) {
        Ok(b) => b,
        Err(e) => {
            fail(&mut wb, Code::FileUnreadable, msg::file_io(&e));
            return wb;
        }
    };
    drop(file);
    read_bytes(&bytes, &mut wb, config);
    wb
}

/// Reads an opened file whose size is `size`: the whole of it, also when it has changed
/// since.
///
/// `File::read_to_end` asks the system for the file's size and position again (two calls for
/// each of a month's thousand files, on the reading's critical path); the size is known.
fn read_sized(file: &mut std::fs::File, size: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let want = usize::try_from(size).unwrap_or(0);
    let mut bytes = vec![0; want];
    let mut filled = 0;
    while filled < bytes.len() {
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(filled);
    // Shorter than it was: what is there is read. As long: whatever was added since, by
    // std's own loop (through `Take`, which asks no size: one empty read when nothing was).
    if filled == want {
        file.take(u64::MAX).read_to_end(&mut bytes)?;
    }
    Ok(bytes)
}

/// Reads a workbook held in memory into `wb`.
pub fn read_bytes(bytes: &[u8], wb: &mut RawWorkbook, config: &Config) {
    // A library that panics on a damaged file (calamine's cell-reference arithmetic does in
    // a debug build) costs that file, here as in the worker: a finding, never a panic.
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_bytes_unguarded(bytes, wb, config)
    }));
    if caught.is_err() {
        let finding = Finding::new(Code::FileUnreadable, msg::READER_PANIC).file(wb.rel.clone());
        *wb = RawWorkbook::failed(wb.path.clone(), wb.rel.clone(), finding);
    }
}

fn read_bytes_unguarded(bytes: &[u8], wb: &mut RawWorkbook, config: &Config) {
    let mut bytes = Cow::Borrowed(bytes);
    let mut copies = 0;
    let kind = loop {
        // A compound file is opened once: to tell what it is, then to check it.
        let (kind, opened) = if kind::is_compound(&bytes) {
            let opened = compound::open(&bytes);
            let root = opened.as_ref().map(compound::root_names);
            (kind::compound_kind(&bytes, root.as_deref()), opened)
        } else {
            (kind::detect(&bytes), None)
        };
        let checked = match kind {
            Kind::Xls => xls::check(&bytes, opened, config),
            Kind::EncryptedOoxml => encrypted::check(&bytes),
            // A zip found behind other bytes is left to the reader, as it always was.
            Kind::Xlsx | Kind::Xlsb | Kind::Ods if !bytes.starts_with(b"PK") => {
                Ok(Checked::AsTheyAre)
            }
            Kind::Ods => ods::check(&bytes, &config.limits),
            Kind::Xlsx => xlsx::check(&bytes, &config.limits),
            Kind::Xlsb => zipped::check(&bytes, &config.limits).map(|()| Checked::AsTheyAre),
            other => {
                let reason = sniff(other);
                wb.unreadable = true;
                wb.findings
                    .push(Finding::new(Code::FileUnreadable, reason).file(wb.rel.clone()));
                return;
            }
        };
        match checked {
            Ok(Checked::Copy(copy)) if copies < MAX_COPIES => {
                copies += 1;
                bytes = Cow::Owned(copy);
            }
            Ok(Checked::Copy(_)) => return sheet::refuse(wb, &Refusal::CompoundDamaged),
            Ok(Checked::AsTheyAre) => break kind,
            Err(refusal) => return sheet::refuse(wb, &refusal),
        }
    };
    match kind {
        Kind::Xlsx => xlsx::read(&bytes, wb, config),
        Kind::Xlsb => xlsb::read(&bytes, wb, config),
        Kind::Ods => ods::read(&bytes, wb, config),
        _ => xls::read(&bytes, wb, config),
    }
}

/// What the bytes are when they are no workbook huizong reads: the message that says what
/// the file is and what to send instead.
fn sniff(kind: Kind) -> String {
    match kind {
        Kind::Empty => msg::EMPTY_FILE.to_string(),
        Kind::EncryptedOoxml => msg::ENCRYPTED.to_string(),
        Kind::OldExcel => msg::OLD_EXCEL.to_string(),
        Kind::XmlSpreadsheet => msg::XML_SPREADSHEET.to_string(),
        Kind::Numbers => msg::NUMBERS.to_string(),
        Kind::QuattroPro => msg::QUATTRO_PRO.to_string(),
        Kind::BrokenZip => msg::TRUNCATED.to_string(),
        Kind::DamagedCompound => msg::DAMAGED.to_string(),
        Kind::Html => msg::IS_HTML.to_string(),
        other => msg::not_workbook(other.name()),
    }
}

fn modified_secs(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs() as i64)
}

/// How each part of a zip is kept: its name and whether it is stored uncompressed (what the
/// copies calamine opens are made of: `copy`, `xlsx`, `ods`).
#[cfg(test)]
fn part_methods(bytes: &[u8]) -> Vec<(String, bool)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let part = zip.by_index(i).unwrap();
            let stored = part.compression() == zip::CompressionMethod::Stored;
            (part.name().unwrap().into_owned(), stored)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Raw, TableKind};

    #[test]
    fn a_workbook_stream_named_in_capitals_is_read() {
        // calamine's test file: a BIFF5 workbook whose stream is `BOOK`.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/public");
        let bytes = std::fs::read(dir.join("capitalized_wbook_stream.xls")).unwrap();
        assert_eq!(kind::detect(&bytes), Kind::Xls);
        let copy = compound::with_workbook_named(&bytes).expect("renamed on a copy");
        assert_eq!(
            compound::workbook_stream(&copy),
            compound::workbook_stream(&bytes)
        );
        assert_eq!(
            compound::with_workbook_named(&copy),
            None,
            "already named so"
        );
        let wb = read(&bytes, &Config::embedded());
        assert!(!wb.unreadable, "{:?}", wb.findings);
        assert!(wb.findings.is_empty(), "{:?}", wb.findings);
    }

    #[test]
    fn a_file_is_read_whole_whatever_size_it_was_said_to_have() {
        let t = tempfile::tempdir().unwrap();
        let path = t.path().join("a.xlsx");
        let data: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        for size in [0, 1, 4096, 9_999, 10_000, 10_001, 20_000] {
            let mut f = std::fs::File::open(&path).unwrap();
            assert_eq!(read_sized(&mut f, size).unwrap(), data, "said {size}");
        }
    }

    fn read(bytes: &[u8], config: &Config) -> RawWorkbook {
        let mut wb = RawWorkbook::new("t.xlsx".into(), "t.xlsx".into());
        read_bytes(bytes, &mut wb, config);
        wb
    }

    fn xlsx(cells: &[(u32, u16, &str)]) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet();
        for (r, c, t) in cells {
            ws.write_string(*r, *c, *t).unwrap();
        }
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn a_small_grid_bomb_is_refused_while_its_cells_stream() {
        let bytes = xlsx(&[(0, 0, "任务编号"), (1_048_575, 16_383, "x")]);
        // Small enough on disk that the pre-scan leaves it to the reader.
        assert!(bytes.len() < 16 << 10);
        let wb = read(&bytes, &Config::embedded());
        assert!(wb.unreadable);
        assert_eq!(wb.findings.len(), 1);
        assert_eq!(wb.findings[0].code, Code::FileLimit);
        assert_eq!(wb.findings[0].sheet.as_deref(), Some("Sheet1"));
    }

    #[test]
    fn a_large_sheets_grid_bomb_is_refused_while_its_cells_stream_naming_it() {
        // Large enough on disk that the zip check inflates it: its cells are still bounded
        // by the reader, which names the sheet and the range.
        let bytes = crate::testkit::xlsx_of_sheet(&crate::testkit::padded(
            br#"<worksheet><dimension ref="A1"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row></sheetData></worksheet>"#,
        ));
        assert!(bytes.len() > 16 << 10, "pre-read by the zip check");
        let wb = read(&bytes, &Config::embedded());
        assert!(wb.unreadable);
        assert_eq!(wb.findings.len(), 1, "{:?}", wb.findings);
        assert_eq!(wb.findings[0].code, Code::FileLimit);
        assert_eq!(wb.findings[0].sheet.as_deref(), Some("Sheet1"));
        assert!(
            wb.findings[0].message.contains("A1:XFD1048576"),
            "{}",
            wb.findings[0].message
        );
    }

    #[test]
    fn rows_numbered_to_the_end_of_u32_do_not_slip_past_the_limit() {
        // Row 4294967295 then rows without a number: the span reaches the end of u32.
        let sheet = br#"<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="4294967295"><c><v>1</v></c></row><row><c><v>2</v></c></row><row><c><v>3</v></c></row></sheetData></worksheet>"#;
        for bytes in [
            crate::testkit::xlsx_of_sheet(sheet),
            crate::testkit::xlsx_of_sheet(&crate::testkit::padded(sheet)),
        ] {
            let wb = read(&bytes, &Config::embedded());
            assert!(wb.unreadable, "{:?}", wb.findings);
            assert_eq!(wb.findings.len(), 1, "{:?}", wb.findings);
        }
    }

    #[test]
    fn the_grid_limit_counts_the_span_of_non_empty_cells() {
        let bytes = xlsx(&[(0, 0, "a"), (9, 9, "b")]);
        let mut config = Config::embedded();
        config.limits.max_cells_per_sheet = 100;
        assert!(read(&bytes, &config).findings.is_empty());
        config.limits.max_cells_per_sheet = 99;
        let wb = read(&bytes, &config);
        // The span A1:J10 is 100 cells: said with its figures, on its sheet.
        let mut span = crate::cell::Span::default();
        span.add(0, 0);
        span.add(9, 9);
        let want = Refusal::CellsSpread {
            sheet: "Sheet1".into(),
            span,
            filled: None,
            limit: 99,
        };
        assert_eq!(wb.findings[0].message, want.message(), "{:?}", wb.findings);
        assert_eq!(wb.findings[0].code, Code::FileLimit);
        assert_eq!(wb.findings[0].sheet.as_deref(), Some("Sheet1"));
    }

    #[test]
    fn labels_and_a_table_are_read_from_shared_strings() {
        let bytes = xlsx(&[
            (0, 0, "填报单位：长春市交通运输局"),
            (1, 0, "报送月份："),
            (1, 1, "2020年6月"),
            (2, 0, "任务编号"),
            (2, 1, "自年初累计完成"),
            (3, 0, "1-1"),
            (3, 1, "12"),
        ]);
        let wb = read(&bytes, &Config::embedded());
        let unit = wb.labels.unit.as_ref().map(|(v, _)| v.display());
        assert_eq!(unit.as_deref(), Some("长春市交通运输局"));
        let period = wb
            .labels
            .period
            .as_ref()
            .map(|(v, at)| (v.display(), at.col));
        assert_eq!(period, Some(("2020年6月".to_string(), 1)));
        let table = &wb.tables[0];
        assert_eq!(table.kind, TableKind::Progress);
        assert_eq!(table.header_row, 2);
        assert_eq!(table.rows.len(), 1);
        assert_eq!(table.rows[0].cells[0], Raw::Text("1-1".into()));
    }
}
