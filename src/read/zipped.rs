//! Checks a zip-based workbook before calamine sees it: real inflated sizes (not what the zip
//! directory claims), inflate ratios, XML entity declarations, and the grid a sheet's
//! non-empty cells would span (not what `<dimension>` claims). Memory stays bounded: parts
//! are streamed through a fixed buffer and never kept.
//!
//! calamine allocates the whole rectangle between a sheet's first and last non-empty cell,
//! and aborts the process (no panic to catch) when that allocation fails; it has no
//! decompression limit. These checks are what keeps one hostile file from taking the batch
//! down.
//!
//! Deflate inflates at most 1032 times, so a part whose compressed size is small can hold no
//! bomb: such a part is not inflated here, which spares every ordinary return a second
//! inflation. (Entity declarations are harmless to calamine, whose parser refuses entities
//! instead of expanding them; [`declares_entities`] only names the cause when reading fails.) The grid of an .xlsx sheet is then
//! bounded by the reader as it streams the cells (see `sheet`); an .ods `content.xml` is always
//! scanned here, since calamine's ODS reader cannot be streamed.

use std::cell::RefCell;
use std::io::{Cursor, Read};
use std::sync::LazyLock;

use memchr::memmem::Finder;

use super::refusal::Refusal;
use crate::config::Limits;

/// Parts larger than this (inflated) must respect the inflate ratio.
const RATIO_FLOOR: u64 = 1 << 20;
/// Parts that cannot inflate beyond this are not pre-read (while the parts skipped so could
/// not together inflate beyond `max_inflated_bytes`).
const SMALL_PART: u64 = 16 << 20;
/// The most deflate can inflate one byte to.
const MAX_DEFLATE_RATIO: u64 = 1032;
/// Bytes read of a part to look for a DOCTYPE.
const PROLOG: usize = 2048;
/// The streaming buffer.
const CHUNK: usize = 64 * 1024;
/// Longest tag kept across chunk boundaries.
const MAX_TAG: usize = 4096;

thread_local! {
    /// The streaming buffer, kept for the thread once a part was pre-read (every .ods's
    /// `content.xml` is): zeroing a new one for each file was 2 % of reading a small .ods.
    static BUF: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Checks every part of a zip-based workbook.
pub fn check(bytes: &[u8], limits: &Limits) -> Result<(), Refusal> {
    BUF.with_borrow_mut(|buf| check_with(bytes, limits, buf))
}

/// [`check`] with the thread's buffer (empty until a first part is pre-read: most returns
/// have none).
fn check_with(bytes: &[u8], limits: &Limits, buf: &mut Vec<u8>) -> Result<(), Refusal> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Refusal::Truncated)?;
    let mut total: u64 = 0;
    // What the parts not pre-read could inflate to, together.
    let mut skipped: u64 = 0;
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).map_err(|_| Refusal::Truncated)?;
        if part.is_dir() {
            continue;
        }
        let name = part.name().map(|n| n.to_string()).unwrap_or_default();
        if part.encrypted() {
            return Err(Refusal::Encrypted);
        }
        let compressed = part.compressed_size();
        // Wherever the package keeps its sheets (`xl/worksheets/`, a folder its
        // relationships name, or `xl\worksheets\` as some Windows programs write the names),
        // in whatever case (`XL\WORKSHEETS\SHEET1.XML`: calamine finds parts so).
        let lower = name.to_ascii_lowercase();
        let is_sheet = (lower.contains("worksheets/") || lower.contains("worksheets\\"))
            && lower.ends_with(".xml");
        // A small part can hold no bomb: it is not inflated twice. (The compressed size comes
        // from the local header and is checked by the zip reader.)
        let potential = compressed.saturating_mul(MAX_DEFLATE_RATIO);
        if name != "content.xml"
            && potential < SMALL_PART
            && skipped.saturating_add(potential) <= limits.max_inflated_bytes
        {
            skipped += potential;
            continue;
        }
        if buf.is_empty() {
            buf.resize(CHUNK, 0);
        }
        let is_ods_content = name == "content.xml";
        let is_xml = lower.ends_with(".xml") || lower.ends_with(".rels");
        let mut scan = CellScan::default();
        let mut carry: Vec<u8> = Vec::new();
        let mut inflated: u64 = 0;
        loop {
            let n = match part.read(buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(_) => return Err(Refusal::Truncated),
            };
            inflated += n as u64;
            total += n as u64;
            if inflated > limits.max_part_bytes {
                return Err(Refusal::PartTooBig {
                    part: name,
                    limit: limits.max_part_bytes,
                });
            }
            if total > limits.max_inflated_bytes {
                return Err(Refusal::InflatedTooBig {
                    limit: limits.max_inflated_bytes,
                });
            }
            if inflated > RATIO_FLOOR
                && inflated > compressed.max(1).saturating_mul(limits.max_inflate_ratio)
            {
                return Err(Refusal::RatioTooHigh {
                    part: name,
                    ratio: limits.max_inflate_ratio,
                });
            }
            if is_xml {
                carry.extend_from_slice(&buf[..n]);
                let keep = scan_xml(&carry, is_sheet, is_ods_content, &mut scan)?;
                carry.drain(..carry.len() - keep);
                if carry.len() > MAX_TAG {
                    let cut = carry.len() - MAX_TAG;
                    carry.drain(..cut);
                }
                if is_sheet && scan.area() > limits.max_cells_per_sheet {
                    return Err(Refusal::TooManyCells {
                        cells: scan.area(),
                        limit: limits.max_cells_per_sheet,
                    });
                }
                if is_ods_content && scan.ods_repeat > limits.max_cells_per_sheet {
                    return Err(Refusal::TooManyCells {
                        cells: scan.ods_repeat,
                        limit: limits.max_cells_per_sheet,
                    });
                }
            }
        }
    }
    Ok(())
}

