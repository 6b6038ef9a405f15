//! .xlsb: checked as a zip (`zipped`), then read as an .xlsx is, each sheet's cells streamed.

use std::io::Cursor;

use calamine::{Reader, Xlsb};

use super::ranged;
use super::sheet;
use crate::config::Config;
use crate::discover::kind::Kind;
use crate::model::RawWorkbook;

/// Reads an .xlsb as an .xlsx is read: each sheet's cells streamed, their grid bounded
/// before it is built.
pub fn read(bytes: &[u8], wb: &mut RawWorkbook, config: &Config) {
    let Ok(mut book) = Xlsb::new(Cursor::new(bytes)) else {
        return ranged::read(bytes, Kind::Xlsb, wb, config);
    };
    for name in book.sheet_names() {
        let Ok(mut reader) = book.worksheet_cells_reader(&name) else {
            sheet::sheet_unreadable(wb, &name, bytes);
            continue;
        };
        let streamed = sheet::stream_sheet(|| reader.next_cell().map_err(drop), config);
        drop(reader);
        if !sheet::take_sheet(streamed, &name, wb, bytes, config) {
            return;
        }
    }
}
