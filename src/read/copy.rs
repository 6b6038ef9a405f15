//! The copy of a small .xlsx that calamine opens instead of its bytes: the parts calamine
//! reads already inflated, and what calamine would parse and huizong never reads left out.
//! The file itself is never written; the copy is in memory, and a file this cannot copy
//! exactly is read as it is.
//!
//! - The parts calamine reads to open the workbook and each sheet are inflated here, one
//!   after another by one inflater, and stored in the copy uncompressed. The copy is what
//!   the zip check (`zipped`) then checks, as for an .ods: a sheet large enough on disk for
//!   the check to inflate it (a clerk's borders drawn down to row 3000) is stored too, so
//!   that it is inflated once, not by the check and again by calamine. A part is stored
//!   only within what the check allows a part (its size, and its inflate ratio above
//!   1 MiB), so that the check of the copy refuses what the check of the file would. The zip reader
//!   calamine uses makes a new inflater for each part it reads, and zeroes its window and
//!   buffers: about 24,000 instructions a part, 7 % of reading's instructions on units' own
//!   forms (seven parts a return), of which the copy saves 5 %. A part is stored only when
//!   its inflated bytes are exactly what its directory record says (size and checksum);
//!   any other part keeps its bytes, and calamine meets whatever it would have met.
//! - The theme's entry is renamed, so calamine does not find it: calamine parses the theme
//!   (a part of 7 KB or more, written by every program) for its styles' colours, which
//!   huizong never reads. On units' own forms it was 6.5 % of reading's instructions.
//! - The shared strings lose their runs' fonts (`<rPr>…</rPr>`): LibreOffice writes every
//!   string as rich text, a font for each run, and calamine parses every property of every
//!   run to keep the text only (49 % of reading's instructions on LibreOffice's re-saves,
//!   44 XML events a string). Then a string's runs are joined into one where calamine
//!   would join their texts unchanged (LibreOffice starts a run wherever the script
//!   changes: `单位`, `001`, `交通运输局`).
//! - The styles lose their fonts, fills, borders, cell styles, palette and differential
//!   formats: calamine parses or passes over each, and huizong reads only the number
//!   formats of the cell formats (dates, percentages).
//!
//! A small .ods is copied the same way, its `content.xml` and `meta.xml` stored inflated
//! ([`ods_for_calamine`]): the content is inflated once, here, and the check that bounds
//! the grid it spans (`zipped`) and calamine both read it as it is stored.
//!
//! The copy keeps every byte of the file before its directory; the parts stored anew follow,
//! then the directory, its records as they were but for those parts' (stored, their sizes,
//! checksums and places) and the theme's name.

use flate2::{Decompress, FlushDecompress, Status};

use super::zipped;
use crate::config::Limits;

/// Files up to this size are copied: copying a larger one would cost more than what the
/// copy saves calamine.
pub const UP_TO: usize = 256 << 10;
/// The theme's entry, where calamine looks for it.
pub const THEME: &[u8] = b"xl/theme/theme1.xml";
/// The shared strings' entry.
const STRINGS: &[u8] = b"xl/sharedStrings.xml";
/// The styles' entry.
const STYLES: &[u8] = b"xl/styles.xml";
/// The largest part stored anew: what the copy saves is a fixed cost a part (a new
/// inflater), worth a larger part's room in memory only for rich shared strings, whose
/// fonts are cut out.
const PART_UP_TO: usize = 256 << 10;
/// The largest sheet stored anew when the zip check would inflate it too (`zipped::
/// would_inflate`): it is then inflated once. At 16 KB on disk, the least such a part has,
/// 3 MB is an inflate ratio of 192, under the check's default 200.
const CHECKED_PART_UP_TO: usize = 3 << 20;
/// The most bytes the parts stored anew may inflate to, together (a file of 256 KB whose
/// strings are rich text: about 4 MB).
const INFLATED_UP_TO: usize = 8 << 20;

