//! Reading a whole sheet at a time through calamine's ranges: .xls and .ods (whose readers
//! cannot stream), and any workbook the streaming readers could not open.

use std::io::Cursor;

use calamine::{
    Ods, OdsError, Reader, Sheets, Xls, XlsError, Xlsb, XlsbError, Xlsx, XlsxError,
    open_workbook_auto_from_rs,
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
    let opened: Result<Sheets<Cursor<&[u8]>>, calamine::Error> = match kind {
        Kind::Xls => Xls::new(cursor()).map(Sheets::Xls).map_err(Into::into),
        Kind::Ods => Ods::new(cursor()).map(Sheets::Ods).map_err(Into::into),
        Kind::Xlsb => Xlsb::new(cursor()).map(Sheets::Xlsb).map_err(Into::into),
        // An .xlsx the streaming reader could not open: any format calamine tells; if none,
        // the .xlsx reader's own refusal names the cause.
        _ => open_workbook_auto_from_rs(cursor()).map_err(|auto| {
            Xlsx::new(cursor())
                .err()
                .map_or(auto, calamine::Error::from)
        }),
    };
    let mut book = match opened {
        Ok(b) => b,
        Err(e) => {
            wb.unreadable = true;
            wb.findings
                .push(Finding::new(Code::FileUnreadable, refused(bytes, &e)).file(rel));
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

/// What a clerk is told of a workbook calamine will not open: the cause, where calamine names
/// one a clerk can act on; else that the file may be damaged.
fn refused(bytes: &[u8], e: &calamine::Error) -> String {
    use calamine::Error as E;
    match e {
        E::Xls(XlsError::Password) | E::Ods(OdsError::Password) | E::Xlsb(XlsbError::Password) => {
            msg::ENCRYPTED.to_string()
        }
        // A sheet of a kind calamine does not read (an Excel 4.0 macro sheet): the whole
        // workbook is refused, whatever its other sheets hold.
        E::Xlsx(XlsxError::Unrecognized {
            typ: "sheet:type",
            val,
        })
        | E::Xlsb(XlsbError::Unrecognized {
            typ: "BoundSheet8:dt",
            val,
        }) => msg::sheet_kind_unread(val),
        // An .xlsb whose workbook part is not where calamine looks for it (its package
        // names another place, which Excel follows).
        E::Xlsb(XlsbError::FileNotFound(part)) if part.ends_with("workbook.bin") => {
            msg::part_missing(part)
        }
        _ if zipped::declares_entities(bytes) => msg::XML_ENTITIES.to_string(),
        _ => msg::DAMAGED.to_string(),
    }
}

/// calamine's merged ranges as the table finding takes them.
pub fn merges_of(merges: &[calamine::Dimensions]) -> Vec<Merge> {
    merges.iter().map(|m| (m.start, m.end)).collect()
}
