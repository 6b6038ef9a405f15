//! A copy of an .xlsx that calamine refuses whole but Excel opens, mended where the cause is
//! known and the mend loses nothing. The file itself is never written; the copy is in memory
//! and read instead of it, after the same checks.
//!
//! - A part written in UTF-16 (Excel on Windows Phone writes every part so; PhpSpreadsheet
//!   keeps such files among its tests): calamine reads UTF-8 only and stops at the first
//!   part. The copy holds the same text in UTF-8, its declaration saying so.
//! - A sheet the workbook lists without a relationship to a part (`r:id=""`): Excel 2010
//!   writes one for an Excel 5 module sheet or a macro sheet it kept no part for, and
//!   calamine refuses the whole workbook for it. Such a sheet has no cells to lose; the copy
//!   lists the others.

use std::collections::HashSet;
use std::io::{Cursor, Read, Write};

use zip::ZipArchive;
use zip::write::{SimpleFileOptions, ZipWriter};

/// The mended copy, or `None` when there is nothing here to mend (or the file cannot be
/// copied). `most` bounds what one part may inflate to, as the checks before bound it.
pub fn for_calamine(bytes: &[u8], most: u64) -> Option<Vec<u8>> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).ok()?;
    let names: Vec<String> = (0..zip.len())
        .map(|i| {
            zip.by_index_raw(i)
                .ok()
                .and_then(|f| f.name().ok().map(|n| n.replace('\\', "/")))
                .unwrap_or_default()
        })
        .collect();
    let workbook = names
        .iter()
        .position(|n| n.eq_ignore_ascii_case("xl/workbook.xml"))
        .or_else(|| names.iter().position(|n| is_workbook_part(n)));
    let ids = workbook.and_then(|w| {
        let rels = rels_of(&names[w]);
        let at = names.iter().position(|n| n.eq_ignore_ascii_case(&rels))?;
        let text = utf8(read_part(&mut zip, at, most)?)?;
        Some(relationship_ids(&text))
    });
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut mended = false;
    for (i, name) in names.iter().enumerate() {
        let xml = [".xml", ".rels"]
            .iter()
            .any(|x| name.to_ascii_lowercase().ends_with(x));
        let first = if xml {
            let mut head = [0u8; 2];
            let mut f = zip.by_index(i).ok()?;
            let n = f.read(&mut head).ok()?;
            head[..n].to_vec()
        } else {
            Vec::new()
        };
        let utf16 = crate::discover::kind::utf16_text(&first).is_some();
        let is_workbook = Some(i) == workbook;
        let new = if utf16 || is_workbook {
            let part = read_part(&mut zip, i, most)?;
            utf8(part.clone()).and_then(|text| {
                let text = match (is_workbook, &ids) {
                    (true, Some(ids)) => without_orphan_sheets(&text, ids).unwrap_or(text),
                    _ => text,
                };
                (text.as_bytes() != part.as_slice()).then_some(text)
            })
        } else {
            None
        };
        match new {
            Some(text) => {
                mended = true;
                let original = zip.by_index_raw(i).ok()?.name().ok()?.to_string();
                out.start_file(original, stored).ok()?;
                out.write_all(text.as_bytes()).ok()?;
            }
            None => out.raw_copy_file(zip.by_index_raw(i).ok()?).ok()?,
        }
    }
    if !mended {
        return None;
    }
    Some(out.finish().ok()?.into_inner())
}

/// A workbook part found by its name wherever the package keeps it.
fn is_workbook_part(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    (lower == "workbook.xml" || lower.ends_with("/workbook.xml")) && !lower.contains("_rels/")
}