/// A central directory record: its signature, then 42 bytes of which the name's length is at
/// 28, then the name.
const RECORD: usize = 46;
/// A local header: its signature, then 26 bytes of which the name's and the extra field's
/// lengths are at 26 and 28, then the name and the extra field.
const LOCAL: usize = 30;

/// The copy calamine opens, or `None` to read the bytes as they are (a large file, or one
/// with nothing to leave out).
pub fn for_calamine(bytes: &[u8], limits: &Limits) -> Option<Vec<u8>> {
    if bytes.len() > UP_TO {
        return None;
    }
    let (start, dir) = crate::discover::kind::central_directory(bytes)?;
    let theme = name_at(dir, THEME);
    // Parts are stored anew only where the directory is records end to end and ends where
    // its end record starts: the copy's directory is written record by record.
    let stored = records(dir)
        .filter(|_| end_record(bytes) == Some(start + dir.len()))
        .and_then(|records| {
            with_parts_inflated(bytes, start, dir, &records, theme, calamine_reads, limits)
        });
    match stored {
        Some(copy) => Some(copy),
        None => {
            let at = theme?;
            let mut copy = bytes.to_vec();
            // `theme1.xm_`: not found, so not read.
            copy[start + at + THEME.len() - 1] = b'_';
            Some(copy)
        }
    }
}

/// The copy of a small .ods calamine opens: its content and meta data stored inflated, or
/// `None` to read the bytes as they are (a large file, or nothing left to inflate: a copy
/// is not copied again).
pub fn ods_for_calamine(bytes: &[u8], limits: &Limits) -> Option<Vec<u8>> {
    if bytes.len() > UP_TO {
        return None;
    }
    let (start, dir) = crate::discover::kind::central_directory(bytes)?;
    records(dir)
        .filter(|_| end_record(bytes) == Some(start + dir.len()))
        .and_then(|records| {
            with_parts_inflated(bytes, start, dir, &records, None, ods_reads, limits)
        })
}

/// The parts calamine's .ods reader reads.
fn ods_reads(name: &[u8]) -> bool {
    name == b"content.xml" || name == b"meta.xml"
}

/// Whether calamine reads the part to open the workbook or one of its sheets (the package's
/// and the workbook's relationships, the workbook, its shared strings and styles, a
/// worksheet). Another part is left as it is: calamine never reads most of them.
fn calamine_reads(name: &[u8]) -> bool {
    let is = |n: &[u8]| name.eq_ignore_ascii_case(n);
    is(b"_rels/.rels")
        || is(b"xl/_rels/workbook.xml.rels")
        || is(b"xl/workbook.xml")
        || is(STRINGS)
        || is(b"xl/styles.xml")
        || is_sheet(name)
}

/// Whether the part is a worksheet where calamine looks for one (`xl/worksheets/sheet1.xml`).
fn is_sheet(name: &[u8]) -> bool {
    const SHEETS: &[u8] = b"xl/worksheets/";
    name.len() > SHEETS.len()
        && name[..SHEETS.len()].eq_ignore_ascii_case(SHEETS)
        && !name[SHEETS.len()..].contains(&b'/')
        && name[name.len().saturating_sub(4)..].eq_ignore_ascii_case(b".xml")
}

/// A part stored anew: its record in the directory, its local header's place in the copy,
/// its checksum and size.
struct Stored {
    record: usize,
    offset: u32,
    crc: u32,
    size: u32,
    flags: u16,
}

