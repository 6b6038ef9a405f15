//! Writing workbooks with rust_xlsxwriter: the only module that touches rust_xlsxwriter.
//!
//! Every workbook is built in memory, given fixed document properties (same input, same
//! bytes) and written to a temporary file that is renamed into place.

pub mod formats;
pub mod summary;
pub mod template;

use std::io::Write;
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
    write_atomic(path, &bytes)
}

/// Writes bytes to a temporary file beside `path`, then renames it into place, so that a
/// crash never leaves half a file and an open (locked) old file is left untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let werr = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(werr)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(werr(e));
    }
    Ok(())
}
