//! Checks a zip-based workbook before calamine sees it: real inflated sizes (not what the zip
//! directory claims), inflate ratios, XML entity declarations, and, in an .ods, how far a
//! cell with content is repeated. Memory stays bounded: parts are streamed through a fixed
//! buffer and never kept.
//!
//! calamine allocates the whole rectangle between a sheet's first and last non-empty cell,
//! and aborts the process (no panic to catch) when that allocation fails; it has no
//! decompression limit. These checks, and the reader's bound on an .xlsx sheet's grid as it
//! streams the cells (`sheet`), are what keeps one hostile file from taking the batch down.
//!
//! Deflate inflates at most 1032 times, so a part whose compressed size is small can hold no
//! bomb: such a part is not inflated here, which spares every ordinary return a second
//! inflation. A larger part is inflated to count its bytes; an .xlsx sheet's cells are not
//! scanned on the way, since the reader bounds every sheet's grid as it streams it (with the
//! sheet named in the finding). (Entity declarations are harmless to calamine, whose parser
//! refuses entities instead of expanding them; [`declares_entities`] only names the cause
//! when reading fails.) An .ods `content.xml` is always scanned here, since calamine's ODS
//! reader cannot be streamed.

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

/// Whether a part of `compressed` bytes could inflate far enough to be inflated here: the
/// copy calamine opens (`copy`) stores such a part inflated, so that it is inflated once.
pub fn would_inflate(compressed: u64) -> bool {
    compressed.saturating_mul(MAX_DEFLATE_RATIO) >= SMALL_PART
}

/// Why the check refuses a part of `compressed` bytes once `inflated` bytes of it are read:
/// its size, or its inflate ratio above [`RATIO_FLOOR`]. The copy calamine opens (`copy`)
/// stores no part this refuses, so that the check of the copy refuses what the check of the
/// file would.
pub fn part_refusal(
    part: &str,
    compressed: u64,
    inflated: u64,
    limits: &Limits,
) -> Option<Refusal> {
    if inflated > limits.max_part_bytes {
        return Some(Refusal::PartTooBig {
            part: part.to_string(),
            limit: limits.max_part_bytes,
        });
    }
    (inflated > RATIO_FLOOR
        && inflated > compressed.max(1).saturating_mul(limits.max_inflate_ratio))
    .then(|| Refusal::RatioTooHigh {
        part: part.to_string(),
        ratio: limits.max_inflate_ratio,
    })
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
        let lower = name.to_ascii_lowercase();
        // A stored part (the copy calamine opens stores the parts it reads: `copy`) lies in
        // the file as it is and inflates to nothing more: it is not read through here, its
        // declarations are searched for where it lies, when it is one a deflated part of
        // its size would have been inflated for.
        if part.compression() == zip::CompressionMethod::Stored
            && name != "content.xml"
            && compressed < SMALL_PART
            && skipped.saturating_add(compressed) <= limits.max_inflated_bytes
            && let Some(data) = part
                .data_start()
                .and_then(|at| usize::try_from(at).ok())
                .and_then(|at| bytes.get(at..at.checked_add(usize::try_from(compressed).ok()?)?))
        {
            let xml = lower.ends_with(".xml") || lower.ends_with(".rels");
            if xml && would_inflate(compressed) && declares(data) {
                return Err(Refusal::XmlEntities);
            }
            skipped += compressed;
            continue;
        }
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
        let mut ods_repeat: u64 = 0;
        // An .ods's incomplete last tag.
        let mut carry: Vec<u8> = Vec::new();
        let mut declarations = Declarations::default();
        let mut inflated: u64 = 0;
        loop {
            let n = match part.read(buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(_) => return Err(Refusal::Truncated),
            };
            inflated += n as u64;
            total += n as u64;
            // The part's size first, then the whole's, then the part's ratio.
            let refused = part_refusal(&name, compressed, inflated, limits);
            if let Some(size @ Refusal::PartTooBig { .. }) = refused {
                return Err(size);
            }
            if total > limits.max_inflated_bytes {
                return Err(Refusal::InflatedTooBig {
                    limit: limits.max_inflated_bytes,
                });
            }
            if let Some(ratio) = refused {
                return Err(ratio);
            }
            if is_ods_content {
                carry.extend_from_slice(&buf[..n]);
                let keep = scan_ods(&carry, &mut ods_repeat)?;
                carry.drain(..carry.len() - keep);
                if carry.len() > MAX_TAG {
                    let cut = carry.len() - MAX_TAG;
                    carry.drain(..cut);
                }
                if ods_repeat > limits.max_cells_per_sheet {
                    return Err(Refusal::TooManyCells {
                        cells: ods_repeat,
                        limit: limits.max_cells_per_sheet,
                    });
                }
            } else if is_xml {
                // Searched for, not walked tag by tag: walking every tag of a large sheet
                // (a clerk's borders drawn down to row 3000) was a sixth of reading it.
                if declarations.found_in(&buf[..n]) {
                    return Err(Refusal::XmlEntities);
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

/// Scans complete tags of an .ods `content.xml` in `data`, keeping in `repeat` the most
/// any cell with content is repeated; returns how many bytes at the end belong to an
/// incomplete tag (to keep for the next chunk).
fn scan_ods(data: &[u8], repeat: &mut u64) -> Result<usize, Refusal> {
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
        if tag.starts_with(b"<table:table-cell") && !tag.ends_with(b"/>") {
            let rep = attr_num(tag, &COLUMNS_REPEATED).unwrap_or(1) as u64;
            *repeat = (*repeat).max(rep);
        }
    }
    Ok(0)
}

/// The longest declaration looked for, less one: the bytes of a chunk kept to find one that
/// straddles two chunks.
const DECLARATION: usize = b"<!DOCTYPE".len() - 1;

static DOCTYPE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"<!DOCTYPE"));
static ENTITY: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"<!ENTITY"));