/// The copy with every part calamine `reads` stored inflated; `None` when no part could be.
fn with_parts_inflated(
    bytes: &[u8],
    start: usize,
    dir: &[u8],
    records: &[usize],
    theme: Option<usize>,
    reads: fn(&[u8]) -> bool,
    limits: &Limits,
) -> Option<Vec<u8>> {
    let rich = rich_strings(dir);
    // The parts to inflate and what they inflate to, as their records say.
    let mut inflated = 0usize;
    let parts: Vec<usize> = records
        .iter()
        .copied()
        .filter(|&at| {
            let r = &dir[at..at + RECORD];
            let name = &dir[at + RECORD..at + RECORD + name_len(dir, at)];
            // Deflated, not encrypted, no Zip64 sizes.
            let plain = le16(r, 10) == 8
                && le16(r, 8) & 1 == 0
                && le32(r, 20) != u32::MAX
                && le32(r, 24) != u32::MAX;
            let (packed, size) = (le32(r, 20) as usize, le32(r, 24) as usize);
            let worth = size <= PART_UP_TO
                || (rich && name == STRINGS)
                || (is_sheet(name)
                    && size <= CHECKED_PART_UP_TO
                    && zipped::would_inflate(packed as u64));
            // What the check allows the part, which it will see stored.
            let allowed = zipped::part_refusal("", packed as u64, size as u64, limits).is_none();
            plain && reads(name) && worth && allowed && {
                inflated += size;
                inflated <= INFLATED_UP_TO
            }
        })
        .collect();
    if parts.is_empty() {
        return None;
    }
    let mut copy = Vec::with_capacity(bytes.len() + inflated + parts.len() * (LOCAL + 64));
    copy.extend_from_slice(&bytes[..start]);
    let mut stored: Vec<Stored> = Vec::with_capacity(parts.len());
    // One inflater for the copy, reset for each part: a new one costs a window to allocate
    // and zero. (Kept for the thread instead, it held 1.5 MB more of a worker's memory
    // resident for the worker's life.)
    let mut inflater = Decompress::new(false);
    for at in parts {
        let r = &dir[at..at + RECORD];
        let name = &dir[at + RECORD..at + RECORD + name_len(dir, at)];
        let (crc, packed, size) = (le32(r, 16), le32(r, 20) as usize, le32(r, 24) as usize);
        let Some(data) = local_data(bytes, le32(r, 42) as usize, packed) else {
            continue;
        };
        let header = copy.len();
        copy.resize(header + LOCAL + name.len(), 0);
        let body = copy.len();
        copy.reserve(size);
        inflater.reset(false);
        let ended = matches!(
            inflater.decompress_vec(data, &mut copy, FlushDecompress::Finish),
            Ok(Status::StreamEnd)
        );
        // Exactly the bytes the record says, or the part keeps its own.
        if !ended || copy.len() - body != size || crc32fast::hash(&copy[body..]) != crc {
            copy.truncate(header);
            continue;
        }
        if rich
            && name == STRINGS
            && let Some(light) = without_run_fonts(&copy[body..])
        {
            copy.truncate(body);
            copy.extend_from_slice(&runs_joined(light));
        } else if name == STYLES
            && let Some(light) = styles_without_looks(&copy[body..])
        {
            copy.truncate(body);
            copy.extend_from_slice(&light);
        }
        let crc = crc32fast::hash(&copy[body..]);
        let size = (copy.len() - body) as u32;
        // Stored, no data descriptor, the record's time and name's encoding.
        let flags = le16(r, 8) & 0x0800;
        let h = &mut copy[header..body];
        h[..4].copy_from_slice(b"PK\x03\x04");
        h[4..6].copy_from_slice(&20u16.to_le_bytes());
        h[6..8].copy_from_slice(&flags.to_le_bytes());
        h[8..10].copy_from_slice(&0u16.to_le_bytes());
        h[10..14].copy_from_slice(&r[12..16]);
        h[14..18].copy_from_slice(&crc.to_le_bytes());
        h[18..22].copy_from_slice(&size.to_le_bytes());
        h[22..26].copy_from_slice(&size.to_le_bytes());
        h[26..28].copy_from_slice(&(name.len() as u16).to_le_bytes());
        h[28..30].copy_from_slice(&0u16.to_le_bytes());
        h[LOCAL..].copy_from_slice(name);
        stored.push(Stored {
            record: at,
            offset: header as u32,
            crc,
            size,
            flags,
        });
    }
    if stored.is_empty() {
        return None;
    }
    let new_start = copy.len();
    copy.extend_from_slice(dir);
    for s in &stored {
        let rec = &mut copy[new_start + s.record..new_start + s.record + RECORD];
        rec[8..10].copy_from_slice(&s.flags.to_le_bytes());
        rec[10..12].copy_from_slice(&0u16.to_le_bytes());
        rec[16..20].copy_from_slice(&s.crc.to_le_bytes());
        rec[20..24].copy_from_slice(&s.size.to_le_bytes());
        rec[24..28].copy_from_slice(&s.size.to_le_bytes());
        rec[42..46].copy_from_slice(&s.offset.to_le_bytes());
    }
    if let Some(at) = theme {
        copy[new_start + at + THEME.len() - 1] = b'_';
    }
    // The end record, its directory's place moved.
    let end = copy.len();
    copy.extend_from_slice(&bytes[start + dir.len()..]);
    copy[end + 16..end + 20].copy_from_slice(&(new_start as u32).to_le_bytes());
    Some(copy)
}

