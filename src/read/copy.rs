//! The copy of a small .xlsx that calamine opens instead of its bytes: what calamine would
//! parse and huizong never reads left out. The file itself is never written; the copy is in
//! memory, and a file this cannot copy exactly is read as it is.
//!
//! - The theme's entry is renamed, so calamine does not find it: calamine parses the theme
//!   (a part of 7 KB or more, written by every program) for its styles' colours, which
//!   huizong never reads. On units' own forms it was 6.5 % of reading's instructions.
//! - The shared strings lose their runs' fonts (`<rPr>…</rPr>`): LibreOffice writes every
//!   string as rich text, a font for each run, and calamine parses every property of every
//!   run to keep the text only (49 % of reading's instructions on LibreOffice's re-saves,
//!   44 XML events a string). The part is stored anew, uncompressed, at the end of the
//!   copy; calamine reads the same texts from it.

use std::io::{Cursor, Read};

/// Files up to this size are copied: copying a larger one would cost more than what the
/// copy saves calamine.
pub const UP_TO: usize = 256 << 10;
/// The theme's entry, where calamine looks for it.
pub const THEME: &[u8] = b"xl/theme/theme1.xml";
/// The shared strings' entry.
const STRINGS: &[u8] = b"xl/sharedStrings.xml";
/// The largest shared strings part rewritten.
const STRINGS_UP_TO: u64 = 8 << 20;

/// A central directory record: its signature, then 42 bytes of which the name's length is at
/// 28, then the name.
const RECORD: usize = 46;

/// The copy calamine opens, or `None` to read the bytes as they are (a large file, or one
/// with nothing to leave out).
pub fn for_calamine(bytes: &[u8]) -> Option<Vec<u8>> {
    if bytes.len() > UP_TO {
        return None;
    }
    let (start, dir) = crate::discover::kind::central_directory(bytes)?;
    let theme = name_at(dir, THEME);
    // The shared strings are rewritten only where the directory is records end to end and
    // ends where its end record starts: the copy's directory is written record by record.
    let strings = rich_strings(dir)
        .then(|| records(dir))
        .flatten()
        .filter(|_| end_record(bytes) == Some(start + dir.len()))
        .and_then(|records| {
            records
                .into_iter()
                .find(|&at| dir[at + RECORD..at + RECORD + name_len(dir, at)] == *STRINGS)
        })
        .and_then(|at| Some((at, light_strings(bytes)?)));
    match strings {
        Some((at, light)) => Some(with_strings(bytes, start, dir, at, &light, theme)),
        None => {
            let at = theme?;
            let mut copy = bytes.to_vec();
            // `theme1.xm_`: not found, so not read.
            copy[start + at + THEME.len() - 1] = b'_';
            Some(copy)
        }
    }
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
        let word = |o: usize| u64::from(u32::from_le_bytes([r[o], r[o + 1], r[o + 2], r[o + 3]]));
        let (packed, size) = (word(20), word(24));
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
        let word = |o: usize| usize::from(u16::from_le_bytes([head[o], head[o + 1]]));
        let len = RECORD + word(28) + word(30) + word(32);
        dir.get(at..at + len)?;
        out.push(at);
        at += len;
    }
    Some(out)
}

fn name_len(dir: &[u8], at: usize) -> usize {
    usize::from(u16::from_le_bytes([dir[at + 28], dir[at + 29]]))
}

/// Where the end-of-central-directory record starts.
fn end_record(bytes: &[u8]) -> Option<usize> {
    memchr::memmem::rfind(bytes, b"PK\x05\x06")
}

/// The shared strings without their runs' fonts; `None` when there is nothing to leave out
/// or the part is not plainly what [`without_run_fonts`] can cut.
fn light_strings(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let name = std::str::from_utf8(STRINGS).ok()?;
    let part = archive.by_name(name).ok()?;
    if part.encrypted() || part.size() > STRINGS_UP_TO {
        return None;
    }
    let mut xml = Vec::with_capacity(part.size() as usize);
    part.take(STRINGS_UP_TO).read_to_end(&mut xml).ok()?;
    without_run_fonts(&xml)
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
                    // Between the opening and the closing tag, empty elements only.
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

/// The workbook with its shared strings' entry pointing at `light`, stored after the last
/// part, and its theme's entry renamed where it has one. The parts before keep their bytes
/// and places; the directory is written anew after the new part, its records as they were
/// but for the strings' (stored, its size, checksum and place) and the theme's name.
fn with_strings(
    bytes: &[u8],
    start: usize,
    dir: &[u8],
    strings: usize,
    light: &[u8],
    theme: Option<usize>,
) -> Vec<u8> {
    let mut copy =
        Vec::with_capacity(start + 30 + STRINGS.len() + light.len() + bytes.len() - start);
    copy.extend_from_slice(&bytes[..start]);
    let offset = copy.len() as u32;
    let crc = crc32fast::hash(light);
    let size = light.len() as u32;
    let record = &dir[strings..strings + RECORD];
    // A local header: stored, no data descriptor, the record's time and name's encoding.
    let flags = u16::from_le_bytes([record[8], record[9]]) & 0x0800;
    copy.extend_from_slice(b"PK\x03\x04");
    copy.extend_from_slice(&20u16.to_le_bytes());
    copy.extend_from_slice(&flags.to_le_bytes());
    copy.extend_from_slice(&0u16.to_le_bytes());
    copy.extend_from_slice(&record[12..16]);
    copy.extend_from_slice(&crc.to_le_bytes());
    copy.extend_from_slice(&size.to_le_bytes());
    copy.extend_from_slice(&size.to_le_bytes());
    copy.extend_from_slice(&(STRINGS.len() as u16).to_le_bytes());
    copy.extend_from_slice(&0u16.to_le_bytes());
    copy.extend_from_slice(STRINGS);
    copy.extend_from_slice(light);
    let new_start = copy.len();
    copy.extend_from_slice(dir);
    let rec = new_start + strings;
    copy[rec + 8..rec + 10].copy_from_slice(&flags.to_le_bytes());
    copy[rec + 10..rec + 12].copy_from_slice(&0u16.to_le_bytes());
    copy[rec + 16..rec + 20].copy_from_slice(&crc.to_le_bytes());
    copy[rec + 20..rec + 24].copy_from_slice(&size.to_le_bytes());
    copy[rec + 24..rec + 28].copy_from_slice(&size.to_le_bytes());
    copy[rec + 42..rec + 46].copy_from_slice(&offset.to_le_bytes());
    if let Some(at) = theme {
        copy[new_start + at + THEME.len() - 1] = b'_';
    }
    // The end record, its directory's place moved.
    let end = copy.len();
    copy.extend_from_slice(&bytes[start + dir.len()..]);
    copy[end + 16..end + 20].copy_from_slice(&(new_start as u32).to_le_bytes());
    copy
}

#[cfg(test)]
mod tests {
    use super::without_run_fonts;

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
