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
    let page::Draft { docx, tables } = page::document(&blocks, &config.brief.fonts, &title);
    let err = |e: Box<dyn std::error::Error + Send + Sync>| Error::Docx {
        path: path.to_path_buf(),
        source: e,
    };
    let mut buf = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut buf).map_err(|e| err(Box::new(e)))?;
    let bytes = deflated(buf.into_inner(), &tables).map_err(err)?;
    crate::atomic::write_atomic(path, &bytes)?;
    Ok(Ok(()))
}

/// The document's part in the package docx-rs writes.
const DOCUMENT_PART: &str = "word/document.xml";

/// The same parts, compressed (docx-rs stores them as they are, and a long 附件 1 would
/// make a draft of megabytes to mail), the document's with its tables spliced in.
fn deflated(
    stored: Vec<u8>,
    tables: &page::Tables<'_>,
) -> std::result::Result<Vec<u8>, Box<dyn std::error::Error + Send + Sync>> {
    use std::io::{Cursor, Read, Write};
    use zip::write::SimpleFileOptions;
    let mut archive = zip::ZipArchive::new(Cursor::new(stored))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut part = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i)?;
        let name = f.name()?.to_string();
        if f.is_dir() {
            out.add_directory(name, options)?;
            continue;
        }
        part.clear();
        f.read_to_end(&mut part)?;
        let document = name == DOCUMENT_PART;
        out.start_file(name, options)?;
        if document {
            tables.splice(&part, &mut out)?;
        } else {
            out.write_all(&part)?;
        }
    }
    Ok(out.finish()?.into_inner())
}