/// A part's compressed bytes: behind its local header at `offset`, `packed` long.
fn local_data(bytes: &[u8], offset: usize, packed: usize) -> Option<&[u8]> {
    let head = bytes.get(offset..offset + LOCAL)?;
    if head[..4] != *b"PK\x03\x04" {
        return None;
    }
    let data = offset + LOCAL + usize::from(le16(head, 26)) + usize::from(le16(head, 28));
    bytes.get(data..data.checked_add(packed)?)
}

/// Where `name` stands in the directory: in a record whose name's length is its own.
fn name_at(dir: &[u8], name: &[u8]) -> Option<usize> {
    memchr::memmem::find_iter(dir, name).find(|&i| {
        i >= RECORD
            && dir[i - RECORD..i - RECORD + 4] == *b"PK\x01\x02"
            && dir[i - RECORD + 28..i - RECORD + 30] == (name.len() as u16).to_le_bytes()
    })
}

/// Whether the shared strings may be rich text: rich text (a font for each run) inflates
/// eight times or more (LibreOffice's: 16 times), plain Chinese texts two to four times.
/// Read from the directory's record, so that a plain part is not inflated here for nothing.
fn rich_strings(dir: &[u8]) -> bool {
    name_at(dir, STRINGS).is_some_and(|i| {
        let r = &dir[i - RECORD..i];
        let (packed, size) = (u64::from(le32(r, 20)), u64::from(le32(r, 24)));
        size >= RICH_FROM && size >= packed.saturating_mul(8)
    })
}

/// The smallest shared strings part worth rewriting.
const RICH_FROM: u64 = 8 << 10;

/// Where each record of the directory starts; `None` when the bytes are not records end to
/// end.
fn records(dir: &[u8]) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < dir.len() {
        let head = dir.get(at..at + RECORD)?;
        if head[..4] != *b"PK\x01\x02" {
            return None;
        }
        let word = |o: usize| usize::from(le16(head, o));
        let len = RECORD + word(28) + word(30) + word(32);
        dir.get(at..at + len)?;
        out.push(at);
        at += len;
    }
    Some(out)
}

fn name_len(dir: &[u8], at: usize) -> usize {
    usize::from(le16(dir, at + 28))
}

/// The little-endian 16-bit field at `at`.
fn le16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

/// The little-endian 32-bit field at `at`.
fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// Where the end-of-central-directory record starts.
fn end_record(bytes: &[u8]) -> Option<usize> {
    memchr::memmem::rfind(bytes, b"PK\x05\x06")
}

