//! .ods: copied with its content stored inflated (`copy`), checked as a zip (`zipped`, which
//! also bounds the grid its `content.xml` spans, since calamine's ODS reader cannot be
//! streamed), then read a whole sheet at a time.

use super::ranged;
use super::refusal::{Checked, Refusal};
use super::{copy, zipped};
use crate::config::{Config, Limits};
use crate::discover::kind::Kind;
use crate::model::RawWorkbook;

/// Checks an .ods before calamine reads it. A small one is first copied with its content
/// inflated once (each part no larger than its record says); the copy is then checked as
/// any .ods is, its content read where it is stored, by the check as by calamine.
pub fn check(bytes: &[u8], limits: &Limits) -> Result<Checked, Refusal> {
    match copy::ods_for_calamine(bytes, limits) {
        Some(copy) => Ok(Checked::Copy(copy)),
        None => zipped::check(bytes, limits).map(|()| Checked::AsTheyAre),
    }
}

/// Reads a checked .ods into `wb`.
pub fn read(bytes: &[u8], wb: &mut RawWorkbook, config: &Config) {
    ranged::read(bytes, Kind::Ods, wb, config);
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use calamine::{Ods, Reader};

    use super::*;
    use crate::read::part_methods as methods;

    /// Every sheet's cells as calamine reads them.
    fn sheets(bytes: &[u8]) -> Vec<String> {
        let mut book = Ods::new(Cursor::new(bytes)).unwrap();
        book.sheet_names()
            .iter()
            .map(|n| format!("{n}: {:?}", book.worksheet_range(n).unwrap()))
            .collect()
    }

    /// A unit's own form saved by LibreOffice: checked through a copy whose content is stored
    /// inflated, which calamine reads as it reads the file, and which is not copied again.
    #[test]
    fn a_small_ods_is_read_from_a_copy_with_its_content_inflated() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/layouts/长春市交通运输局6月进展.ods"
        );
        let bytes = std::fs::read(path).unwrap();
        let stored = |b: &[u8], part: &str| {
            methods(b)
                .into_iter()
                .find(|(n, _)| n == part)
                .unwrap_or_else(|| panic!("{part}"))
                .1
        };
        assert!(!stored(&bytes, "content.xml"));
        let limits = Config::embedded().limits;
        let Ok(Checked::Copy(copy)) = check(&bytes, &limits) else {
            panic!("a copy");
        };
        assert!(stored(&copy, "content.xml"));
        assert!(stored(&copy, "meta.xml"));
        assert_eq!(methods(&copy).len(), methods(&bytes).len());
        assert_eq!(sheets(&copy), sheets(&bytes));
        assert!(sheets(&copy).iter().any(|s| s.contains("String")));
        assert!(matches!(check(&copy, &limits), Ok(Checked::AsTheyAre)));
    }

    /// A cell repeated across ten million columns (calamine would allocate them all) is
    /// refused from the copy as it was from the file.
    #[test]
    fn a_repeated_cell_spread_too_far_is_refused_through_the_copy() {
        use std::io::Write;
        let content = br#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Sheet1"><table:table-row><table:table-cell table:number-columns-repeated="10000000" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let deflated = stored.compression_method(zip::CompressionMethod::Deflated);
        w.start_file("mimetype", stored).unwrap();
        w.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        w.start_file("content.xml", deflated).unwrap();
        w.write_all(content).unwrap();
        let bytes = w.finish().unwrap().into_inner();
        let limits = Config::embedded().limits;
        let Ok(Checked::Copy(copy)) = check(&bytes, &limits) else {
            panic!("a copy");
        };
        let refused = |b: &[u8]| {
            matches!(
                zipped::check(b, &limits),
                Err(Refusal::TooManyCells {
                    cells: 10_000_000,
                    ..
                })
            )
        };
        assert!(refused(&bytes));
        assert!(refused(&copy));
        assert!(check(&copy, &limits).is_err());
    }
}
