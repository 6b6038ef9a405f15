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

/// Serialises a workbook and writes it atomically to `path`.
pub fn save(workbook: &mut Workbook, path: &Path) -> Result<()> {
    let bytes = workbook.save_to_buffer().map_err(|e| xlsx_err(path, e))?;
    crate::atomic::write_atomic(path, &bytes)
}