/// The part with every `<rPr>…</rPr>` (and `<rPr/>`) cut out. A run's properties are empty
/// elements only (`<b/>`, `<sz val="16"/>`, `<rFont val="黑体"/>`): anything else inside one
/// (a text, an element with content, a closing tag), a CDATA section or a comment anywhere
/// (where `<rPr` could be text), and nothing is cut.
fn without_run_fonts(xml: &[u8]) -> Option<Vec<u8>> {
    if memchr::memmem::find(xml, b"<![CDATA[").is_some()
        || memchr::memmem::find(xml, b"<!--").is_some()
    {
        return None;
    }
    let mut out = Vec::with_capacity(xml.len());
    let mut kept = 0;
    let mut cut = false;
    let closing = memchr::memmem::Finder::new(b"</rPr>");
    for at in memchr::memmem::find_iter(xml, b"<rPr") {
        if at < kept {
            return None;
        }
        let end = match xml.get(at + 4)? {
            b'/' => (xml.get(at + 5)? == &b'>').then_some(at + 6)?,
            b'>' | b' ' | b'\t' | b'\r' | b'\n' => {
                let open = at + memchr::memchr(b'>', &xml[at..])?;
                if xml[open - 1] == b'/' {
                    open + 1
                } else {
                    let close = open + closing.find(&xml[open..])?;
                    // Between the opening and the closing tag, empty elements only: each
                    // `<` opens a tag that is no closing one, each `>` ends one with `/>`,
                    // and no text stands between them.
                    let mut i = open + 1;
                    while let Some(lt) = memchr::memchr(b'<', &xml[i..close]) {
                        let tag = i + lt;
                        let gt = tag + memchr::memchr(b'>', &xml[tag..close])?;
                        if xml[gt - 1] != b'/' || xml.get(tag + 1) == Some(&b'/') {
                            return None;
                        }
                        i = gt + 1;
                    }
                    if !xml[i..close].iter().all(u8::is_ascii_whitespace) {
                        return None;
                    }
                    close + b"</rPr>".len()
                }
            }
            // `<rPrX`: another element; left as it is.
            _ => continue,
        };
        out.extend_from_slice(&xml[kept..at]);
        kept = end;
        cut = true;
    }
    if !cut {
        return None;
    }
    out.extend_from_slice(&xml[kept..]);
    Some(out)
}

/// The styles part without what huizong never reads of it: the fonts, fills and borders,
/// which calamine parses into the style of every cell format that names them, and the cell
/// styles, their formats, the palette and the differential formats, which calamine passes
/// over event by event. What tells a date or a percentage stays: the number formats and the
/// cell formats (`numFmts`, `cellXfs`). LibreOffice writes 14 KB of styles into each of
/// its re-saves of a return, half of it these.
///
/// An element is cut only where it is written plainly (`<fonts …>…</fonts>` or `<fonts …/>`,
/// no prefix) and once; nothing is cut in a part with a CDATA section or a comment (where
/// a tag could be text), or where two of them would overlap.
fn styles_without_looks(xml: &[u8]) -> Option<Vec<u8>> {
    const CUT: [&[u8]; 7] = [
        b"fonts",
        b"fills",
        b"borders",
        b"cellStyleXfs",
        b"cellStyles",
        b"colors",
        b"dxfs",
    ];
    if memchr::memmem::find(xml, b"<![CDATA[").is_some()
        || memchr::memmem::find(xml, b"<!--").is_some()
    {
        return None;
    }
    // Where each element opens, in one pass over the tags; `usize::MAX` once it opens twice.
    let mut opens = [None; CUT.len()];
    for at in memchr::memchr_iter(b'<', xml) {
        let rest = &xml[at + 1..];
        for (k, name) in CUT.iter().enumerate() {
            if rest.starts_with(name)
                && matches!(
                    rest.get(name.len()),
                    Some(b' ' | b'>' | b'/' | b'\t' | b'\r' | b'\n')
                )
            {
                opens[k] = Some(if opens[k].is_some() { usize::MAX } else { at });
            }
        }
    }
    let mut spans: Vec<(usize, usize)> = Vec::with_capacity(CUT.len());
    for (name, open) in CUT.iter().zip(opens) {
        let Some(at) = open.filter(|&at| at != usize::MAX) else {
            continue;
        };
        let gt = at + memchr::memchr(b'>', &xml[at..])?;
        let end = if xml[gt - 1] == b'/' {
            gt + 1
        } else {
            // `</name>`, the first after the opening tag (these elements hold no element
            // of their own name).
            let mut close = [0u8; 16];
            let n = name.len() + 3;
            close[..2].copy_from_slice(b"</");
            close[2..n - 1].copy_from_slice(name);
            close[n - 1] = b'>';
            gt + memchr::memmem::find(&xml[gt..], &close[..n])? + n
        };
        spans.push((at, end));
    }
    if spans.is_empty() {
        return None;
    }
    spans.sort_unstable();
    if spans.windows(2).any(|w| w[0].1 > w[1].0) {
        return None;
    }
    let mut out = Vec::with_capacity(xml.len());
    let mut kept = 0;
    for (at, end) in spans {
        out.extend_from_slice(&xml[kept..at]);
        kept = end;
    }
    out.extend_from_slice(&xml[kept..]);
    Some(out)
}

