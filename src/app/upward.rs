//! Reporting level by level: `tasks --from` (the upper office's template → this office's
//! task list) and the reading of the template `run --report-to` fills.

use std::path::{Path, PathBuf};

use crate::discover::Found;
use crate::error::{Error, Result};
use crate::interpret::upper::{self, Upper};
use crate::model::RawWorkbook;

/// What `tasks --from` needs.
#[derive(Debug, Clone)]
pub struct TasksSettings {
    /// The template the upper office sent this unit.
    pub from: PathBuf,
    pub out: PathBuf,
    /// The huizong executable that reads in worker processes (`None`: in-process).
    pub worker: Option<PathBuf>,
    /// Where details for a maintainer go.
    pub log: PathBuf,
}

/// What `tasks --from` wrote.
#[derive(Debug)]
pub struct TasksOutcome {
    pub path: PathBuf,
    pub upper: Upper,
}

/// Reads the upper office's template with `read` (in a worker, as every file).
pub(super) fn read_upper(read: impl Fn(&Found) -> RawWorkbook, path: &Path) -> Result<Upper> {
    let bad = |detail: String| Error::BadUpperTemplate {
        path: path.to_path_buf(),
        detail,
    };
    if !path.is_file() {
        return Err(bad("找不到该文件".into()));
    }
    let wb = read_named(read, path, &path.display().to_string()).map_err(bad)?;
    upper::upper_template(&wb).map_err(|why| bad(why.message().into()))
}

/// Reads a file named on the command line (the task list, the upper office's template);
/// one that cannot be read at all is the reason why, said.
pub(super) fn read_named(
    read: impl Fn(&Found) -> RawWorkbook,
    path: &Path,
    rel: &str,
) -> std::result::Result<RawWorkbook, String> {
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    let wb = read(&Found {
        path: path.to_path_buf(),
        rel: rel.to_string(),
        size,
    });
    if wb.unreadable {
        return Err(wb
            .findings
            .first()
            .map(|f| f.message.clone())
            .unwrap_or_default());
    }
    Ok(wb)
}