/// Whether a part of the workbook declares XML entities (a DOCTYPE in its prolog).
///
/// Not a safety check: calamine's XML parser never expands declared entities, it refuses
/// them. This tells the clerk why such a file could not be read, once it could not.
pub fn declares_entities(bytes: &[u8]) -> bool {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return false;
    };
    (0..archive.len()).any(|i| {
        let Ok(part) = archive.by_index(i) else {
            return false;
        };
        let mut head = Vec::with_capacity(PROLOG);
        let _ = part.take(PROLOG as u64).read_to_end(&mut head);
        has_doctype(&head)
    })
}

/// What the scan of a sheet has seen so far.
#[derive(Debug, Default)]
struct CellScan {
    row: u32,
    col: u32,
    min_row: u32,
    max_row: u32,
    min_col: u32,
    max_col: u32,
    any: bool,
    /// ODS: the largest repetition of a cell that holds content.
    ods_repeat: u64,
}

impl CellScan {
    /// Cells of the rectangle spanned by the non-empty cells seen.
    fn area(&self) -> u64 {
        if !self.any {
            return 0;
        }
        // In u64: a span from row 0 to row u32::MAX has 2^32 rows.
        let span = |lo: u32, hi: u32| u64::from(hi) - u64::from(lo) + 1;
        span(self.min_row, self.max_row) * span(self.min_col, self.max_col)
    }

    fn cell(&mut self, row: u32, col: u32) {
        if !self.any {
            (self.min_row, self.max_row, self.min_col, self.max_col) = (row, row, col, col);
            self.any = true;
        } else {
            self.min_row = self.min_row.min(row);
            self.max_row = self.max_row.max(row);
            self.min_col = self.min_col.min(col);
            self.max_col = self.max_col.max(col);
        }
    }
}

/// Scans complete tags in `data`; returns how many bytes at the end belong to an
/// incomplete tag (to keep for the next chunk).
fn scan_xml(
    data: &[u8],
    is_sheet: bool,
    is_ods: bool,
    scan: &mut CellScan,
) -> Result<usize, Refusal> {
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &data[i..]) {
        let start = i + off;
        let Some(end_off) = memchr::memchr(b'>', &data[start..]) else {
            return Ok(data.len() - start);
        };
        let tag = &data[start..start + end_off + 1];
        i = start + end_off + 1;
        if tag.starts_with(b"<!DOCTYPE") || tag.starts_with(b"<!ENTITY") {
            return Err(Refusal::XmlEntities);
        }
        if is_sheet {
            if tag.starts_with(b"<row ") || tag.starts_with(b"<row>") {
                scan.row = match attr_num(tag, &ROW_OR_CELL) {
                    Some(r) => r.saturating_sub(1),
                    None => scan.row.saturating_add(1),
                };
                scan.col = 0;
            } else if tag.starts_with(b"<c ") || tag == b"<c>" {
                let (row, col) = match attr_bytes(tag, &ROW_OR_CELL).and_then(parse_a1) {
                    Some(rc) => rc,
                    None => (scan.row, scan.col),
                };
                scan.row = row;
                scan.col = col.saturating_add(1);
                // A self-closing cell is empty: calamine leaves it out of the grid.
                if !tag.ends_with(b"/>") {
                    scan.cell(row, col);
                }
            }
        } else if is_ods && tag.starts_with(b"<table:table-cell") && !tag.ends_with(b"/>") {
            let rep = attr_num(tag, &COLUMNS_REPEATED).unwrap_or(1) as u64;
            scan.ods_repeat = scan.ods_repeat.max(rep);
        }
    }
    Ok(0)
}

