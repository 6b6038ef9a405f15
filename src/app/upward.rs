//! Reporting level by level: `tasks --from` (the upper office's template → this office's
//! task list) and the reading of the template `run --report-to` fills.

use std::path::{Path, PathBuf};

use super::Reader;
use crate::config::Config;
use crate::discover::Found;
use crate::error::{Error, Result};
use crate::interpret::upper::{self, Upper};
use crate::layout::files;
use crate::log::Log;
use crate::write;

/// What `tasks --from` needs.
#[derive(Debug, Clone)]
pub struct TasksSettings {
    /// The template the upper office sent this unit.
    pub from: PathBuf,
    pub out: PathBuf,
    /// As [`super::Settings::worker`].
    pub worker: Option<PathBuf>,
    /// As [`super::Settings::log`].
    pub log: PathBuf,
}

/// What `tasks --from` wrote.
#[derive(Debug)]
pub struct TasksOutcome {
    pub path: PathBuf,
    pub upper: Upper,
}

/// Reads the upper office's template (in a worker, as every file).
pub(super) fn read_upper(reader: &Reader<'_>, path: &Path) -> Result<Upper> {
    let bad = |detail: String| Error::BadUpperTemplate {
        path: path.to_path_buf(),
        detail,
    };
    if !path.is_file() {
        return Err(bad("找不到该文件".into()));
    }
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    let wb = reader.read_one(&Found {
        path: path.to_path_buf(),
        rel: path.display().to_string(),
        size,
    });
    if wb.unreadable {
        let detail = wb
            .findings
            .first()
            .map(|f| f.message.clone())
            .unwrap_or_default();
        return Err(bad(detail));
    }
    upper::upper_template(&wb).map_err(|why| bad(why.message().into()))
}

/// `tasks --from`: this office's own task list, made from the upper office's template.
/// An existing list is never overwritten: the office may have filled its 责任单位.
pub fn tasks_from(s: &TasksSettings) -> Result<TasksOutcome> {
    let config = Config::load(None, None)?;
    let log = Log::new(s.log.clone());
    let dir = s.from.parent().map(Path::to_path_buf).unwrap_or_default();
    let reader = Reader::new(s.worker.as_deref(), None, &dir, &config, &log);
    let upper = read_upper(&reader, &s.from)?;
    drop(reader);
    let path = s.out.join(files::TASK_LIST);
    if path.exists() {
        return Err(Error::WouldOverwrite(path));
    }
    std::fs::create_dir_all(&s.out).map_err(|source| Error::Write {
        path: s.out.clone(),
        source,
    })?;
    let title = format!("{}重点任务清单", upper.unit);
    let mut wb = write::template::task_list_workbook(&upper.lower_tasks(), &title)
        .map_err(|e| write::xlsx_err(&path, e))?;
    write::save(&mut wb, &path)?;
    Ok(TasksOutcome { path, upper })
}