/// The shared strings (their runs' properties cut) with each run that follows another
/// joined to it: `<r><t xml:space="preserve">单位</t></r><r><t xml:space="preserve">001</t></r>`
/// becomes `<r><t xml:space="preserve">单位001</t></r>`. LibreOffice starts a run wherever the
/// script changes (a font for Chinese, another for digits), and calamine reads each run's
/// text into a string of its own before it joins them: on its re-saves, the strings are
/// most of what calamine parses to open a workbook.
///
/// calamine keeps a run's text as it stands only where its `<t>` says
/// `xml:space="preserve"` (it trims the others), so a run is joined to the one before only
/// when both say so, and only when the text between holds no tag. Nothing is joined in a
/// part with a carriage return (which XML turns, with a line feed after it, into one line
/// feed) or with `_x`, which could begin an escape (`_x000D_`) that two texts would only
/// make together.
fn runs_joined(xml: Vec<u8>) -> Vec<u8> {
    const OPEN: &[u8] = b"<t xml:space=\"preserve\">";
    const SEAM: &[u8] = b"</t></r><r><t xml:space=\"preserve\">";
    if memchr::memchr(b'\r', &xml).is_some() || memchr::memmem::find(&xml, b"_x").is_some() {
        return xml;
    }
    let mut out: Option<Vec<u8>> = None;
    let mut kept = 0;
    for at in memchr::memmem::find_iter(&xml, SEAM) {
        let text_of_run_before = memchr::memmem::rfind(&xml[..at], b"<t")
            .filter(|&open| xml[open..].starts_with(OPEN))
            .map(|open| &xml[open + OPEN.len()..at]);
        if text_of_run_before.is_none_or(|text| memchr::memchr(b'<', text).is_some()) {
            continue;
        }
        let o = out.get_or_insert_with(|| Vec::with_capacity(xml.len()));
        o.extend_from_slice(&xml[kept..at]);
        kept = at + SEAM.len();
    }
    match out {
        Some(mut o) => {
            o.extend_from_slice(&xml[kept..]);
            o
        }
        None => xml,
    }
}

#[cfg(test)]
mod tests {
    use super::{runs_joined, styles_without_looks, without_run_fonts};

    #[test]
    fn styles_keep_their_number_and_cell_formats_only() {
        let cut =
            |x: &str| styles_without_looks(x.as_bytes()).map(|v| String::from_utf8(v).unwrap());
        let sheet = |middle: &str| {
            format!(
                "<styleSheet><numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"0.0%\"/>\
                 </numFmts>{middle}<cellXfs count=\"1\"><xf numFmtId=\"164\" fontId=\"1\">\
                 <alignment horizontal=\"center\"/></xf></cellXfs></styleSheet>"
            )
        };
        let looks = "<fonts count=\"2\"><font><b/></font><font><sz val=\"9\"/></font></fonts>\
                     <fills count=\"1\"><fill><patternFill/></fill></fills><borders/>\
                     <cellStyleXfs count=\"1\"><xf/></cellStyleXfs>\
                     <cellStyles><cellStyle name=\"Normal\"/></cellStyles>\
                     <dxfs count=\"1\"><dxf><font><i/></font></dxf></dxfs>\
                     <colors><indexedColors/></colors>";
        assert_eq!(cut(&sheet(looks)).as_deref(), Some(sheet("").as_str()));
        // Nothing to cut; a comment or CDATA; a prefixed element; one written twice; an
        // element whose name only begins the same; one left open.
        for odd in [
            sheet(""),
            sheet("<!-- --><fonts/>"),
            sheet("<x:fonts><x:font/></x:fonts>"),
            sheet("<fontsX/>"),
        ] {
            assert_eq!(cut(&odd), None, "{odd}");
        }
        assert_eq!(
            cut(&sheet("<fonts/><fonts/><fills/>")).as_deref(),
            Some(sheet("<fonts/><fonts/>").as_str())
        );
        assert_eq!(cut(&sheet("<fonts><font/>")), None);
    }