/// A part's chunks searched for entity declarations, one split between chunks too.
#[derive(Default)]
struct Declarations {
    /// The last bytes seen, fewer than a declaration.
    tail: Vec<u8>,
}

impl Declarations {
    /// Whether a declaration ends in `chunk`, the part's next.
    fn found_in(&mut self, chunk: &[u8]) -> bool {
        self.tail
            .extend_from_slice(&chunk[..chunk.len().min(DECLARATION)]);
        let found = declares(&self.tail) || declares(chunk);
        let keep = if chunk.len() >= DECLARATION {
            &chunk[chunk.len() - DECLARATION..]
        } else {
            &self.tail[self.tail.len().saturating_sub(DECLARATION)..]
        };
        let keep = keep.to_vec();
        self.tail = keep;
        found
    }
}

/// Whether `data` declares a document type or an entity anywhere.
fn declares(data: &[u8]) -> bool {
    DOCTYPE.find(data).is_some() || ENTITY.find(data).is_some()
}

fn has_doctype(data: &[u8]) -> bool {
    data.windows(9)
        .any(|w| w == b"<!DOCTYPE" || w.starts_with(b"<!ENTITY"))
}

/// The attribute the scan looks for, searched for with a finder made once: an .ods cell's
/// tag holds several long attributes, and comparing the key at each of its bytes was a
/// third of reading a small .ods.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{padded, zip_of};

    fn limits() -> Limits {
        crate::config::Config::embedded().limits
    }

    #[test]
    fn a_small_part_is_not_inflated_here() {
        // The grid of a small sheet is bounded by the reader as it streams its cells.
        let sheet = br#"<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row></sheetData></worksheet>"#;
        let z = zip_of(&[("xl/worksheets/sheet1.xml", sheet)]);
        assert_eq!(check(&z, &limits()), Ok(()));
    }

    #[test]
    fn a_large_sheet_is_inflated_here_and_its_grid_left_to_the_reader() {
        // Its size is counted; its cells are bounded as the reader streams them (a test of
        // `read` refuses this very sheet there, naming it).
        let sheet = padded(
            br#"<worksheet><dimension ref="A1"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row></sheetData></worksheet>"#,
        );
        let z = zip_of(&[("xl/worksheets/sheet1.xml", &sheet)]);
        assert!(z.len() as u64 * MAX_DEFLATE_RATIO > SMALL_PART);
        assert_eq!(check(&z, &limits()), Ok(()));
        let mut l = limits();
        l.max_part_bytes = sheet.len() as u64 - 1;
        assert!(
            matches!(check(&z, &l), Err(Refusal::PartTooBig { .. })),
            "inflated here: {:?}",
            check(&z, &l)
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
    fn a_declaration_across_two_chunks_is_found() {
        // Wherever the inflater cuts the part, a declaration on the cut is found.
        for at in CHUNK - 12..CHUNK + 2 {
            let mut part = vec![b' '; at];
            part.extend_from_slice(b"<!DOCTYPE x [<!ENTITY a \"b\">]><worksheet></worksheet>");
            let z = zip_of(&[("xl/worksheets/sheet1.xml", &padded(&part))]);
            assert!(z.len() as u64 * MAX_DEFLATE_RATIO > SMALL_PART);
            assert_eq!(check(&z, &limits()), Err(Refusal::XmlEntities), "at {at}");
        }
    }

    #[test]
    fn a_stored_part_is_searched_for_declarations_where_it_lies() {
        use std::io::Write;
        let stored = |data: &[u8]| {
            let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
            let o = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored);
            w.start_file("xl/worksheets/sheet1.xml", o).unwrap();
            w.write_all(data).unwrap();
            w.finish().unwrap().into_inner()
        };
        let mut sheet =
            b"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><worksheet>".to_vec();
        sheet.extend_from_slice(b"</worksheet>");
        let sheet = padded(&sheet);
        assert!(would_inflate(sheet.len() as u64));
        assert_eq!(check(&stored(&sheet), &limits()), Err(Refusal::XmlEntities));
        let plain = padded(b"<worksheet></worksheet>");
        assert_eq!(check(&stored(&plain), &limits()), Ok(()));
    }

    #[test]
    fn a_declaration_is_found_however_the_chunks_cut_it() {
        let text = b"<?xml version=\"1.0\"?><!DOCTYPE x><worksheet/>";
        for a in 0..text.len() {
            for b in a..text.len() {
                let mut d = Declarations::default();
                let found = [&text[..a], &text[a..b], &text[b..]]
                    .iter()
                    .map(|c| d.found_in(c))
                    .collect::<Vec<bool>>()
                    .contains(&true);
                assert!(found, "cut at {a} and {b}");
            }
        }
        // And none is found where there is none, however cut.
        let plain = b"<?xml version=\"1.0\"?><!-- DOCTYPE ENTITY --><worksheet/>";
        for a in 0..plain.len() {
            let mut d = Declarations::default();
            assert!(
                !d.found_in(&plain[..a]) && !d.found_in(&plain[a..]),
                "cut at {a}"
            );
        }
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
}
