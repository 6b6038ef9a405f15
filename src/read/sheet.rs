//! What every format's reader does with a sheet: streams its cells with their span bounded
//! before any grid is built, and says when a sheet cannot be read or spreads too far.

use calamine::{DataRef, DataType, Range};

use super::refusal::Refusal;
use super::tables;
use super::zipped;
use crate::cell::Span;
use crate::config::Config;
use crate::finding::{Code, Finding};
use crate::messages as msg;
use crate::model::RawWorkbook;

/// A sheet's cells as streamed.
pub enum Streamed<'a> {
    /// Its non-empty cells, and where it has cells that hold no value.
    Cells(Vec<calamine::Cell<DataRef<'a>>>, Valueless),
    /// They spread over more cells than allowed (as far as seen).
    TooSpread(Span),
    /// The reader failed.
    Broken,
}

/// The cells a sheet writes without a value (`<c r="C5"><f>SUM(…)</f></c>`): only there can
/// a formula be saved without its result, so a sheet without one is not read a second time
/// for its formulas.
#[derive(Debug, Default)]
pub struct Valueless {
    at: Vec<(u32, u32)>,
    /// More than [`Valueless::KEPT`]: where they are is not kept.
    many: bool,
}

impl Valueless {
    const KEPT: usize = 4096;

    fn add(&mut self, at: (u32, u32)) {
        if self.at.len() < Self::KEPT {
            self.at.push(at);
        } else {
            self.many = true;
        }
    }

    /// Whether the cell at `at` may be one of them.
    pub fn may_hold(&self, at: (u32, u32)) -> bool {
        self.many || self.at.contains(&at)
    }
}

/// Streams one sheet's non-empty cells, stopping as soon as they span more than the limit.
pub fn stream_sheet<'a>(
    mut next: impl FnMut() -> Result<Option<calamine::Cell<DataRef<'a>>>, ()>,
    config: &Config,
) -> Streamed<'a> {
    let limit = config.limits.max_cells_per_sheet;
    let mut cells = Vec::new();
    let mut valueless = Valueless::default();
    let mut span = Span::default();
    loop {
        match next() {
            Ok(Some(cell)) if cell.get_value().is_empty() => valueless.add(cell.get_position()),
            Ok(Some(cell)) => {
                let (r, c) = cell.get_position();
                if span.add(r, c) > limit {
                    return Streamed::TooSpread(span);
                }
                cells.push(cell);
            }
            Ok(None) => return Streamed::Cells(cells, valueless),
            Err(()) => return Streamed::Broken,
        }
    }
}

/// Reads a streamed sheet into `wb`; false when the whole file is refused.
pub fn take_sheet(
    streamed: Streamed<'_>,
    name: &str,
    wb: &mut RawWorkbook,
    bytes: &[u8],
    config: &Config,
) -> bool {
    match streamed {
        Streamed::Cells(cells, _) => {
            tables::read_sheet(&Range::from_sparse(cells), name, wb, config)
        }
        Streamed::TooSpread(span) => {
            too_many_cells(wb, name, &span, config);
            return false;
        }
        Streamed::Broken => sheet_unreadable(wb, name, bytes),
    }
    true
}

/// A sheet spans more cells than allowed: the file is refused whole, as the pre-scan refuses
/// one.
pub fn too_many_cells(wb: &mut RawWorkbook, sheet: &str, span: &Span, config: &Config) {
    let refusal = Refusal::CellsSpread {
        sheet: sheet.to_string(),
        span: *span,
        filled: None,
        limit: config.limits.max_cells_per_sheet,
    };
    refuse(wb, &refusal);
}

/// The whole file is refused: the finding names the sheet when the refusal is about one.
pub fn refuse(wb: &mut RawWorkbook, refusal: &Refusal) {
    wb.unreadable = true;
    let mut finding = Finding::new(refusal.code(), refusal.message()).file(wb.rel.clone());
    if let Some(sheet) = refusal.sheet() {
        finding = finding.sheet(sheet);
    }
    wb.findings.push(finding);
}

/// A sheet calamine could not read; entity declarations are named as the likely cause.
pub fn sheet_unreadable(wb: &mut RawWorkbook, sheet: &str, bytes: &[u8]) {
    let text = if zipped::declares_entities(bytes) {
        msg::XML_ENTITIES
    } else {
        msg::SHEET_DAMAGED
    };
    wb.findings.push(
        Finding::new(Code::FileUnreadable, text)
            .file(wb.rel.clone())
            .sheet(sheet),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valueless_cells_are_known_until_there_are_too_many() {
        let mut v = Valueless::default();
        v.add((4, 2));
        assert!(v.may_hold((4, 2)));
        assert!(
            !v.may_hold((4, 3)),
            "a cell with a value cannot hold a formula's blank"
        );
        for r in 0..Valueless::KEPT as u32 {
            v.add((100 + r, 0));
        }
        // Past the limit their places are not kept: every cell may be one.
        assert!(v.may_hold((4, 3)));
    }
}