fn has_doctype(data: &[u8]) -> bool {
    data.windows(9)
        .any(|w| w == b"<!DOCTYPE" || w.starts_with(b"<!ENTITY"))
}

/// The attributes the scan looks for, each searched for with a finder made once: an .ods
/// cell's tag holds several long attributes, and comparing the key at each of its bytes
/// was a third of reading a small .ods.
static ROW_OR_CELL: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b" r=\""));
static COLUMNS_REPEATED: LazyLock<Finder<'static>> =
    LazyLock::new(|| Finder::new(b"table:number-columns-repeated=\""));

fn attr_bytes<'a>(tag: &'a [u8], key: &Finder<'_>) -> Option<&'a [u8]> {
    let at = key.find(tag)? + key.needle().len();
    let len = tag[at..].iter().position(|&b| b == b'"')?;
    Some(&tag[at..at + len])
}

fn attr_num(tag: &[u8], key: &Finder<'_>) -> Option<u32> {
    std::str::from_utf8(attr_bytes(tag, key)?)
        .ok()?
        .parse()
        .ok()
}

/// `XFD1048576` → zero-based (row, col).
fn parse_a1(r: &[u8]) -> Option<(u32, u32)> {
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = r[..letters].iter().fold(0u32, |acc, b| {
        acc * 26 + (b.to_ascii_uppercase() - b'A' + 1) as u32
    });
    let row: u32 = std::str::from_utf8(&r[letters..]).ok()?.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::zip_of;

    fn limits() -> Limits {
        crate::config::Config::embedded().limits
    }

    /// A sheet made large enough on disk to be pre-read: an XML comment of pseudo-random
    /// hex digits, which deflate cannot shrink below half.
    fn padded(sheet: &[u8]) -> Vec<u8> {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut out = sheet.to_vec();
        let at = out.len() - b"</worksheet>".len();
        let mut pad = b"<!--".to_vec();
        for _ in 0..80_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            pad.push(b"0123456789abcdef"[(x & 15) as usize]);
        }
        pad.extend_from_slice(b"-->");
        out.splice(at..at, pad);
        out
    }

    #[test]
    fn a_small_part_is_not_inflated_here() {
        // The grid of a small sheet is bounded by the reader as it streams its cells.
        let sheet = br#"<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row></sheetData></worksheet>"#;
        let z = zip_of(&[("xl/worksheets/sheet1.xml", sheet)]);
        assert_eq!(check(&z, &limits()), Ok(()));
    }

    #[test]
    fn a_grid_bomb_in_a_large_sheet_is_refused_before_calamine() {
        let sheet = padded(
            br#"<worksheet><dimension ref="A1"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row></sheetData></worksheet>"#,
        );
        // Wherever the package keeps its sheets, as calamine reads them there.
        for name in [
            "xl/worksheets/sheet1.xml",
            "xl\\worksheets\\sheet1.xml",
            "wtf/worksheets/sheet1.xml",
            "XL\\WORKSHEETS\\SHEET1.XML",
        ] {
            let z = zip_of(&[(name, &sheet)]);
            assert!(z.len() as u64 * MAX_DEFLATE_RATIO > SMALL_PART);
            assert!(
                matches!(check(&z, &limits()), Err(Refusal::TooManyCells { .. })),
                "{name}"
            );
        }
    }

    #[test]
    fn rows_numbered_to_the_end_of_u32_do_not_wrap_the_area() {
        // Row 4294967295 then a row without a number: the span reaches 2^32 rows, which
        // wrapped to an area of 0 in u32 and let the sheet past the cell limit.
        let sheet = padded(
            br#"<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="4294967295"><c><v>1</v></c></row><row><c><v>2</v></c></row><row><c><v>3</v></c></row></sheetData></worksheet>"#,
        );
        let z = zip_of(&[("xl/worksheets/sheet1.xml", &sheet)]);
        assert!(
            matches!(
                check(&z, &limits()),
                Err(Refusal::TooManyCells {
                    cells: 4_294_967_296,
                    ..
                })
            ),
            "{:?}",
            check(&z, &limits())
        );
    }

    #[test]
    fn a_lying_dimension_and_empty_styled_cells_are_fine() {
        let sheet = padded(
            br#"<worksheet><dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1"><v>1</v></c><c r="XFD1048576" s="3"/></row></sheetData></worksheet>"#,
        );
        let z = zip_of(&[("xl/worksheets/sheet1.xml", &sheet)]);
        assert_eq!(check(&z, &limits()), Ok(()));
    }

    #[test]
    fn cells_without_references_are_counted_by_position() {
        let mut s = b"<worksheet><sheetData>".to_vec();
        for _ in 0..100 {
            s.extend_from_slice(b"<row>");
            for _ in 0..1000 {
                s.extend_from_slice(b"<c><v>1</v></c>");
            }
            s.extend_from_slice(b"</row>");
        }
        s.extend_from_slice(b"</sheetData></worksheet>");
        let z = zip_of(&[("xl/worksheets/sheet1.xml", &padded(&s))]);
        let mut l = limits();
        l.max_inflate_ratio = 100_000;
        l.max_cells_per_sheet = 100_000;
        assert_eq!(check(&z, &l), Ok(()), "100 × 1000 cells");
        l.max_cells_per_sheet = 99_999;
        assert_eq!(
            check(&z, &l),
            Err(Refusal::TooManyCells {
                cells: 100_000,
                limit: 99_999
            })
        );
    }

    #[test]
    fn a_zip_bomb_is_stopped_by_the_ratio_or_the_size() {
        let big = vec![b'a'; 64 << 20];
        let z = zip_of(&[("xl/sharedStrings.xml", &big)]);
        assert!(z.len() < 200_000);
        assert!(matches!(
            check(&z, &limits()),
            Err(Refusal::RatioTooHigh { ratio: 200, .. })
        ));
        let mut l = limits();
        l.max_inflate_ratio = 1_000_000;
        l.max_part_bytes = 32 << 20;
        assert!(matches!(
            check(&z, &l),
            Err(Refusal::PartTooBig { limit, .. }) if limit == 32 << 20
        ));
    }

    #[test]
    fn small_parts_that_could_together_inflate_too_far_are_pre_read() {
        let part = vec![b'a'; 1 << 20];
        let z = zip_of(&[
            ("xl/worksheets/sheet1.xml", &part),
            ("xl/worksheets/sheet2.xml", &part),
            ("xl/worksheets/sheet3.xml", &part),
        ]);
        let mut l = limits();
        l.max_inflate_ratio = 1_000_000;
        assert_eq!(check(&z, &l), Ok(()));
        // Each part alone could stay below 1.5 MB, and is small; the three together cannot.
        l.max_inflated_bytes = 1_500_000;
        assert_eq!(
            check(&z, &l),
            Err(Refusal::InflatedTooBig { limit: 1_500_000 })
        );
    }

    #[test]
    fn entity_declarations_are_found_and_truncation_is_refused() {
        let z = zip_of(&[
            ("xl/styles.xml", b"<?xml version=\"1.0\"?><styleSheet/>"),
            (
                "xl/workbook.xml",
                b"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><x/>",
            ),
        ]);
        assert!(declares_entities(&z));
        let z = zip_of(&[("xl/workbook.xml", b"<?xml version=\"1.0\"?><x>&amp;</x>")]);
        assert!(!declares_entities(&z));
        // In a part large enough to be pre-read, a DOCTYPE is refused outright.
        let mut big =
            b"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><worksheet>".to_vec();
        big.extend_from_slice(b"</worksheet>");
        let z = zip_of(&[("xl/worksheets/sheet1.xml", &padded(&big))]);
        assert_eq!(check(&z, &limits()), Err(Refusal::XmlEntities));
        let z = zip_of(&[("xl/workbook.xml", &vec![b'x'; 100_000])]);
        assert_eq!(check(&z[..z.len() / 2], &limits()), Err(Refusal::Truncated));
    }

    #[test]
    fn a1_parsing() {
        assert_eq!(parse_a1(b"A1"), Some((0, 0)));
        assert_eq!(parse_a1(b"XFD1048576"), Some((1048575, 16383)));
        assert_eq!(parse_a1(b"A0"), None);
        assert_eq!(parse_a1(b"1"), None);
    }
}