/// The relationships part of `part`: `xl/_rels/workbook.xml.rels` for `xl/workbook.xml`.
fn rels_of(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// A part's bytes, inflated, or `None` when it cannot be read or would inflate beyond `most`.
fn read_part(zip: &mut ZipArchive<Cursor<&[u8]>>, i: usize, most: u64) -> Option<Vec<u8>> {
    let f = zip.by_index(i).ok()?;
    let mut out = Vec::new();
    f.take(most + 1).read_to_end(&mut out).ok()?;
    (out.len() as u64 <= most).then_some(out)
}

/// A part's text in UTF-8: UTF-16 ([`utf16_text`]) decoded, its XML declaration's encoding
/// said anew; UTF-8 as it is. `None` for any other bytes: a part in another encoding is not
/// mended, so that no text of it is changed.
///
/// [`utf16_text`]: crate::discover::kind::utf16_text
fn utf8(part: Vec<u8>) -> Option<String> {
    match crate::discover::kind::utf16_text(&part) {
        Some(text) => Some(declared_utf8(&text)),
        None => String::from_utf8(part).ok(),
    }
}

/// `text` with its XML declaration's encoding (`UTF-16`) said to be UTF-8.
fn declared_utf8(text: &str) -> String {
    let Some(end) = text.starts_with("<?xml").then(|| text.find("?>")).flatten() else {
        return text.to_string();
    };
    let declaration = &text[..end];
    let Some(at) = declaration.find("encoding") else {
        return text.to_string();
    };
    let rest = &declaration[at + "encoding".len()..];
    let quote = rest.find(['"', '\'']);
    let value = quote.and_then(|q| {
        let mark = rest[q..].chars().next()?;
        let close = rest[q + 1..].find(mark)?;
        Some((at + "encoding".len() + q + 1, close))
    });
    match value {
        Some((start, len)) => format!("{}UTF-8{}", &text[..start], &text[start + len..]),
        None => text.to_string(),
    }
}

/// The `Id`s of a relationships part.
fn relationship_ids(rels: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    let mut rest = rels;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        if let Some(n) = other_markup(rest) {
            rest = &rest[n..];
            continue;
        }
        let Some((tag, after)) = tag_at(rest) else {
            break;
        };
        if local(tag.name) == "Relationship"
            && let Some((_, id)) = tag.attributes.iter().find(|(n, _)| *n == "Id")
        {
            ids.insert(id.to_string());
        }
        rest = after;
    }
    ids
}

/// The workbook part without the `<sheet>` elements whose relationship (`r:id`) is missing,
/// empty or names no relationship of the workbook; `None` when every sheet has its own.
fn without_orphan_sheets(xml: &str, ids: &HashSet<String>) -> Option<String> {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    let mut dropped = false;
    while let Some(at) = rest.find('<') {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        if let Some(n) = other_markup(&from[1..]) {
            out.push_str(&from[..1 + n]);
            rest = &from[1 + n..];
            continue;
        }
        let Some((tag, after)) = tag_at(&from[1..]) else {
            out.push_str(from);
            rest = "";
            break;
        };
        let orphan = local(tag.name) == "sheet"
            && !tag.closing
            && !tag
                .attributes
                .iter()
                .any(|(n, v)| local(n) == "id" && n.contains(':') && ids.contains(*v));
        if orphan {
            dropped = true;
            rest = if tag.empty {
                after
            } else {
                // `<sheet …>…</sheet>`: through its end tag, as its start tag names it.
                let end = format!("</{}", tag.name);
                after
                    .find(&end)
                    .and_then(|e| after[e..].find('>').map(|g| &after[e + g + 1..]))
                    .unwrap_or(after)
            };
        } else {
            let taken = from.len() - after.len();
            out.push_str(&from[..taken]);
            rest = after;
        }
    }
    out.push_str(rest);
    dropped.then_some(out)
}

/// The length of a declaration, processing instruction, comment or CDATA section that starts
/// right after a `<` in `text`, through its end (all of `text` if it does not end); `None`
/// for a tag.
fn other_markup(text: &str) -> Option<usize> {
    let through = |end: &str| text.find(end).map_or(text.len(), |e| e + end.len());
    if text.starts_with('?') {
        Some(through("?>"))
    } else if text.starts_with("!--") {
        Some(through("-->"))
    } else if text.starts_with("![CDATA[") {
        Some(through("]]>"))
    } else if text.starts_with('!') {
        Some(through(">"))
    } else {
        None
    }
}

/// A tag as written: its name, its attributes (values as written, unescaped), whether it
/// closes an element (`</x>`) or is empty (`<x/>`).
struct Tag<'a> {
    name: &'a str,
    attributes: Vec<(&'a str, &'a str)>,
    closing: bool,
    empty: bool,
}

/// The tag that starts right after a `<` in `text`, and the text after its `>`; `None` when
/// it does not end.
fn tag_at(text: &str) -> Option<(Tag<'_>, &str)> {
    let closing = text.starts_with('/');
    let body = if closing { &text[1..] } else { text };
    let name_end = body
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .unwrap_or(body.len());
    let name = &body[..name_end];
    let mut rest = &body[name_end..];
    let mut attributes = Vec::new();
    loop {
        rest = rest.trim_start();
        let ended = match rest.strip_prefix("/>") {
            Some(after) => Some((true, after)),
            None => rest.strip_prefix('>').map(|after| (false, after)),
        };
        if let Some((empty, after)) = ended {
            let tag = Tag {
                name,
                attributes,
                closing,
                empty,
            };
            return Some((tag, after));
        }
        // `name = "value"`, either quote.
        let eq = rest.find('=')?;
        let attr = rest[..eq].trim();
        let value = rest[eq + 1..].trim_start();
        let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let close = value[1..].find(quote)?;
        attributes.push((attr, &value[1..1 + close]));
        rest = &value[close + 2..];
    }
}

