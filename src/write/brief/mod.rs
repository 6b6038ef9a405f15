//! The month's briefing (通报, DESIGN §2.6): a Word draft, written with docx-rs from the
//! same consolidated figures as the summary. `content` words the outline from the
//! consolidation's result; `page` lays it out as an official document (GB/T 9704).

mod content;
mod page;

use std::path::Path;

use crate::config::Config;
use crate::consolidate::Consolidated;
use crate::error::{Error, Result};

/// Why no briefing was written, when none was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skipped {
    /// `[brief] enabled = false`.
    Disabled,
    /// No unit's return was read: there is nothing to report.
    EmptyMonth,
}

/// Writes the draft to `path` (atomically), or says why it did not. `today` is the date
/// under the signature when the config sets none.
pub fn write(
    c: &Consolidated<'_>,
    config: &Config,
    path: &Path,
    today: &str,
) -> Result<std::result::Result<(), Skipped>> {
    if !config.brief.enabled {
        return Ok(Err(Skipped::Disabled));
    }
    if c.summary.roster.reported == 0 {
        return Ok(Err(Skipped::EmptyMonth));
    }
    let blocks = content::blocks(c, config, today);
    let title = crate::config::BriefConfig::fill(
        &config.brief.title,
        c.summary.period.year,
        c.summary.period.month,
    );
    let docx = page::document(&blocks, &config.brief.fonts, &title);
    let mut buf = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut buf).map_err(|e| Error::Xlsx {
        path: path.to_path_buf(),
        source: Box::new(e),
    })?;
    crate::atomic::write_atomic(path, &buf.into_inner())?;
    Ok(Ok(()))
}
