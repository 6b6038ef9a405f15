//! Writing workbooks with rust_xlsxwriter: the only module that touches rust_xlsxwriter.
//!
//! Every workbook is built in memory, given fixed document properties (same input, same
//! bytes) and written to a temporary file that is renamed into place.

pub mod brief;
#[cfg(feature = "samples")]
pub mod foreign;
pub mod formats;
pub mod measure;
pub mod summary;
pub mod template;

use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};

use crate::error::{Error, Result};

/// Fixed document properties: a constant creation time keeps the bytes reproducible.
pub(crate) fn properties(title: &str) -> DocProperties {
    let created = ExcelDateTime::from_ymd(2020, 1, 1).expect("valid constant date");
    DocProperties::new()
        .set_title(title)
        .set_author("huizong")
        .set_creation_datetime(&created)
}

pub(crate) fn xlsx_err(path: &Path, e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Xlsx {
        path: path.to_path_buf(),
        source: Box::new(e),
    }
}

/// A workbook once saved, its cells still held: the caller decides when they are freed.
///
/// The summary's workbook holds every cell of its sheets; freeing them one by one took
/// 12–13 ms on the summary's thread after its file was written, at the very end of a run of
/// 1,200 units' own forms (docs/benchmarks.md, 2026-12-07). `run` hands it back, and `main`
/// leaves it to the process's end with the month's data; any other caller frees it when it
/// drops it.
pub struct Saved {
    _workbook: Workbook,
}

impl std::fmt::Debug for Saved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Saved")
    }
}

/// Serialises a workbook and writes it atomically to `path`.
pub fn save(workbook: &mut Workbook, path: &Path) -> Result<()> {
    let bytes = workbook.save_to_buffer().map_err(|e| xlsx_err(path, e))?;
    crate::atomic::write_atomic(path, &bytes)
}