    #[test]
    fn runs_are_joined_where_both_keep_their_spaces() {
        let join = |x: &str| String::from_utf8(runs_joined(x.as_bytes().to_vec())).unwrap();
        let p = |t: &str| format!("<r><t xml:space=\"preserve\">{t}</t></r>");
        // Three runs, one string; two strings side by side stay two.
        assert_eq!(
            join(&format!(
                "<si>{}{}{}</si><si>{}</si>",
                p("单位"),
                p("001"),
                p(" 局 "),
                p("x")
            )),
            format!("<si>{}</si><si>{}</si>", p("单位001 局 "), p("x"))
        );
        // Entities stay as written: calamine unescapes the joined text the same.
        assert_eq!(
            join(&format!("<si>{}{}</si>", p("a&amp;"), p("&lt;b"))),
            format!("<si>{}</si>", p("a&amp;&lt;b"))
        );
        // A run whose text calamine trims, before or after, is left as it is.
        for odd in [
            format!("<si><r><t>a </t></r>{}</si>", p("b")),
            format!("<si>{}<r><t> b</t></r></si>", p("a")),
            // a tag inside the text before
            format!(
                "<si><r><t xml:space=\"preserve\">a<x/></t></r>{}</si>",
                p("b")
            ),
            // a carriage return anywhere, or what could begin an escape
            format!("<si>{}{}</si>", p("a\r"), p("\nb")),
            format!("<si>{}{}</si>", p("_x00"), p("0D_")),
        ] {
            assert_eq!(join(&odd), odd);
        }
    }

    #[test]
    fn only_plain_run_fonts_are_cut() {
        let cut = |x: &str| without_run_fonts(x.as_bytes()).map(|v| String::from_utf8(v).unwrap());
        assert_eq!(
            cut("<si><r><rPr><b/><sz val=\"16\"/></rPr><t>单位</t></r><r><rPr/><t>1</t></r></si>")
                .as_deref(),
            Some("<si><r><t>单位</t></r><r><t>1</t></r></si>")
        );
        assert_eq!(
            cut("<r><rPr xmlns:a=\"x\">\n  <b/>\n</rPr><t>a</t></r>").as_deref(),
            Some("<r><t>a</t></r>")
        );
        // Nothing to cut; a text, an element with content or a closing tag inside a run's
        // properties; a comment or CDATA anywhere; a properties element left open.
        for odd in [
            "<si><t>单位</t></si>",
            "<r><rPr><t>b</t></rPr><t>a</t></r>",
            "<r><rPr><b/>text</rPr><t>a</t></r>",
            "<r><rPr><rPh/><r></rPr><t>a</t></r>",
            "<r><rPr><b></b></rPr><t>a</t></r>",
            "<r><rPr><b/></rPr><t><![CDATA[<rPr>]]></t></r>",
            "<!-- <rPr> --><r><rPr><b/></rPr><t>a</t></r>",
            "<r><rPr><b/><t>a</t></r>",
        ] {
            assert_eq!(cut(odd), None, "{odd}");
        }
        // Empty elements, prefixed or not, are passed over by calamine whatever their name.
        assert_eq!(
            cut("<r><rPr><x:b/><t/></rPr><t>a</t></r>").as_deref(),
            Some("<r><t>a</t></r>")
        );
        // Another element whose name begins the same is not a run's properties.
        assert_eq!(
            cut("<rPrX/><r><rPr/><t>a</t></r>").as_deref(),
            Some("<rPrX/><r><t>a</t></r>")
        );
    }
}
