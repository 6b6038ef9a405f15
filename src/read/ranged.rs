//! Reading a whole sheet at a time through calamine's ranges: .xls and .ods (whose readers
//! cannot stream), and any workbook the streaming readers could not open.

use std::io::Cursor;

use calamine::{
    Ods, OdsError, Reader, Sheets, Xls, XlsError, Xlsb, XlsbError, open_workbook_auto_from_rs,
};

use super::sheet;
use super::tables::{self, Merge};
use super::zipped;
use crate::cell::Span;
use crate::config::Config;
use crate::discover::kind::Kind;
use crate::finding::{Code, Finding};
use crate::messages as msg;
use crate::model::RawWorkbook;

/// Reads a workbook that is not an .xlsx (.xls, .ods, .xlsb) through calamine's whole-sheet
/// ranges, opened as the format its bytes are.
pub fn read(bytes: &[u8], kind: Kind, wb: &mut RawWorkbook, config: &Config) {
    let rel = wb.rel.clone();
    let cursor = || Cursor::new(bytes);
    let opened: Result<Sheets<Cursor<&[u8]>>, bool> = match kind {
        Kind::Xls => Xls::new(cursor())
            .map(Sheets::Xls)
            .map_err(|e| matches!(e, XlsError::Password)),
        Kind::Ods => Ods::new(cursor())
            .map(Sheets::Ods)
            .map_err(|e| matches!(e, OdsError::Password)),
        Kind::Xlsb => Xlsb::new(cursor())
            .map(Sheets::Xlsb)
            .map_err(|e| matches!(e, XlsbError::Password)),
        _ => open_workbook_auto_from_rs(cursor()).map_err(|_| false),
    };
    let mut book = match opened {
        Ok(b) => b,
        Err(password) => {
            wb.unreadable = true;
            let text = if password {
                msg::ENCRYPTED
            } else if zipped::declares_entities(bytes) {
                msg::XML_ENTITIES
            } else {
                msg::DAMAGED
            };
            wb.findings
                .push(Finding::new(Code::FileUnreadable, text).file(rel));
            return;
        }
    };
    for name in book.sheet_names() {
        match book.worksheet_range(&name) {
            Ok(range) => {
                let mut span = Span::default();
                for (r, c) in [range.start(), range.end()].into_iter().flatten() {
                    span.add(r, c);
                }
                if span.area() > config.limits.max_cells_per_sheet {
                    sheet::too_many_cells(wb, &name, &span, config);
                    return;
                }
                tables::read_sheet(&range, &name, wb, config);
                if let Sheets::Xls(xls) = &book
                    && tables::reads_task_list(wb, &name)
                    && let Ok(merges) = xls.merge_cells_by_sheet_name(&name)
                {
                    tables::fill_merged_down(wb, &merges_of(&merges));
                }
            }
            Err(_) => sheet::sheet_unreadable(wb, &name, bytes),
        }
    }
}

/// calamine's merged ranges as the table finding takes them.
pub fn merges_of(merges: &[calamine::Dimensions]) -> Vec<Merge> {
    merges.iter().map(|m| (m.start, m.end)).collect()
}