/// A name without its namespace prefix.
fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, l)| l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::zip_of;

    fn utf16le(text: &str) -> Vec<u8> {
        [0xFEFF_u16]
            .into_iter()
            .chain(text.encode_utf16())
            .flat_map(|u| u.to_le_bytes())
            .collect()
    }

    fn part(copy: &[u8], name: &str) -> String {
        let mut zip = ZipArchive::new(Cursor::new(copy)).unwrap();
        let mut out = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut out).unwrap();
        out
    }

    const RELS: &str = r#"<?xml version="1.0"?><Relationships xmlns="x"><Relationship Id="rId1" Type="t" Target="worksheets/sheet1.xml"/><Relationship Id='rId2' Type="t" Target="worksheets/sheet2.xml"/></Relationships>"#;

    #[test]
    fn sheets_without_a_part_are_left_out_and_the_others_kept() {
        let workbook = r#"<?xml version="1.0"?><workbook xmlns:r="r"><sheets><sheet name="一" sheetId="1" r:id="rId1"/><sheet name="Module1" sheetId="2" state="veryHidden" r:id=""/><sheet name="宏" sheetId="3" r:id="rId9"><extLst/></sheet><sheet name="二" sheetId="4" r:id='rId2'/></sheets><definedNames/></workbook>"#;
        let file = zip_of(&[
            ("xl/workbook.xml", workbook.as_bytes()),
            ("xl/_rels/workbook.xml.rels", RELS.as_bytes()),
            ("xl/worksheets/sheet1.xml", b"<worksheet/>"),
        ]);
        let copy = for_calamine(&file, 1 << 20).expect("mended");
        let mended = part(&copy, "xl/workbook.xml");
        assert_eq!(
            mended,
            r#"<?xml version="1.0"?><workbook xmlns:r="r"><sheets><sheet name="一" sheetId="1" r:id="rId1"/><sheet name="二" sheetId="4" r:id='rId2'/></sheets><definedNames/></workbook>"#
        );
        assert_eq!(part(&copy, "xl/worksheets/sheet1.xml"), "<worksheet/>");
        // Every sheet with its part: nothing to mend.
        let whole = mended.replace("rId2", "rId1");
        let file = zip_of(&[
            ("xl/workbook.xml", whole.as_bytes()),
            ("xl/_rels/workbook.xml.rels", RELS.as_bytes()),
        ]);
        assert_eq!(for_calamine(&file, 1 << 20), None);
        // A part in another encoding (a sheet named `Résumé` in Latin-1) is not rewritten:
        // none of its text would survive as it was.
        let latin1 = workbook.replace("Module1", "R\u{e9}sum\u{e9}");
        let latin1: Vec<u8> = latin1
            .chars()
            .flat_map(|c| match u8::try_from(u32::from(c)) {
                Ok(b) => vec![b],
                Err(_) => c.to_string().into_bytes(),
            })
            .collect();
        let file = zip_of(&[
            ("xl/workbook.xml", &latin1),
            ("xl/_rels/workbook.xml.rels", RELS.as_bytes()),
        ]);
        assert_eq!(for_calamine(&file, 1 << 20), None);
    }

    #[test]
    fn parts_in_utf16_are_copied_in_utf8() {
        let sheet = r#"<?xml version="1.0" encoding="UTF-16" standalone="yes"?><worksheet><c><v>长春</v></c></worksheet>"#;
        let file = zip_of(&[
            ("xl/worksheets/sheet1.xml", &utf16le(sheet)),
            ("xl/_rels/workbook.xml.rels", &utf16le(RELS)),
        ]);
        let copy = for_calamine(&file, 1 << 20).expect("mended");
        assert_eq!(
            part(&copy, "xl/worksheets/sheet1.xml"),
            sheet.replace("UTF-16", "UTF-8")
        );
        assert_eq!(part(&copy, "xl/_rels/workbook.xml.rels"), RELS);
        // Without the mark, big-endian.
        let be: Vec<u8> = sheet.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        let copy = for_calamine(&zip_of(&[("xl/worksheets/sheet1.xml", &be)]), 1 << 20).unwrap();
        assert_eq!(
            part(&copy, "xl/worksheets/sheet1.xml"),
            sheet.replace("UTF-16", "UTF-8")
        );
        // A part beyond the bound is not read: no copy.
        assert_eq!(for_calamine(&file, 16), None);
    }
}
